import Backprop
import Foundation

/// Paths inside the repository, found from this file's location.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The notes' copy of the handwritten digits.
    static let digits = root.appendingPathComponent("notes/data/digits.csv").path
    /// The fixture written by benchmarks/backprop/reference.py.
    static let referenceFixture = root.appendingPathComponent("Tests/BackpropTests/Fixtures/reference.json")
}

/// |a − b| / max(|a|, |b|, floor).
func relativeDifference(_ a: Double, _ b: Double, floor: Double = 1e-300) -> Double {
    abs(a - b) / max(abs(a), abs(b), floor)
}

/// The largest relative difference between two lists of numbers of equal length (∞ if not).
func maxRelativeDifference(_ a: [Double], _ b: [Double], floor: Double = 1e-12) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { relativeDifference($0, $1, floor: floor) }.max() ?? 0
}

/// A small random data set for gradient checks.
func randomData(count: Int, inputs: Int, outputs: Int, oneHot: Bool, seed: UInt64) throws -> DataSet {
    var random = Random(seed: seed)
    let samples: [(x: Vector, y: Vector)] = (0..<count).map { _ in
        let x = Vector((0..<inputs).map { _ in random.uniform(in: -1, 1) })
        let y = oneHot ? DataSet.oneHot(random.integer(below: outputs), classes: outputs)
                       : Vector((0..<outputs).map { _ in random.uniform(in: 0.05, 0.95) })
        return (x, y)
    }
    return try DataSet(samples: samples)
}

extension Network {
    /// All weights and biases in one list, for bitwise comparisons.
    var allParameters: [Double] {
        weights.values.flatMap(\.elements) + biases.values.flatMap(\.elements)
    }
}
