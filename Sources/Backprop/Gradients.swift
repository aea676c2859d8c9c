/// ∂C/∂w^l and ∂C/∂b^l for every layer l = 2…L, the same shapes as w^l and b^l.
public struct Gradients: Equatable, Sendable {
    /// ∂C/∂w^l, an n_l × n_{l−1} matrix.
    public var nablaW: PerLayer<Matrix>
    /// ∂C/∂b^l, a vector of n_l components.
    public var nablaB: PerLayer<Vector>

    /// The largest difference between corresponding entries of two gradients of one network.
    public func maxAbsoluteDifference(_ other: Gradients) throws(BackpropError) -> Double {
        var largest = 0.0
        for l in nablaW.indices {
            largest = max(largest, try nablaW[l].maxAbsoluteDifference(other.nablaW[l]))
            try nablaB[l].check(other.nablaB[l], "gradient difference")
            for j in nablaB[l].indices { largest = max(largest, abs(nablaB[l][j] - other.nablaB[l][j])) }
        }
        return largest
    }
}

