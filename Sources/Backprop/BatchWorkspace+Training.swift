import Dispatch

/// One training step on a mini-batch, shared between threads when the batch is large enough.
///
/// The work splits in two phases, each cut into as many parts as there are threads:
/// 1. rows: each part loads its samples and runs the forward pass, BP1 and BP2 on them (every
///    row of Z^l, A^l and Δ^l depends on its own sample alone);
/// 2. parameters: each part updates its columns of every w^l (BP4) and its entries of every b^l
///    (BP3), summing over the whole batch.
/// Every number is computed by the same operations in the same order whichever part computes
/// it, so the weights come out bit-identical with any number of threads.
extension BatchWorkspace {
    /// Products smaller than this per batch (multiply-adds of the forward pass) run on one thread.
    static let teamThreshold = 1 << 20

    /// Trains on the samples `indices` of `data`: loads them, then forward, backward and step.
    func trainStep(on data: DataSet, indices: ArraySlice<Int>, cost: Cost, eta: Double, lambda: Double,
                   trainingCount n: Int, momentum mu: Double) {
        let m = indices.count
        prepareStep(momentum: mu)
        let parts = partsForBatch(of: m)
        guard parts > 1 else {
            loadBatch(data, indices: indices)
            forward(count: m)
            backward(count: m, cost: cost)
            step(count: m, eta: eta, lambda: lambda, trainingCount: n, momentum: mu, part: 0, of: 1, buffers: gemm)
            return
        }
        let shared = UncheckedSendable(self)
        let buffers = teamBuffers(parts)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let workspace = shared.value
            let rows = BatchWorkspace.share(part, of: parts, count: m, unit: GEMM.mr)
            workspace.loadBatch(data, indices: indices, rows: rows)
            workspace.forward(rows: rows, buffers: buffers[part])
            workspace.backward(rows: rows, cost: cost, buffers: buffers[part])
        }
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            shared.value.step(count: m, eta: eta, lambda: lambda, trainingCount: n, momentum: mu,
                              part: part, of: parts, buffers: buffers[part])
        }
    }

    /// How many threads a batch of `m` samples is worth.
    func partsForBatch(of m: Int) -> Int {
        var work = 0
        for p in layersWithParameters { work += m * sizes[p] * sizes[p + 1] }
        return work >= BatchWorkspace.teamThreshold ? min(gemm.threads, max(1, m / GEMM.mr)) : 1
    }
}
