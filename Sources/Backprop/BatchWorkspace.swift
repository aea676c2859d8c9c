/// Preallocated storage for the matrix form of backpropagation on mini-batches of up to
/// `capacity` samples: the parameters, Z^l, A^l and Δ^l, one sample per row.
///
/// Training and evaluation allocate nothing per batch: the buffers are made once here and the
/// products run on `GEMM` straight from them. Rows are samples, so the forward pass is
/// Z^l = A^{l−1} (w^l)ᵀ + 1 (b^l)ᵀ and BP2 is Δ^l = (Δ^{l+1} w^{l+1}) ⊙ σ'(Z^l). Parameter index
/// p = l − 2 counts the layers with parameters from 0; `activationBuffers[i]` holds A^{i+1}.
///
/// Each w^l is stored transposed, (w^l)ᵀ with a row per input and rows padded with zeros to a
/// multiple of 8 entries (`weightStrides`), because that is the layout the products read: the
/// forward pass reads (w^l)ᵀ in place as its right operand, with no packing, and the step's BP4
/// writes it row-sliver by row-sliver. Only the layout differs from `Network`'s: `load` and
/// `store` transpose, and `parameter(_:)` finds a parameter by its index in the network's order.
final class BatchWorkspace {
    let sizes: [Int]
    let activations: [Activation]
    let capacity: Int
    /// Offsets of w^{p+2} and b^{p+2} in the network's order (w^2 row by row, b^2, w^3, …), the
    /// layout of `gradient` and of parameter indices.
    let weightOffsets: [Int], biasOffsets: [Int]
    let parameterCount: Int
    /// Offsets of (w^{p+2})ᵀ and b^{p+2} in `parameters`, each on a cache line.
    let storedWeightOffsets: [Int], storedBiasOffsets: [Int]
    /// The length of a row of (w^{p+2})ᵀ in `parameters`: the layer's size rounded up to `GEMM.padding`.
    let weightStrides: [Int]
    /// The doubles in `parameters`, padding included.
    let storedCount: Int
    /// All weights and biases: (w^2)ᵀ, b^2, (w^3)ᵀ, b^3, …, zero in the padding.
    let parameters: UnsafeMutablePointer<Double>
    /// The momentum "velocity", laid out like `parameters`, allocated on first use.
    private(set) var velocity: UnsafeMutablePointer<Double>?
    /// ∂C/∂w^l and ∂C/∂b^l in the network's order, allocated on first use.
    private(set) var gradient: UnsafeMutablePointer<Double>?
    let zs: [UnsafeMutablePointer<Double>]
    let activationBuffers: [UnsafeMutablePointer<Double>]
    let deltas: [UnsafeMutablePointer<Double>]
    let targets: UnsafeMutablePointer<Double>
    /// Where each sample of a training step's batch is in its data set: A^1's rows, read in place.
    let inputRows: UnsafeMutablePointer<UnsafePointer<Double>>
    /// Packing space for the products run on the calling thread.
    let gemm = GEMMBuffers()
    /// The threads that batches large enough may be shared between (results do not depend on it);
    /// always 1 in Embedded Swift, which has no threads.
    let threads: Int
    #if !hasFeature(Embedded)
    /// The other threads' packing space and the team, made on first use.
    private var partBuffers: [GEMMBuffers] = []
    private var team: WorkerTeam?
    #endif

    init(network: Network, capacity: Int, threads: Int) {
        sizes = network.sizes
        activations = network.activations.values
        self.capacity = max(capacity, 1)
        var offset = 0, weightOffsets: [Int] = [], biasOffsets: [Int] = []
        var stored = 0, storedWeightOffsets: [Int] = [], storedBiasOffsets: [Int] = [], strides: [Int] = []
        func padded(_ count: Int) -> Int { (count + GEMM.padding - 1) / GEMM.padding * GEMM.padding }
        for p in 0..<sizes.count - 1 {
            weightOffsets.append(offset)
            offset += sizes[p + 1] * sizes[p]
            biasOffsets.append(offset)
            offset += sizes[p + 1]
            strides.append(padded(sizes[p + 1]))
            storedWeightOffsets.append(stored)
            stored += sizes[p] * strides[p]
            storedBiasOffsets.append(stored)
            stored += padded(sizes[p + 1])
        }
        self.weightOffsets = weightOffsets
        self.biasOffsets = biasOffsets
        parameterCount = offset
        self.storedWeightOffsets = storedWeightOffsets
        self.storedBiasOffsets = storedBiasOffsets
        weightStrides = strides
        storedCount = stored
        // On a cache line, so that the row shares of a shared step (multiples of 8 padded rows)
        // do not split lines between threads.
        parameters = GEMMBuffers.allocate(stored)
        parameters.initialize(repeating: 0, count: stored)
        let capacity = self.capacity
        zs = sizes.dropFirst().map { .allocate(capacity: capacity * $0) }
        deltas = sizes.dropFirst().map { .allocate(capacity: capacity * $0) }
        activationBuffers = sizes.map { .allocate(capacity: capacity * $0) }
        targets = .allocate(capacity: capacity * sizes[sizes.count - 1])
        inputRows = .allocate(capacity: capacity)
        #if hasFeature(Embedded)
        self.threads = 1
        #else
        self.threads = max(threads, 1)
        #endif
        load(network)
    }

    deinit {
        #if !hasFeature(Embedded)
        team?.stop()
        #endif
        parameters.deallocate()
        velocity?.deallocate()
        gradient?.deallocate()
        for buffer in zs + deltas + activationBuffers { buffer.deallocate() }
        targets.deallocate()
        inputRows.deallocate()
    }

    /// Runs `body(part, buffers)` for the parts 0..<parts at once, part i on thread i (part 0 on
    /// the calling thread) unless a thread free sooner takes it, each with its thread's packing
    /// space (the calling thread's is `gemm`).
    /// `parts` is at most `threads`, so in Embedded Swift there is one part, on the calling thread.
    func inParts(_ parts: Int, _ body: (Int, GEMMBuffers) -> Void) {
        guard parts > 1 else { return body(0, gemm) }
        #if hasFeature(Embedded)
        // Unreachable while `threads` is 1; parts give the same bits in any order.
        for part in 0..<parts { body(part, gemm) }
        #else
        let team = self.team ?? WorkerTeam(size: threads)
        self.team = team
        while partBuffers.count < threads - 1 { partBuffers.append(GEMMBuffers()) }
        let gemm = self.gemm, partBuffers = self.partBuffers
        team.run(parts: parts) { part, member in body(part, member == 0 ? gemm : partBuffers[member - 1]) }
        #endif
    }

    var layersWithParameters: Range<Int> { 0..<sizes.count - 1 }
    /// (w^{p+2})ᵀ: entry w^{p+2}_jk at row k, column j, rows `weightStrides[p]` apart.
    func wT(_ p: Int) -> UnsafeMutablePointer<Double> { parameters + storedWeightOffsets[p] }
    func b(_ p: Int) -> UnsafeMutablePointer<Double> { parameters + storedBiasOffsets[p] }

    // MARK: - Parameters

    /// Copies the network's w^l (transposing it) and b^l into `parameters`.
    func load(_ network: Network) {
        for p in layersWithParameters {
            let nIn = sizes[p], nOut = sizes[p + 1], ld = weightStrides[p], wT = wT(p)
            network.weights[p + 2].elements.withUnsafeBufferPointer { w in
                for j in 0..<nOut {
                    for k in 0..<nIn { wT[k * ld + j] = w[j * nIn + k] }
                }
            }
            network.biases[p + 2].elements.withUnsafeBufferPointer { b(p).update(from: $0.baseAddress!, count: $0.count) }
        }
    }

    /// Copies `parameters` back into the network's w^l and b^l.
    func store(into network: inout Network) {
        for p in layersWithParameters {
            let nIn = sizes[p], nOut = sizes[p + 1], ld = weightStrides[p], wT = wT(p)
            network.weights[p + 2].elements = Array(unsafeUninitializedCapacity: nOut * nIn) { w, count in
                for j in 0..<nOut {
                    for k in 0..<nIn { w[j * nIn + k] = wT[k * ld + j] }
                }
                count = nOut * nIn
            }
            network.biases[p + 2].elements = Array(UnsafeBufferPointer(start: b(p), count: nOut))
        }
    }

    /// The parameter with index `index` in the network's order (see `weightOffsets`).
    func parameter(_ index: Int) -> UnsafeMutablePointer<Double> {
        var p = weightOffsets.count - 1
        while weightOffsets[p] > index { p -= 1 }
        if index >= biasOffsets[p] { return b(p) + (index - biasOffsets[p]) }
        let i = index - weightOffsets[p], nIn = sizes[p]
        return wT(p) + (i % nIn) * weightStrides[p] + i / nIn
    }

    /// Whether every parameter is finite (training can diverge when η is too large).
    var parametersAreFinite: Bool {
        UnsafeBufferPointer(start: parameters, count: storedCount).allSatisfy { $0.isFinite }
    }

    // MARK: - Batches

    /// Copies the samples `rows` of `data` into A^1 and the targets.
    func loadBatch(_ data: DataSet, rows: Range<Int>) {
        loadBatch(data, rows: 0..<rows.count) { rows.lowerBound + $0 }
    }

    /// Copies the samples with the given indices into A^1 and the targets.
    func loadBatch(_ data: DataSet, indices: ArraySlice<Int>) {
        loadBatch(data, indices: indices, rows: 0..<indices.count)
    }

    /// Copies the samples `indices[rows]` (positions counted from the slice's start) into those
    /// rows of A^1 and the targets.
    func loadBatch(_ data: DataSet, indices: ArraySlice<Int>, rows: Range<Int>) {
        let start = indices.startIndex
        loadBatch(data, rows: rows) { indices[start + $0] }
    }

    /// Points `inputRows[rows]` at the samples `indices[rows]` of `x` (the data set's inputs) and
    /// copies their targets: a training step's batch, without copying its inputs.
    func pointBatch(at x: UnsafePointer<Double>, of data: DataSet, indices: ArraySlice<Int>, rows: Range<Int>) {
        let nIn = sizes[0], nOut = sizes[sizes.count - 1], start = indices.startIndex
        data.targets.elements.withUnsafeBufferPointer { y in
            for r in rows {
                let i = indices[start + r]
                inputRows[r] = x + i * nIn
                (targets + r * nOut).update(from: y.baseAddress! + i * nOut, count: nOut)
            }
        }
    }

    private func loadBatch(_ data: DataSet, rows: Range<Int>, index: (Int) -> Int) {
        let nIn = sizes[0], nOut = sizes[sizes.count - 1]
        data.inputs.elements.withUnsafeBufferPointer { x in
            data.targets.elements.withUnsafeBufferPointer { y in
                for r in rows {
                    let i = index(r)
                    (activationBuffers[0] + r * nIn).update(from: x.baseAddress! + i * nIn, count: nIn)
                    (targets + r * nOut).update(from: y.baseAddress! + i * nOut, count: nOut)
                }
            }
        }
    }

    // MARK: - Gradients

    /// ∂C/∂w^l and ∂C/∂b^l of the mean cost over the first `m` rows, into `gradient`.
    func computeGradients(count m: Int) {
        let gradient = self.gradient ?? .allocate(capacity: parameterCount)
        self.gradient = gradient
        let scale = 1 / Double(m)
        for p in layersWithParameters {
            let nIn = sizes[p], nOut = sizes[p + 1]
            // BP4: ∂C/∂w^l = (1/m) (Δ^l)ᵀ A^{l−1}.
            GEMM.multiply(m: nOut, n: nIn, k: m, alpha: scale, a: deltas[p], lda: nOut, transposeA: true,
                          b: activationBuffers[p], ldb: nIn, transposeB: false, beta: 0,
                          c: gradient + weightOffsets[p], ldc: nIn, buffers: gemm)
            // BP3: ∂C/∂b^l = (1/m) Σ_rows Δ^l.
            let nablaB = gradient + biasOffsets[p]
            columnSums(deltas[p], rows: m, columns: nOut, into: nablaB)
            for j in 0..<nOut { nablaB[j] *= scale }
        }
    }

    /// Allocates the momentum velocity (zero) before the first step that needs it.
    func prepareStep(momentum mu: Double) {
        if mu != 0 && velocity == nil {
            velocity = .allocate(capacity: storedCount)
            velocity!.initialize(repeating: 0, count: storedCount)
        }
    }

    // MARK: - Evaluation

    /// Σ C over the first `m` rows, after `forward`.
    func totalCost(count m: Int, cost: Cost) -> Double {
        let last = sizes.count - 2
        return cost.total(z: zs[last], a: activationBuffers[last + 1], y: targets, rows: m,
                          columns: sizes[last + 1], activation: activations[last])
    }

    /// How many of the first `m` rows the network gets right, after `forward`: the largest output
    /// is the largest target, or, with one output neuron, output and target are on the same side
    /// of ½.
    func correctCount(count m: Int) -> Int {
        let n = sizes[sizes.count - 1]
        let a = activationBuffers[sizes.count - 1]
        var correct = 0
        for r in 0..<m {
            let ar = a + r * n, yr = targets + r * n
            if n == 1 {
                if (ar[0] >= 0.5) == (yr[0] >= 0.5) { correct += 1 }
            } else if BatchWorkspace.argmax(ar, n) == BatchWorkspace.argmax(yr, n) {
                correct += 1
            }
        }
        return correct
    }

    static func argmax(_ x: UnsafePointer<Double>, _ n: Int) -> Int {
        var best = 0
        for j in 1..<max(n, 1) where x[j] > x[best] { best = j }
        return best
    }

    // MARK: - Results as values

    /// The first `m` rows of Z^l, A^l, Δ^l and the gradient, as matrices.
    func batchBackpropagation(count m: Int) -> BatchBackpropagation {
        func matrix(_ pointer: UnsafeMutablePointer<Double>, _ rows: Int, _ columns: Int) -> Matrix {
            var result = Matrix(rows: rows, columns: columns)
            result.elements = Array(UnsafeBufferPointer(start: pointer, count: rows * columns))
            return result
        }
        let gradient = self.gradient!
        var nablaW: [Matrix] = [], nablaB: [Vector] = []
        for p in layersWithParameters {
            nablaW.append(matrix(gradient + weightOffsets[p], sizes[p + 1], sizes[p]))
            nablaB.append(Vector(Array(UnsafeBufferPointer(start: gradient + biasOffsets[p], count: sizes[p + 1]))))
        }
        return BatchBackpropagation(
            zs: PerLayer(first: 2, layersWithParameters.map { matrix(zs[$0], m, sizes[$0 + 1]) }),
            activations: PerLayer(first: 1, sizes.indices.map { matrix(activationBuffers[$0], m, sizes[$0]) }),
            deltas: PerLayer(first: 2, layersWithParameters.map { matrix(deltas[$0], m, sizes[$0 + 1]) }),
            gradients: Gradients(nablaW: PerLayer(first: 2, nablaW), nablaB: PerLayer(first: 2, nablaB)))
    }
}
