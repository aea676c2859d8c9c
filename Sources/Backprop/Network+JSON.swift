#if !hasFeature(Embedded)
import Foundation

/// Saving and loading a network as JSON, so an experiment can start from parameters made elsewhere.
///
/// The file holds the layer sizes, the activations of layers 2…L, and w^l (as a list of rows)
/// and b^l for l = 2…L:
///
///     {"sizes": [2, 3, 1], "activations": ["sigmoid", "sigmoid"],
///      "weights": [[[w^2_00, w^2_01], …], …], "biases": [[b^2_0, …], …]}
///
/// Numbers are written so that they read back bit for bit. Loading checks every shape against
/// the sizes and throws `BackpropError.shapeMismatch` when one disagrees.
///
/// Native builds only: it needs Foundation and `Codable`.
extension Network {
    /// The network as JSON.
    public func jsonData() throws(BackpropError) -> Data {
        let file = NetworkFile(sizes: sizes, activations: activations.values,
                               weights: weights.values.map(\.rowArrays), biases: biases.values.map(\.elements))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return try encoder.encode(file)
        } catch {
            throw .malformedJSON("cannot encode the network: \(error)")
        }
    }

    /// A network read from JSON made by `jsonData()` (or by anything else that writes the same form).
    public init(jsonData data: Data) throws(BackpropError) {
        let file: NetworkFile
        do {
            file = try JSONDecoder().decode(NetworkFile.self, from: data)
        } catch let error as DecodingError {
            throw .malformedJSON(Network.describe(error))
        } catch {
            throw .malformedJSON("\(error)")
        }
        var weights: [Matrix] = []
        for (i, rows) in file.weights.enumerated() {
            do {
                weights.append(try Matrix(rows))
            } catch {
                throw .shapeMismatch(parameter: "w^\(i + 2)", expected: "rows of equal length",
                                     found: "rows of lengths \(rows.map(\.count))")
            }
        }
        try self.init(sizes: file.sizes, activations: file.activations, weights: weights,
                      biases: file.biases.map(Vector.init))
    }

    /// Writes the network as JSON to `path`.
    public func save(to path: String) throws(BackpropError) {
        let data = try jsonData()
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .fileAccess(path: path, reason: error.localizedDescription)
        }
    }

    /// Reads a network from the JSON file at `path`.
    public init(contentsOf path: String) throws(BackpropError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .fileAccess(path: path, reason: error.localizedDescription)
        }
        try self.init(jsonData: data)
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "" : "at \(keys): "
        }
        switch error {
        case let .keyNotFound(key, context): return "\(path(context))missing key \"\(key.stringValue)\""
        case let .typeMismatch(_, context): return "\(path(context))\(context.debugDescription)"
        case let .valueNotFound(_, context): return "\(path(context))\(context.debugDescription)"
        case let .dataCorrupted(context): return "\(path(context))\(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// The JSON form of a network.
private struct NetworkFile: Codable {
    var sizes: [Int]
    var activations: [Activation]
    var weights: [[[Double]]]
    var biases: [[Double]]
}
#endif
