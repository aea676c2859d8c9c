/// A dense matrix of `Double`s in row-major order: a weight matrix w^l, a gradient ∂C/∂w^l, or a
/// batch with one sample per row.
///
/// `m[j, k]` is the entry in row j and column k, so for a weight matrix `w[j, k]` is w^l_jk, the
/// weight from neuron k in layer l − 1 to neuron j in layer l. The products that backpropagation
/// needs are here: W·a (matrix–vector), Wᵀ·δ (transpose product, for BP2), δ·aᵀ (outer
/// product, for BP4), matrix–matrix products with either factor transposed (the mini-batch
/// form), the Hadamard product and axpy. Matrix–matrix products run on the engine's blocked
/// `GEMM`. Operands of the wrong size throw `BackpropError.dimensionMismatch`.
public struct Matrix: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The number of rows.
    public let rows: Int
    /// The number of columns.
    public let columns: Int
    /// The entries, row after row: entry (j, k) is `elements[j * columns + k]`.
    public internal(set) var elements: [Double]

    /// A `rows` × `columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions cannot be negative")
        self.rows = rows
        self.columns = columns
        elements = Array(repeating: value, count: rows * columns)
    }

    /// A `rows` × `columns` matrix with the given entries in row-major order.
    public init(rows: Int, columns: Int, elements: [Double]) throws(BackpropError) {
        guard rows >= 0, columns >= 0, elements.count == rows * columns else {
            throw .dimensionMismatch(operation: "Matrix(rows: \(rows), columns: \(columns))",
                                     expected: "\(max(rows, 0) * max(columns, 0)) entries",
                                     found: "\(elements.count)")
        }
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix from its rows, which must all have the same length.
    public init(_ rowArrays: [[Double]]) throws(BackpropError) {
        let columns = rowArrays.first?.count ?? 0
        for (j, row) in rowArrays.enumerated() where row.count != columns {
            throw .dimensionMismatch(operation: "Matrix from rows", expected: "\(columns) entries in row \(j)",
                                     found: "\(row.count)")
        }
        try self.init(rows: rowArrays.count, columns: columns, elements: rowArrays.flatMap { $0 })
    }

    /// Entry (j, k).
    public subscript(j: Int, k: Int) -> Double {
        get { elements[j * columns + k] }
        set { elements[j * columns + k] = newValue }
    }

    /// Row j as a vector.
    public func row(_ j: Int) -> Vector {
        Vector(Array(elements[j * columns..<(j + 1) * columns]))
    }

    /// The rows as arrays (the shape JSON files use).
    public var rowArrays: [[Double]] { (0..<rows).map { row($0).elements } }

    /// "rows × columns", for messages.
    public var shape: ErrorText { "\(rows) × \(columns)" }

    public var description: String {
        rowArrays.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }.joined(separator: "\n")
    }

    /// The transpose.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for j in 0..<rows {
            for k in 0..<columns { t.elements[k * rows + j] = elements[j * columns + k] }
        }
        return t
    }

    // MARK: - Products

    /// The matrix–vector product (W a)_j = Σ_k w_jk a_k.
    public static func * (w: Matrix, a: Vector) throws(BackpropError) -> Vector {
        guard w.columns == a.count else {
            throw .dimensionMismatch(operation: "matrix × vector", expected: "\(w.columns) components",
                                     found: "\(a.count)")
        }
        var result = Vector.zeros(w.rows)
        for j in 0..<w.rows {
            var sum = 0.0
            for k in 0..<w.columns { sum = sum.addingProduct(w.elements[j * w.columns + k], a[k]) }
            result[j] = sum
        }
        return result
    }

    /// The transpose product (Wᵀ δ)_k = Σ_j w_jk δ_j, as in BP2.
    public func transposedTimes(_ delta: Vector) throws(BackpropError) -> Vector {
        guard rows == delta.count else {
            throw .dimensionMismatch(operation: "matrixᵀ × vector", expected: "\(rows) components",
                                     found: "\(delta.count)")
        }
        var result = Vector.zeros(columns)
        for j in 0..<rows {
            for k in 0..<columns { result[k] = result[k].addingProduct(elements[j * columns + k], delta[j]) }
        }
        return result
    }

    /// The outer product (u vᵀ)_jk = u_j v_k, as in BP4.
    public static func outer(_ u: Vector, _ v: Vector) -> Matrix {
        var m = Matrix(rows: u.count, columns: v.count)
        for j in 0..<u.count {
            for k in 0..<v.count { m.elements[j * v.count + k] = u[j] * v[k] }
        }
        return m
    }

    /// The matrix product A B.
    public static func * (a: Matrix, b: Matrix) throws(BackpropError) -> Matrix {
        try product(a, transposeA: false, b, transposeB: false)
    }

    /// Aᵀ B, without forming the transpose.
    public func transposedTimes(_ b: Matrix) throws(BackpropError) -> Matrix {
        try Matrix.product(self, transposeA: true, b, transposeB: false)
    }

    /// A Bᵀ, without forming the transpose.
    public func timesTransposed(_ b: Matrix) throws(BackpropError) -> Matrix {
        try Matrix.product(self, transposeA: false, b, transposeB: true)
    }

    static func product(_ a: Matrix, transposeA: Bool, _ b: Matrix, transposeB: Bool)
        throws(BackpropError) -> Matrix
    {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (k2, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        guard k == k2 else {
            let left = (transposeA ? "(\(a.shape))ᵀ" : a.shape), right = (transposeB ? "(\(b.shape))ᵀ" : b.shape)
            throw .dimensionMismatch(operation: "matrix product \(left) · \(right)",
                                     expected: "\(k) rows on the right", found: "\(k2)")
        }
        var c = Matrix(rows: m, columns: n)
        GEMMBuffers.borrow { buffers in
            a.elements.withUnsafeBufferPointer { pa in
                b.elements.withUnsafeBufferPointer { pb in
                    c.elements.withUnsafeMutableBufferPointer { pc in
                        guard let pa = pa.baseAddress, let pb = pb.baseAddress, let pc = pc.baseAddress else { return }
                        GEMM.multiply(m: m, n: n, k: k, alpha: 1, a: pa, lda: a.columns, transposeA: transposeA,
                                      b: pb, ldb: b.columns, transposeB: transposeB, beta: 0, c: pc, ldc: n,
                                      buffers: buffers)
                    }
                }
            }
        }
        return c
    }

    // MARK: - Entrywise

    /// A + B.
    public static func + (a: Matrix, b: Matrix) throws(BackpropError) -> Matrix {
        try a.zipped(with: b, "matrix + matrix", +)
    }

    /// A − B.
    public static func - (a: Matrix, b: Matrix) throws(BackpropError) -> Matrix {
        try a.zipped(with: b, "matrix − matrix", -)
    }

    /// The Hadamard product (A ⊙ B)_jk = a_jk b_jk.
    public static func ⊙ (a: Matrix, b: Matrix) throws(BackpropError) -> Matrix {
        try a.zipped(with: b, "Hadamard product", *)
    }

    /// c·A.
    public static func * (c: Double, a: Matrix) -> Matrix {
        var result = a
        for i in result.elements.indices { result.elements[i] *= c }
        return result
    }

    /// self ← self + α·X ("axpy").
    public mutating func axpy(_ alpha: Double, _ x: Matrix) throws(BackpropError) {
        try checkShape(x, "axpy")
        for i in elements.indices { elements[i] = elements[i].addingProduct(alpha, x.elements[i]) }
    }

    /// The largest |a_jk − b_jk|, for comparisons in tests and notes.
    public func maxAbsoluteDifference(_ other: Matrix) throws(BackpropError) -> Double {
        try checkShape(other, "difference")
        return zip(elements, other.elements).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
    }

    func checkShape(_ other: Matrix, _ operation: ErrorText) throws(BackpropError) {
        guard rows == other.rows && columns == other.columns else {
            throw .dimensionMismatch(operation: operation, expected: shape, found: other.shape)
        }
    }

    func zipped(with other: Matrix, _ operation: ErrorText, _ f: (Double, Double) -> Double)
        throws(BackpropError) -> Matrix
    {
        try checkShape(other, operation)
        var result = self
        for i in elements.indices { result.elements[i] = f(elements[i], other.elements[i]) }
        return result
    }

    /// Runs `body` on the entries' storage (for the engine's kernels).
    mutating func withUnsafeMutableStorage<R, E: Error>(_ body: (UnsafeMutablePointer<Double>) throws(E) -> R) throws(E) -> R {
        try elements.withUnsafeMutableBufferPointer { (storage) throws(E) -> R in try body(storage.baseAddress!) }
    }
}
