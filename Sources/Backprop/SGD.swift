/// Mini-batch stochastic gradient descent with learning rate η, optional L2 weight decay λ and
/// momentum μ, and seeded shuffling.
///
/// Each epoch shuffles the training samples with a `Random` generator seeded once with `seed`,
/// cuts them into mini-batches of `batchSize` (the last one may be smaller) and, for each batch,
/// runs backpropagation in matrix form and updates every parameter:
///
///     v ← μ v − η (∂C/∂w + (λ/n) w),   w ← w + v       (biases: the same without λ)
///
/// where ∂C/∂w is the mean over the batch and n the number of training samples. With μ = 0 and
/// λ = 0 this is the plain rule w ← w − (η/m) Σ_x ∂C_x/∂w of the notes. The same seed, data and
/// network give bit-identical weights on every run.
public struct SGD: Sendable {
    /// η, the learning rate.
    public var eta: Double
    /// m, the number of samples per mini-batch.
    public var batchSize: Int
    /// The number of passes over the training data.
    public var epochs: Int
    /// λ, the L2 regularisation strength (0 for none).
    public var lambda: Double
    /// μ, the momentum coefficient in [0, 1) (0 for plain gradient descent).
    public var momentum: Double
    /// The seed of the shuffling.
    public var seed: UInt64
    /// Also measure cost and accuracy on the training data after each epoch.
    public var monitorTraining: Bool
    /// Threads that a large mini-batch is shared between (the weights do not depend on it).
    public var threads: Int

    /// Hyperparameters for `train`; they are checked when training starts.
    public init(eta: Double, batchSize: Int, epochs: Int, lambda: Double = 0, momentum: Double = 0,
                seed: UInt64 = 0, monitorTraining: Bool = false, threads: Int = SGD.defaultThreads) {
        self.eta = eta
        self.batchSize = batchSize
        self.epochs = epochs
        self.lambda = lambda
        self.momentum = momentum
        self.seed = seed
        self.monitorTraining = monitorTraining
        self.threads = threads
    }

    /// Trains `network` in place and returns one report per epoch.
    ///
    /// - Parameters:
    ///   - evaluationData: if given, cost and accuracy on it are reported after every epoch.
    ///   - report: called after every epoch, for progress output or plots.
    @discardableResult
    public func train(_ network: inout Network, on trainingData: DataSet, cost: Cost = .quadratic,
                      evaluationData: DataSet? = nil,
                      report: (EpochReport) -> Void = { _ in }) throws(BackpropError) -> [EpochReport] {
        try validate()
        try network.checkCost(cost)
        try network.checkShape(of: trainingData)
        if let evaluationData { try network.checkShape(of: evaluationData) }
        let n = trainingData.count
        let workspace = BatchWorkspace(network: network, capacity: min(batchSize, n), threads: threads)
        var random = Random(seed: seed)
        var order = Array(0..<n)
        var reports: [EpochReport] = []
        for epoch in stride(from: 1, through: epochs, by: 1) {
            random.shuffle(&order)
            for start in stride(from: 0, to: n, by: batchSize) {
                let m = min(batchSize, n - start)
                workspace.trainStep(on: trainingData, indices: order[start..<start + m], cost: cost, eta: eta,
                                    lambda: lambda, trainingCount: n, momentum: momentum)
            }
            guard workspace.parametersAreFinite else {
                throw .nonFinite(location: "the weights after epoch \(epoch): training diverged (try a smaller η)")
            }
            workspace.store(into: &network)
            let training = monitorTraining
                ? network.evaluate(trainingData, cost: cost, lambda: lambda, workspace: workspace) : nil
            let evaluation = evaluationData.map {
                network.evaluate($0, cost: cost, lambda: lambda, workspace: workspace)
            }
            let epochReport = EpochReport(epoch: epoch, training: training, evaluation: evaluation)
            reports.append(epochReport)
            report(epochReport)
        }
        return reports
    }

    func validate() throws(BackpropError) {
        guard eta > 0 && eta.isFinite else {
            throw .invalidHyperparameter(name: "η", value: eta, requirement: "positive and finite")
        }
        guard batchSize >= 1 else {
            throw .invalidHyperparameter(name: "batch size", value: Double(batchSize), requirement: "at least 1")
        }
        guard epochs >= 0 else {
            throw .invalidHyperparameter(name: "epochs", value: Double(epochs), requirement: "at least 0")
        }
        guard lambda >= 0 && lambda.isFinite else {
            throw .invalidHyperparameter(name: "λ", value: lambda, requirement: "non-negative and finite")
        }
        guard momentum >= 0 && momentum < 1 else {
            throw .invalidHyperparameter(name: "μ", value: momentum, requirement: "in [0, 1)")
        }
        guard threads >= 1 else {
            throw .invalidHyperparameter(name: "threads", value: Double(threads), requirement: "at least 1")
        }
    }
}
