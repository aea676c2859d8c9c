/// Cost and accuracy of a network on a whole data set, computed in batches.
extension Network {
    /// How many samples the network gets right: its largest output is at the position of the
    /// largest target (for one output neuron: output and target on the same side of ½).
    public func correctCount(on data: DataSet) throws(BackpropError) -> Int {
        try evaluate(data, cost: .quadratic).correct
    }

    /// The fraction of samples the network gets right (see `correctCount(on:)`).
    public func accuracy(on data: DataSet) throws(BackpropError) -> Double {
        try evaluate(data, cost: .quadratic).accuracy
    }

    /// The mean cost over the data set, plus (λ/2n) Σ_w w² when λ > 0.
    public func cost(on data: DataSet, cost: Cost = .quadratic, lambda: Double = 0) throws(BackpropError) -> Double {
        try evaluate(data, cost: cost, lambda: lambda).cost
    }

    /// Mean cost and number of correct answers on the data set, with batches shared between
    /// `threads` threads when they are large (the result does not depend on it).
    public func evaluate(_ data: DataSet, cost: Cost = .quadratic, lambda: Double = 0,
                         threads: Int = SGD.defaultThreads) throws(BackpropError) -> Evaluation {
        try checkCost(cost)
        try checkShape(of: data)
        let workspace = BatchWorkspace(network: self, capacity: min(data.count, 256), threads: threads)
        return evaluate(data, cost: cost, lambda: lambda, workspace: workspace)
    }

    /// `evaluate` on a workspace that already holds this network's parameters.
    func evaluate(_ data: DataSet, cost: Cost, lambda: Double, workspace: BatchWorkspace) -> Evaluation {
        var total = 0.0, correct = 0
        for start in stride(from: 0, to: data.count, by: workspace.capacity) {
            let m = min(workspace.capacity, data.count - start)
            workspace.loadBatch(data, rows: start..<start + m)
            workspace.forwardInParts(count: m)
            total += workspace.totalCost(count: m, cost: cost)
            correct += workspace.correctCount(count: m)
        }
        var mean = total / Double(data.count)
        if lambda > 0 {
            let squares = weights.reduce(0.0) { sum, w in w.elements.reduce(sum) { $0 + $1 * $1 } }
            mean += 0.5 * lambda / Double(data.count) * squares
        }
        return Evaluation(cost: mean, correct: correct, count: data.count)
    }
}
