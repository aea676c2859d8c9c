/// What `Network.backprop(_:_:cost:)` returns for one sample: the forward pass, every δ^l and the
/// gradients.
public struct Backpropagation: Equatable, Sendable, CustomStringConvertible {
    /// z^l and a^l from the forward pass.
    public let forward: ForwardPass
    /// δ^l = ∂C/∂z^l for layers 2…L.
    public let deltas: PerLayer<Vector>
    /// ∂C/∂w^l and ∂C/∂b^l.
    public let gradients: Gradients

    /// The forward pass, then δ^l, ∂C/∂b^l and ∂C/∂w^l from the last layer back, one per line.
    public var description: String {
        var lines = [forward.description]
        for l in deltas.indices.reversed() {
            lines.append("δ^\(l) = \(deltas[l])")
            lines.append("∂C/∂b^\(l) = \(gradients.nablaB[l])")
            lines.append("∂C/∂w^\(l) = " + gradients.nablaW[l].description.split(separator: "\n").joined(separator: "\n    "))
        }
        return lines.joined(separator: "\n")
    }
}

/// What `Network.backprop(batch:cost:)` returns: the matrix form for a mini-batch, one sample per
/// row, and the gradient of the mean cost over the batch.
public struct BatchBackpropagation: Equatable, Sendable {
    /// Z^l, one row z^l per sample, for layers 2…L.
    public let zs: PerLayer<Matrix>
    /// A^l, one row a^l per sample, for layers 1…L (A^1 holds the inputs).
    public let activations: PerLayer<Matrix>
    /// Δ^l, one row δ^l per sample, for layers 2…L.
    public let deltas: PerLayer<Matrix>
    /// The gradient of the mean cost: (1/m) Σ_x ∂C_x/∂w^l and (1/m) Σ_x ∂C_x/∂b^l.
    public let gradients: Gradients
}
