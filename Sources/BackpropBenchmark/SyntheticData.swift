import Backprop

/// The synthetic 784-input, 10-class data set of benchmark (b), defined by a counter-based hash so
/// that `benchmarks/backprop/numpy_benchmark.py` builds exactly the same numbers.
///
/// u(n) is the SplitMix64 output for counter n, scaled to [0, 1): the top 53 bits times 2^−53.
/// Sample i has label ⌊10 u(i)⌋ and pixel p = u(1,000,000 + 784 i + p), halved unless
/// p mod 10 equals the label, so the classes can be told apart.
enum SyntheticData {
    static func uniform(_ n: UInt64) -> Double {
        var z = (n &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) * 0x1.0p-53
    }

    static func make(count: Int, inputs: Int = 784, classes: Int = 10) throws -> DataSet {
        var x = [Double](repeating: 0, count: count * inputs)
        var y = [Double](repeating: 0, count: count * classes)
        for i in 0..<count {
            let label = Int(Double(classes) * uniform(UInt64(i)))
            y[i * classes + label] = 1
            for p in 0..<inputs {
                let u = uniform(1_000_000 + UInt64(inputs * i + p))
                x[i * inputs + p] = p % classes == label ? u : 0.5 * u
            }
        }
        return try DataSet(inputs: Matrix(rows: count, columns: inputs, elements: x),
                           targets: Matrix(rows: count, columns: classes, elements: y))
    }
}
