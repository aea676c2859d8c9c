import Backprop
import Foundation
import Testing

@Suite("Saving and loading networks as JSON")
struct PersistenceTests {
    @Test("a round trip keeps sizes, activations and every bit of every parameter")
    func roundTrip() throws {
        let network = try Network(sizes: [3, 5, 2], activations: [.tanh, .softmax], seed: 9)
        let loaded = try Network(jsonData: network.jsonData())
        #expect(loaded.sizes == [3, 5, 2])
        #expect(loaded.activations.values == [.tanh, .softmax])
        #expect(loaded.allParameters.map(\.bitPattern) == network.allParameters.map(\.bitPattern))

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("backprop-\(UInt64.random(in: 0...UInt64.max)).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try network.save(to: path)
        #expect(try Network(contentsOf: path) == network)
    }

    @Test("parameters made elsewhere can be loaded")
    func handWritten() throws {
        let json = """
            {"sizes": [2, 1], "activations": ["sigmoid"], "weights": [[[0.5, -0.25]]], "biases": [[0.1]]}
            """
        let network = try Network(jsonData: Data(json.utf8))
        #expect(network.weights[2][0, 1] == -0.25)
        #expect(try network.feedforward([1, 2]) == [Activation.sigmoid.value(0.1)])
    }

    @Test("shapes that disagree with the sizes are an error", arguments: [
        (#"{"sizes": [2, 1], "activations": ["sigmoid"], "weights": [[[0.5, -0.25, 1]]], "biases": [[0.1]]}"#,
         "w^2 has shape 1 × 3, but the layer sizes need 1 × 2"),
        (#"{"sizes": [2, 1], "activations": ["sigmoid"], "weights": [[[0.5, -0.25]]], "biases": [[0.1, 0.2]]}"#,
         "b^2 has shape 2, but the layer sizes need 1"),
        (#"{"sizes": [2, 3, 1], "activations": ["sigmoid", "sigmoid"], "weights": [[[0.5, -0.25]]], "biases": [[0.1]]}"#,
         "weights has shape 1, but the layer sizes need 2 matrices"),
        (#"{"sizes": [2, 1], "activations": ["sigmoid"], "weights": [[[0.5], [1, 2]]], "biases": [[0.1]]}"#,
         "w^2 has shape rows of lengths [1, 2], but the layer sizes need rows of equal length"),
        (#"{"sizes": [2, 1], "activations": ["sigmoid", "tanh"], "weights": [[[0.5, -0.25]]], "biases": [[0.1]]}"#,
         "invalid network: 2 layers need 1 activations (one per layer after the input), got 2"),
    ])
    func shapeMismatch(json: String, message: String) {
        #expect(throws: BackpropError.self) { try Network(jsonData: Data(json.utf8)) }
        do {
            _ = try Network(jsonData: Data(json.utf8))
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("malformed JSON and unknown activations say where")
    func malformed() {
        do {
            _ = try Network(jsonData: Data(#"{"sizes": [2, 1], "activations": ["swish"], "weights": [], "biases": []}"#.utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("malformed network JSON: at .activations[0]"))
        }
        #expect(throws: BackpropError.self) { try Network(jsonData: Data("not json".utf8)) }
        #expect(throws: BackpropError.self) { try Network(contentsOf: "/nonexistent/network.json") }
    }
}
