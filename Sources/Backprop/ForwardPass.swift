/// Everything the forward pass computes for one input: every z^l and every a^l.
public struct ForwardPass: Equatable, Sendable, CustomStringConvertible {
    /// z^l = w^l a^{l−1} + b^l, the weighted inputs of layers 2…L.
    public let zs: PerLayer<Vector>
    /// a^l = σ(z^l) for layers 2…L, and a^1 = x.
    public let activations: PerLayer<Vector>

    /// a^L, the network's output.
    public var output: Vector { activations.lastLayer }

    /// One line per layer: "a^1 = x", then "z^l = …" and "a^l = …" for l = 2…L.
    public var description: String {
        var lines = ["a^1 = \(activations[1])"]
        for l in zs.indices {
            lines.append("z^\(l) = \(zs[l])")
            lines.append("a^\(l) = \(activations[l])")
        }
        return lines.joined(separator: "\n")
    }
}
