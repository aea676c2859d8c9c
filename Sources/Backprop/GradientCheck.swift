/// Checks backpropagation against central finite differences of the cost.
///
/// For each parameter θ (every weight and bias, or a seeded sample of them in a big network)
/// the derivative of the mean cost over `data` is estimated with the fourth-order central
/// difference
///
///     ∂C/∂θ ≈ (−C(θ + 2h) + 8 C(θ + h) − 8 C(θ − h) + C(θ − 2h)) / (12 h),
///
/// whose truncation error is O(h⁴), and compared with the gradient from
/// `Network.backprop(batch:cost:)`. The relative error of one parameter is
/// |analytic − numeric| / max(|analytic|, |numeric|). Rounding limits any finite difference to an
/// absolute accuracy of about ε·|C|/h ≈ 1e-12 at the default h (ε = 2^−52), so the relative error says
/// nothing about derivatives much smaller than that: where both values are below `floor` it is
/// taken as 0, and such parameters count only towards the maximum absolute error.
public struct GradientCheck: Sendable {
    /// The step h.
    public var step: Double
    /// Check only this many parameters, drawn with `seed`; nil checks all of them.
    public var sampleSize: Int?
    /// The seed of the parameter sample.
    public var seed: UInt64
    /// Gradients smaller than this in magnitude are judged by their absolute error only.
    public var floor: Double

    public init(step: Double = 1e-3, sampleSize: Int? = nil, seed: UInt64 = 0, floor: Double = 1e-5) {
        self.step = step
        self.sampleSize = sampleSize
        self.seed = seed
        self.floor = floor
    }

    /// Compares the analytic and numeric gradients of the mean cost of `network` on `data`.
    public func run(_ network: Network, on data: DataSet, cost: Cost = .quadratic) throws(BackpropError) -> GradientCheckResult {
        guard step > 0 && step.isFinite else {
            throw .invalidHyperparameter(name: "step h", value: step, requirement: "positive and finite")
        }
        let analytic = try network.backprop(batch: data, cost: cost).gradients
        let workspace = BatchWorkspace(network: network, capacity: data.count, threads: 1)
        workspace.loadBatch(data, rows: 0..<data.count)
        func meanCost() -> Double {
            workspace.forward(count: data.count)
            return workspace.totalCost(count: data.count, cost: cost) / Double(data.count)
        }
        var indices = Array(0..<workspace.parameterCount)
        if let sampleSize, sampleSize < indices.count {
            var random = Random(seed: seed)
            indices = Array(random.permutation(indices.count).prefix(max(sampleSize, 0)))
        }
        var result = GradientCheckResult(parametersChecked: indices.count)
        for index in indices {
            let parameter = workspace.parameter(index), theta = parameter.pointee
            func cost(at offset: Double) -> Double {
                parameter.pointee = theta + offset
                return meanCost()
            }
            let numeric = (-cost(at: 2 * step) + 8 * cost(at: step) - 8 * cost(at: -step) + cost(at: -2 * step))
                / (12 * step)
            parameter.pointee = theta
            let location = ParameterLocation(index: index, in: workspace)
            let exact = location.value(in: analytic)
            result.record(location, analytic: exact, numeric: numeric, floor: floor)
        }
        return result
    }
}

