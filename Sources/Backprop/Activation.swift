/// An activation function σ, with its derivative σ' right next to it.
///
/// Every case but `softmax` acts on each neuron separately, a^l_j = σ(z^l_j), so the Jacobian
/// ∂a^l/∂z^l is diagonal and backpropagation multiplies by σ'(z^l_j) (the ⊙ σ'(z) of BP1 and
/// BP2). Softmax couples the neurons of its layer, a_j = e^{z_j} / Σ_i e^{z_i}; it is meant for
/// the output layer, and `backpropagate` multiplies by its full Jacobian there. The exponentials
/// come from `Elementary`, so activations give the same bits on every machine.
public enum Activation: String, CaseIterable, Sendable {
    /// σ(z) = 1 / (1 + e^{−z});  σ'(z) = σ(z)(1 − σ(z)).
    case sigmoid
    /// σ(z) = tanh z;  σ'(z) = 1 − tanh² z.
    case tanh
    /// σ(z) = max(0, z);  σ'(z) = 1 for z > 0, else 0.
    case relu
    /// σ(z) = z for z > 0, else 0.01 z;  σ'(z) = 1 for z > 0, else 0.01.
    case leakyReLU
    /// σ(z) = z;  σ'(z) = 1.
    case identity
    /// σ(z) = log(1 + e^z);  σ'(z) = 1 / (1 + e^{−z}), the sigmoid.
    case softplus
    /// a_j = e^{z_j} / Σ_i e^{z_i};  ∂a_i/∂z_j = a_i (δ_ij − a_j).
    case softmax

    /// The slope of `leakyReLU` for negative inputs.
    public static let leakySlope = 0.01

    /// The raw value as a static string, for error messages that the browser build writes
    /// without `String` (see `ErrorText`).
    public var name: StaticString {
        switch self {
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .relu: "relu"
        case .leakyReLU: "leakyReLU"
        case .identity: "identity"
        case .softplus: "softplus"
        case .softmax: "softmax"
        }
    }

    /// Whether σ acts on each neuron separately (all but softmax).
    public var isElementwise: Bool { self != .softmax }

    // MARK: - One neuron

    /// σ(z) for one neuron. Softmax of a layer of one neuron is 1.
    public func value(_ z: Double) -> Double {
        switch self {
        case .sigmoid: Elementary.sigmoid(z)
        case .tanh: Elementary.tanh(z)
        case .relu: z > 0 ? z : 0
        case .leakyReLU: z > 0 ? z : Activation.leakySlope * z
        case .identity: z
        case .softplus: Elementary.softplus(z)
        case .softmax: z.isNaN ? z : 1
        }
    }

    /// σ'(z) for one neuron, given also a = σ(z) when that makes it cheaper.
    public func prime(_ z: Double, a: Double) -> Double {
        switch self {
        case .sigmoid: a * (1 - a)
        case .tanh: 1 - a * a
        case .relu: z > 0 ? 1 : 0
        case .leakyReLU: z > 0 ? 1 : Activation.leakySlope
        case .identity: 1
        case .softplus: Elementary.sigmoid(z)
        case .softmax: 0
        }
    }

    /// σ'(z) for one neuron.
    public func prime(_ z: Double) -> Double { prime(z, a: value(z)) }

    // MARK: - A layer

    /// a = σ(z) for a whole layer.
    public func apply(_ z: Vector) -> Vector {
        var a = z
        z.elements.withUnsafeBufferPointer { zs in
            a.elements.withUnsafeMutableBufferPointer { out in
                guard let zs = zs.baseAddress, let out = out.baseAddress else { return }
                forward(z: zs, a: out, rows: 1, columns: z.count)
            }
        }
        return a
    }

    /// δ = (∂a/∂z)ᵀ g for a whole layer: g ⊙ σ'(z) for the elementwise activations, the
    /// Jacobian product a ⊙ (g − (a·g)) for softmax. With g = ∂C/∂a^L this is BP1; with
    /// g = (w^{l+1})ᵀ δ^{l+1} it is BP2.
    public func backpropagate(_ g: Vector, z: Vector, a: Vector) throws(BackpropError) -> Vector {
        guard g.count == z.count && a.count == z.count else {
            throw .dimensionMismatch(operation: "\(name) backpropagation", expected: "\(z.count) components",
                                     found: "g: \(g.count), a: \(a.count)")
        }
        var delta = g
        z.elements.withUnsafeBufferPointer { zs in
            a.elements.withUnsafeBufferPointer { as_ in
                delta.elements.withUnsafeMutableBufferPointer { d in
                    guard let zs = zs.baseAddress, let as_ = as_.baseAddress, let d = d.baseAddress else { return }
                    backward(g: d, z: zs, a: as_, rows: 1, columns: z.count)
                }
            }
        }
        return delta
    }

    // MARK: - Batches (one sample per row)

    /// A ← σ(Z) for `rows` samples of `columns` neurons each.
    func forward(z: UnsafePointer<Double>, a: UnsafeMutablePointer<Double>, rows: Int, columns: Int) {
        let count = rows * columns
        switch self {
        case .sigmoid:
            var i = 0
            while i + 4 <= count {
                let zi = UnsafeRawPointer(z + i).loadUnaligned(as: SIMD4<Double>.self)
                UnsafeMutableRawPointer(a + i).storeBytes(of: Elementary.sigmoid(zi), as: SIMD4<Double>.self)
                i += 4
            }
            while i < count {
                a[i] = Elementary.sigmoid(z[i])
                i += 1
            }
        case .softmax:
            for r in 0..<rows {
                let zr = z + r * columns, ar = a + r * columns
                var largest = -Double.infinity
                for j in 0..<columns { largest = Swift.max(largest, zr[j]) }
                var sum = 0.0
                for j in 0..<columns {
                    ar[j] = Elementary.exp(zr[j] - largest)
                    sum += ar[j]
                }
                for j in 0..<columns { ar[j] /= sum }
            }
        default:
            for i in 0..<count { a[i] = value(z[i]) }
        }
    }

    /// G ← (∂A/∂Z)ᵀ G in place, sample by sample: the ⊙ σ'(z) of BP1 and BP2.
    func backward(g: UnsafeMutablePointer<Double>, z: UnsafePointer<Double>, a: UnsafePointer<Double>,
                  rows: Int, columns: Int) {
        let count = rows * columns
        switch self {
        case .sigmoid:
            for i in 0..<count { g[i] *= a[i] * (1 - a[i]) }
        case .identity:
            break
        case .softmax:
            for r in 0..<rows {
                let gr = g + r * columns, ar = a + r * columns
                var ag = 0.0
                for j in 0..<columns { ag = ag.addingProduct(ar[j], gr[j]) }
                for j in 0..<columns { gr[j] = ar[j] * (gr[j] - ag) }
            }
        default:
            for i in 0..<count { g[i] *= prime(z[i], a: a[i]) }
        }
    }
}
