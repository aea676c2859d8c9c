/// The forward pass and backpropagation, one sample at a time and for a mini-batch.
extension Network {
    /// a^L for the input x.
    public func feedforward(_ x: Vector) throws(BackpropError) -> Vector {
        try forward(x).output
    }

    /// The forward pass: z^l = w^l a^{l−1} + b^l and a^l = σ(z^l) for l = 2…L, with a^1 = x.
    public func forward(_ x: Vector) throws(BackpropError) -> ForwardPass {
        try checkInput(x, "input x")
        var zs: [Vector] = [], activations: [Vector] = [x]
        for l in weights.indices {
            let z = try weights[l] * activations[activations.count - 1] + biases[l]
            zs.append(z)
            activations.append(self.activations[l].apply(z))
        }
        return ForwardPass(zs: PerLayer(first: 2, zs), activations: PerLayer(first: 1, activations))
    }

    /// Backpropagation for one sample: every δ^l, ∂C/∂b^l and ∂C/∂w^l.
    public func backprop(_ x: Vector, _ y: Vector, cost: Cost = .quadratic) throws(BackpropError) -> Backpropagation {
        try checkCost(cost)
        try checkInput(y, "target y", count: sizes[sizes.count - 1])
        let pass = try forward(x)
        let L = layerCount
        var deltas = PerLayer(first: 2, Array(repeating: Vector([]), count: L - 1))
        // BP1: δ^L = (∂a^L/∂z^L)ᵀ ∇_a C, that is (a^L − y) ⊙ σ'(z^L) for the quadratic cost.
        deltas[L] = try cost.outputError(z: pass.zs[L], a: pass.activations[L], y: y, activation: activations[L])
        for l in stride(from: L - 1, through: 2, by: -1) {
            // BP2: δ^l = ((w^{l+1})ᵀ δ^{l+1}) ⊙ σ'(z^l).
            let backward = try weights[l + 1].transposedTimes(deltas[l + 1])
            deltas[l] = try activations[l].backpropagate(backward, z: pass.zs[l], a: pass.activations[l])
        }
        var gradients = Gradients(nablaW: weights, nablaB: biases)
        for l in weights.indices {
            gradients.nablaB[l] = deltas[l]  // BP3: ∂C/∂b^l_j = δ^l_j.
            gradients.nablaW[l] = Matrix.outer(deltas[l], pass.activations[l - 1])  // BP4: ∂C/∂w^l_jk = δ^l_j a^{l−1}_k.
        }
        return Backpropagation(forward: pass, deltas: deltas, gradients: gradients)
    }

    /// Backpropagation for a mini-batch in matrix form, one sample per row, and the gradient of
    /// the mean cost over the batch.
    ///
    /// With the samples as rows the equations are transposed: Z^l = A^{l−1} (w^l)ᵀ + 1 (b^l)ᵀ,
    /// Δ^l = (Δ^{l+1} w^{l+1}) ⊙ σ'(Z^l) (BP2), ∂C/∂b^l = (1/m) Σ_rows Δ^l (BP3) and
    /// ∂C/∂w^l = (1/m) (Δ^l)ᵀ A^{l−1} (BP4). This runs on the same kernels as training.
    public func backprop(batch: DataSet, cost: Cost = .quadratic) throws(BackpropError) -> BatchBackpropagation {
        try checkCost(cost)
        try checkShape(of: batch)
        let workspace = BatchWorkspace(network: self, capacity: batch.count, threads: 1)
        workspace.loadBatch(batch, rows: 0..<batch.count)
        workspace.forward(count: batch.count)
        workspace.backward(count: batch.count, cost: cost)
        workspace.computeGradients(count: batch.count)
        return workspace.batchBackpropagation(count: batch.count)
    }

    // MARK: - Checks

    func checkInput(_ v: Vector, _ what: ErrorText, count: Int? = nil) throws(BackpropError) {
        let expected = count ?? sizes[0]
        guard v.count == expected else {
            throw .dimensionMismatch(operation: what, expected: "\(expected) components", found: "\(v.count)")
        }
        if let j = v.firstIndex(where: { !$0.isFinite }) {
            throw .nonFinite(location: "\(what), component \(j)")
        }
    }

    func checkCost(_ cost: Cost) throws(BackpropError) {
        let output = activations[layerCount]
        guard cost.accepts(output) else {
            throw .incompatibleCost(cost: "\(cost.name)", activation: "\(output.name)")
        }
    }

    func checkShape(of data: DataSet) throws(BackpropError) {
        guard data.inputs.columns == sizes[0] else {
            throw .dimensionMismatch(operation: "data set inputs", expected: "\(sizes[0]) per sample",
                                     found: "\(data.inputs.columns)")
        }
        guard data.targets.columns == sizes[sizes.count - 1] else {
            throw .dimensionMismatch(operation: "data set targets", expected: "\(sizes[sizes.count - 1]) per sample",
                                     found: "\(data.targets.columns)")
        }
    }
}
