/// The passes of a training step on the workspace's buffers: forward (Z^l, A^l), backward
/// (BP1, BP2) and the step that updates the parameters (BP3, BP4), each for a range of rows or a
/// part of the parameters, so that `BatchWorkspace+Training` can share them between threads.
extension BatchWorkspace {
    /// The forward pass for the first `m` rows: Z^l = A^{l−1} (w^l)ᵀ + 1 (b^l)ᵀ, A^l = σ(Z^l).
    func forward(count m: Int) { forward(rows: 0..<m, buffers: gemm) }

    /// A^1's rows: the batch's samples where they lie in the data set during a training step
    /// (`input` is the table `inputRows`), else the rows `loadBatch` copied them to.
    func inputs(_ input: GEMM.Rows?) -> GEMM.Rows { input ?? GEMM.Rows(activationBuffers[0], ld: sizes[0]) }

    /// The forward pass for the given rows alone, A^1 read from `input` (see `inputs`); each row's
    /// values do not depend on the others.
    func forward(rows: Range<Int>, input: GEMM.Rows? = nil, buffers: GEMMBuffers) {
        let r0 = rows.lowerBound, m = rows.count
        for p in layersWithParameters {
            let nIn = sizes[p], nOut = sizes[p + 1]
            let z = zs[p] + r0 * nOut, bias = b(p)
            let a = p == 0 ? inputs(input) : GEMM.Rows(activationBuffers[p], ld: nIn)
            GEMM.multiply(m: m, n: nOut, k: nIn, alpha: 1, a: a.rows(from: r0),
                          transposeA: false, b: wT(p), ldb: weightStrides[p], transposeB: false, bPadded: true,
                          beta: 0, c: z, ldc: nOut, buffers: buffers)
            for r in 0..<m {
                let row = z + r * nOut
                for j in 0..<nOut { row[j] += bias[j] }
            }
            activations[p].forward(z: z, a: activationBuffers[p + 1] + r0 * nOut, rows: m, columns: nOut)
        }
    }

    /// Every Δ^l for the first `m` rows, from the targets and the last forward pass.
    func backward(count m: Int, cost: Cost) { backward(rows: 0..<m, cost: cost, buffers: gemm) }

    /// Every Δ^l for the given rows alone, after `forward` on them.
    func backward(rows: Range<Int>, cost: Cost, buffers: GEMMBuffers) {
        let last = sizes.count - 2, r0 = rows.lowerBound, m = rows.count
        // BP1: Δ^L = (∂A^L/∂Z^L)ᵀ ∇_a C, row by row.
        let nL = sizes[last + 1]
        cost.outputError(z: zs[last] + r0 * nL, a: activationBuffers[last + 1] + r0 * nL, y: targets + r0 * nL,
                         delta: deltas[last] + r0 * nL, rows: m, columns: nL, activation: activations[last])
        for p in stride(from: last - 1, through: 0, by: -1) {
            let n = sizes[p + 1], nNext = sizes[p + 2]
            // BP2: Δ^l = (Δ^{l+1} w^{l+1}) ⊙ σ'(Z^l).
            GEMM.multiply(m: m, n: n, k: nNext, alpha: 1, a: deltas[p + 1] + r0 * nNext, lda: nNext,
                          transposeA: false, b: wT(p + 1), ldb: weightStrides[p + 1], transposeB: true, beta: 0,
                          c: deltas[p] + r0 * n, ldc: n, buffers: buffers)
            activations[p].backward(g: deltas[p] + r0 * n, z: zs[p] + r0 * n, a: activationBuffers[p + 1] + r0 * n,
                                    rows: m, columns: n)
        }
    }

    /// Part `part` of `parts` of one step of mini-batch gradient descent on the first `m` rows,
    /// after `backward`: v ← μv − η(∂C/∂w + (λ/n) w), w ← w + v (and the same for b, without the
    /// λ term); with μ = 0 this is w ← (1 − ηλ/n) w − (η/m) Σ_x ∂C_x/∂w, fused into one product.
    /// The part updates the rows of each (w^l)ᵀ (the weights from its share of the inputs) and
    /// the entries of each b^l in its share. Each parameter is updated by one part, with the same
    /// operations whatever the number of parts, so the parts can run on different threads and
    /// change no bit.
    func step(count m: Int, eta: Double, lambda: Double, trainingCount n: Int, momentum mu: Double,
              input: GEMM.Rows? = nil, part: Int, of parts: Int, buffers: GEMMBuffers) {
        let decay = 1 - eta * lambda / Double(n)
        let rate = eta / Double(m)
        for p in layersWithParameters {
            let nIn = sizes[p], nOut = sizes[p + 1], ld = weightStrides[p]
            let inputs = BatchWorkspace.share(part, of: parts, count: nIn,
                                              unit: ProductKernel.forProduct(rows: nIn, columns: nOut).tile.rows)
            let neurons = BatchWorkspace.share(part, of: parts, count: nOut, unit: 1)
            let k0 = inputs.lowerBound, wT = wT(p) + k0 * ld, bp = b(p)
            let a = (p == 0 ? self.inputs(input) : GEMM.Rows(activationBuffers[p], ld: nIn)).shifted(by: k0)
            if let velocity, mu != 0 {
                let vw = velocity + storedWeightOffsets[p] + k0 * ld, vb = velocity + storedBiasOffsets[p]
                let shrink = eta * lambda / Double(n)
                for k in 0..<inputs.count {
                    for j in 0..<nOut { vw[k * ld + j] = (mu * vw[k * ld + j]).addingProduct(-shrink, wT[k * ld + j]) }
                }
                // BP4, fused: vᵀ ← vᵀ − (η/m) (A^{l−1})ᵀ Δ^l.
                GEMM.multiply(m: inputs.count, n: nOut, k: m, alpha: -rate, a: a,
                              transposeA: true, b: deltas[p], ldb: nOut, transposeB: false, beta: 1, c: vw,
                              ldc: ld, buffers: buffers)
                for k in 0..<inputs.count {
                    for j in 0..<nOut { wT[k * ld + j] += vw[k * ld + j] }
                }
                // BP3: v_b ← μ v_b − (η/m) Σ_rows Δ^l.
                for j in neurons { vb[j] *= mu }
                subtractColumnSums(deltas[p], rows: m, columns: nOut, only: neurons, times: rate, from: vb)
                for j in neurons { bp[j] += vb[j] }
            } else {
                // BP4, fused: wᵀ ← (1 − ηλ/n) wᵀ − (η/m) (A^{l−1})ᵀ Δ^l.
                GEMM.multiply(m: inputs.count, n: nOut, k: m, alpha: -rate, a: a,
                              transposeA: true, b: deltas[p], ldb: nOut, transposeB: false, beta: decay, c: wT,
                              ldc: ld, buffers: buffers)
                // BP3: b ← b − (η/m) Σ_rows Δ^l.
                subtractColumnSums(deltas[p], rows: m, columns: nOut, only: neurons, times: rate, from: bp)
            }
        }
    }

    /// Share `part` of `parts` of 0..<count, cut at multiples of `unit` and as even as that allows.
    static func share(_ part: Int, of parts: Int, count: Int, unit: Int) -> Range<Int> {
        let units = (count + unit - 1) / unit
        let lower = min(count, units * part / parts * unit), upper = min(count, units * (part + 1) / parts * unit)
        return lower..<upper
    }

    /// sums[j] = Σ_r x[r, j].
    func columnSums(_ x: UnsafePointer<Double>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Double>) {
        sums.update(repeating: 0, count: columns)
        for r in 0..<rows {
            let row = x + r * columns
            for j in 0..<columns { sums[j] += row[j] }
        }
    }

    /// target[j] −= c · Σ_r x[r, j] for the columns j in `only`, summing the column first.
    func subtractColumnSums(_ x: UnsafePointer<Double>, rows: Int, columns: Int, only: Range<Int>,
                            times c: Double, from target: UnsafeMutablePointer<Double>) {
        for j in only {
            var sum = 0.0
            for r in 0..<rows { sum += x[r * columns + j] }
            target[j] = target[j].addingProduct(-c, sum)
        }
    }
}
