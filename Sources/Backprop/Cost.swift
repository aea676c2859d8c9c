/// A cost function C(a^L, y) for one sample, with its output error δ^L (BP1).
///
/// The cost of a data set is the mean over its samples. BP1 in general reads
/// δ^L = (∂a^L/∂z^L)ᵀ ∇_a C; for the quadratic cost that is (a^L − y) ⊙ σ'(z^L) as in the notes,
/// and the two cross-entropies, paired with the output layer they are made for, cancel the
/// activation's derivative and leave a^L − y.
public enum Cost: String, CaseIterable, Sendable {
    /// C = ½ Σ_j (y_j − a^L_j)², exactly as in the notes;  ∂C/∂a^L_j = a^L_j − y_j.
    case quadratic
    /// C = −Σ_j [y_j ln a^L_j + (1 − y_j) ln(1 − a^L_j)], for sigmoid (or softmax) outputs;
    /// ∂C/∂a^L_j = (a^L_j − y_j) / (a^L_j (1 − a^L_j)).
    case binaryCrossEntropy
    /// C = −Σ_j y_j ln a^L_j, for a softmax output layer;  ∂C/∂a^L_j = −y_j / a^L_j.
    case categoricalCrossEntropy

    /// The raw value as a static string, for error messages (see `Activation.name`).
    public var name: StaticString {
        switch self {
        case .quadratic: "quadratic"
        case .binaryCrossEntropy: "binaryCrossEntropy"
        case .categoricalCrossEntropy: "categoricalCrossEntropy"
        }
    }

    /// Whether the cost is defined for outputs of `activation` (cross-entropy needs (0, 1)).
    public func accepts(_ activation: Activation) -> Bool {
        switch self {
        case .quadratic: true
        case .binaryCrossEntropy: activation == .sigmoid || activation == .softmax
        case .categoricalCrossEntropy: activation == .softmax
        }
    }

    /// C for one sample, computed from a^L (and from z^L where that is more accurate: the
    /// cross-entropies of sigmoid and softmax outputs use log-sum-exp and softplus).
    public func value(z: Vector, a: Vector, y: Vector, activation: Activation) throws(BackpropError) -> Double {
        guard z.count == y.count && a.count == y.count else {
            throw .dimensionMismatch(operation: "cost", expected: "\(y.count) outputs", found: "z: \(z.count), a: \(a.count)")
        }
        return z.elements.withUnsafeBufferPointer { zs in
            a.elements.withUnsafeBufferPointer { as_ in
                y.elements.withUnsafeBufferPointer { ys in
                    guard let zs = zs.baseAddress, let as_ = as_.baseAddress, let ys = ys.baseAddress else { return 0 }
                    return total(z: zs, a: as_, y: ys, rows: 1, columns: y.count, activation: activation)
                }
            }
        }
    }

    /// ∇_a C, the derivative of the cost with respect to each output activation.
    public func derivative(a: Vector, y: Vector) throws(BackpropError) -> Vector {
        guard a.count == y.count else {
            throw .dimensionMismatch(operation: "cost derivative", expected: "\(y.count) outputs", found: "\(a.count)")
        }
        return Vector(zip(a.elements, y.elements).map { a, y in gradient(a, y) })
    }

    /// BP1: the output error δ^L = (∂a^L/∂z^L)ᵀ ∇_a C.
    public func outputError(z: Vector, a: Vector, y: Vector, activation: Activation) throws(BackpropError) -> Vector {
        guard z.count == y.count && a.count == y.count else {
            throw .dimensionMismatch(operation: "output error", expected: "\(y.count) outputs",
                                     found: "z: \(z.count), a: \(a.count)")
        }
        var delta = Vector.zeros(y.count)
        z.elements.withUnsafeBufferPointer { zs in
            a.elements.withUnsafeBufferPointer { as_ in
                y.elements.withUnsafeBufferPointer { ys in
                    delta.elements.withUnsafeMutableBufferPointer { d in
                        guard let zs = zs.baseAddress, let as_ = as_.baseAddress, let ys = ys.baseAddress,
                              let d = d.baseAddress else { return }
                        outputError(z: zs, a: as_, y: ys, delta: d, rows: 1, columns: y.count, activation: activation)
                    }
                }
            }
        }
        return delta
    }

    // MARK: - Batches (one sample per row)

    func gradient(_ a: Double, _ y: Double) -> Double {
        switch self {
        case .quadratic: a - y
        case .binaryCrossEntropy: (a - y) / (a * (1 - a))
        case .categoricalCrossEntropy: -y / a
        }
    }

    /// BP1 for `rows` samples: Δ^L ← (∂A/∂Z)ᵀ ∇_a C, row by row.
    func outputError(z: UnsafePointer<Double>, a: UnsafePointer<Double>, y: UnsafePointer<Double>,
                     delta: UnsafeMutablePointer<Double>, rows: Int, columns: Int, activation: Activation) {
        let count = rows * columns
        switch (self, activation) {
        case (.binaryCrossEntropy, .sigmoid):
            // σ' = a(1 − a) cancels the denominator of ∂C/∂a: δ^L = a^L − y.
            for i in 0..<count { delta[i] = a[i] - y[i] }
        case (.categoricalCrossEntropy, .softmax):
            // The softmax Jacobian turns −y/a into a Σ_i y_i − y, which is a^L − y for one-hot y.
            for r in 0..<rows {
                let ar = a + r * columns, yr = y + r * columns, dr = delta + r * columns
                var ySum = 0.0
                for j in 0..<columns { ySum += yr[j] }
                for j in 0..<columns { dr[j] = ar[j] * ySum - yr[j] }
            }
        default:
            for i in 0..<count { delta[i] = gradient(a[i], y[i]) }
            activation.backward(g: delta, z: z, a: a, rows: rows, columns: columns)
        }
    }

    /// Σ over `rows` samples of C.
    func total(z: UnsafePointer<Double>, a: UnsafePointer<Double>, y: UnsafePointer<Double>,
               rows: Int, columns: Int, activation: Activation) -> Double {
        var sum = 0.0
        for r in 0..<rows {
            let zr = z + r * columns, ar = a + r * columns, yr = y + r * columns
            switch (self, activation) {
            case (.quadratic, _):
                for j in 0..<columns { sum += 0.5 * (yr[j] - ar[j]) * (yr[j] - ar[j]) }
            case (.binaryCrossEntropy, .sigmoid):
                // −ln σ(z) = softplus(−z) and −ln(1 − σ(z)) = softplus(z).
                for j in 0..<columns {
                    sum += yr[j] * Elementary.softplus(-zr[j]) + (1 - yr[j]) * Elementary.softplus(zr[j])
                }
            case (.binaryCrossEntropy, _):
                for j in 0..<columns {
                    sum -= xLogY(yr[j], ar[j]) + xLogY(1 - yr[j], 1 - ar[j])
                }
            case (.categoricalCrossEntropy, .softmax):
                // −ln a_j = log Σ_i e^{z_i} − z_j, computed with the largest z_i factored out.
                var largest = -Double.infinity
                for j in 0..<columns { largest = Swift.max(largest, zr[j]) }
                var expSum = 0.0
                for j in 0..<columns { expSum += Elementary.exp(zr[j] - largest) }
                let logSumExp = largest + Elementary.log(expSum)
                for j in 0..<columns where yr[j] != 0 { sum += yr[j] * (logSumExp - zr[j]) }
            case (.categoricalCrossEntropy, _):
                for j in 0..<columns { sum -= xLogY(yr[j], ar[j]) }
            }
        }
        return sum
    }

    /// x ln y, with 0 ln 0 = 0.
    private func xLogY(_ x: Double, _ y: Double) -> Double {
        x == 0 ? 0 : x * Elementary.log(y)
    }
}
