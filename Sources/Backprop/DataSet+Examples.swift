/// Small data sets for notes and tests: XOR and a noisy linear regression.
extension DataSet {
    /// The four XOR samples: x ∈ {0, 1}², y = x_1 XOR x_2 (one output).
    public static let xor: DataSet = try! DataSet(samples: [
        (x: [0, 0], y: [0]), (x: [0, 1], y: [1]), (x: [1, 0], y: [1]), (x: [1, 1], y: [0]),
    ])

    /// Samples of y = w·x + b + noise: x uniform in [−1, 1]^n, noise normal with the given
    /// standard deviation, all drawn from a generator seeded with `seed`.
    ///
    /// - Parameters:
    ///   - weights: w; its length n is the number of inputs.
    ///   - bias: b.
    public static func noisyLinear(count: Int, weights: [Double] = [2, -3], bias: Double = 0.5,
                                   noise: Double = 0.1, seed: UInt64) throws(BackpropError) -> DataSet {
        guard count > 0 else { throw .emptyDataSet("noisyLinear needs at least one sample, got count \(count)") }
        guard !weights.isEmpty else { throw .emptyDataSet("noisyLinear needs at least one weight") }
        guard noise >= 0 && noise.isFinite else {
            throw .invalidHyperparameter(name: "noise", value: noise, requirement: "non-negative and finite")
        }
        var random = Random(seed: seed)
        var inputs: [Double] = [], targets: [Double] = []
        for _ in 0..<count {
            let x = weights.map { _ in random.uniform(in: -1, 1) }
            inputs += x
            targets.append(zip(weights, x).reduce(bias) { $0 + $1.0 * $1.1 } + noise * random.normal())
        }
        return try DataSet(inputs: Matrix(rows: count, columns: weights.count, elements: inputs),
                           targets: Matrix(rows: count, columns: 1, elements: targets))
    }

    /// The one-hot vector of `classes` components with a 1 at `label`.
    public static func oneHot(_ label: Int, classes: Int) -> Vector {
        var y = Vector.zeros(classes)
        if label >= 0 && label < classes { y[label] = 1 }
        return y
    }
}
