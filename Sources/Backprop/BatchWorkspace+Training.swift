/// One training step on a mini-batch, shared between threads when the batch is large enough.
///
/// The work splits in two phases, each cut into as many parts as there are threads:
/// 1. rows: each part points at its samples (A^1 is read where the data set holds it, with no
///    copy) and runs the forward pass, BP1 and BP2 on them (every row of Z^l, A^l and Δ^l
///    depends on its own sample alone);
/// 2. parameters: each part updates its rows of every (w^l)ᵀ, the weights from its share of the
///    layer's inputs (BP4), and its entries of every b^l (BP3), summing over the whole batch.
/// Every number is computed by the same operations in the same order whichever part computes
/// it, so the weights come out bit-identical with any number of threads.
extension BatchWorkspace {
    /// Batches with fewer multiply-adds than this in their forward pass run on one thread.
    static let partThreshold = 1 << 19

    /// Trains on the samples `indices` of `data`: loads them, then forward, backward and step.
    func trainStep(on data: DataSet, indices: ArraySlice<Int>, cost: Cost, eta: Double, lambda: Double,
                   trainingCount n: Int, momentum mu: Double) {
        let m = indices.count
        prepareStep(momentum: mu)
        let parts = parts(forRows: m)
        data.inputs.elements.withUnsafeBufferPointer { x in
            let input = GEMM.Rows(table: inputRows)
            inParts(parts) { part, buffers in
                let rows = BatchWorkspace.share(part, of: parts, count: m, unit: GEMM.mr)
                pointBatch(at: x.baseAddress!, of: data, indices: indices, rows: rows)
                forward(rows: rows, input: input, buffers: buffers)
                backward(rows: rows, cost: cost, buffers: buffers)
            }
            inParts(parts) { part, buffers in
                step(count: m, eta: eta, lambda: lambda, trainingCount: n, momentum: mu, input: input,
                     part: part, of: parts, buffers: buffers)
            }
        }
    }

    /// The forward pass on the first `m` rows, shared between threads like a training step.
    func forwardInParts(count m: Int) {
        let parts = parts(forRows: m)
        inParts(parts) { part, buffers in
            forward(rows: BatchWorkspace.share(part, of: parts, count: m, unit: GEMM.mr), buffers: buffers)
        }
    }

    /// How many threads a batch of `m` samples is worth.
    func parts(forRows m: Int) -> Int {
        var work = 0
        for p in layersWithParameters { work += m * sizes[p] * sizes[p + 1] }
        return work >= BatchWorkspace.partThreshold ? min(threads, max(1, m / GEMM.mr)) : 1
    }
}
