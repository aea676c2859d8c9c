infix operator ⊙: MultiplicationPrecedence

/// A column vector of `Double`s: z^l, a^l, δ^l, b^l, an input x or a target y.
///
/// It is an ordinary random-access collection (`v[j]` is the j-th component, counting from 0)
/// that can be written as an array literal, with the arithmetic the equations use:
/// `+`, `-`, scalar `*`, the Hadamard product `⊙`, `dot` and `axpy`. Operations on two vectors
/// of different lengths throw `BackpropError.dimensionMismatch` instead of trapping.
public struct Vector: RandomAccessCollection, MutableCollection, ExpressibleByArrayLiteral,
    Equatable, Hashable, Sendable, CustomStringConvertible
{
    /// The components, contiguous.
    public var elements: [Double]

    /// A vector with the given components.
    public init(_ elements: [Double]) { self.elements = elements }

    /// A vector of `count` copies of `value`.
    public init(repeating value: Double, count: Int) {
        elements = Array(repeating: value, count: count)
    }

    /// A vector of `count` zeros.
    public static func zeros(_ count: Int) -> Vector { Vector(repeating: 0, count: count) }

    public init(arrayLiteral elements: Double...) { self.elements = elements }

    // MARK: - Collection

    public var startIndex: Int { 0 }
    public var endIndex: Int { elements.count }
    public subscript(j: Int) -> Double {
        get { elements[j] }
        set { elements[j] = newValue }
    }

    public var description: String {
        "[" + elements.map { "\($0)" }.joined(separator: ", ") + "]"
    }

    // MARK: - Arithmetic

    /// u + v, component by component.
    public static func + (u: Vector, v: Vector) throws(BackpropError) -> Vector {
        try u.zipped(with: v, "vector + vector", +)
    }

    /// u − v, component by component.
    public static func - (u: Vector, v: Vector) throws(BackpropError) -> Vector {
        try u.zipped(with: v, "vector − vector", -)
    }

    /// The Hadamard product (u ⊙ v)_j = u_j v_j.
    public static func ⊙ (u: Vector, v: Vector) throws(BackpropError) -> Vector {
        try u.zipped(with: v, "Hadamard product", *)
    }

    /// c·v.
    public static func * (c: Double, v: Vector) -> Vector {
        Vector(v.elements.map { c * $0 })
    }

    /// The dot product Σ_j u_j v_j.
    public func dot(_ v: Vector) throws(BackpropError) -> Double {
        try check(v, "dot product")
        var sum = 0.0
        for j in elements.indices { sum = sum.addingProduct(elements[j], v.elements[j]) }
        return sum
    }

    /// self ← self + α·x ("axpy").
    public mutating func axpy(_ alpha: Double, _ x: Vector) throws(BackpropError) {
        try check(x, "axpy")
        for j in elements.indices { elements[j] = elements[j].addingProduct(alpha, x.elements[j]) }
    }

    /// The sum of the components.
    public var sum: Double { elements.reduce(0, +) }

    /// The index of the largest component (the first one on ties); nil when empty.
    public var argmax: Int? {
        elements.indices.max { elements[$0] < elements[$1] || (elements[$0] == elements[$1] && $0 > $1) }
    }

    /// Applies `f` to every component.
    public func applying(_ f: (Double) -> Double) -> Vector { Vector(elements.map(f)) }

    func check(_ other: Vector, _ operation: ErrorText) throws(BackpropError) {
        guard count == other.count else {
            throw .dimensionMismatch(operation: operation, expected: "\(count) components",
                                     found: "\(other.count)")
        }
    }

    func zipped(with other: Vector, _ operation: ErrorText, _ f: (Double, Double) -> Double)
        throws(BackpropError) -> Vector
    {
        try check(other, operation)
        return Vector(zip(elements, other.elements).map(f))
    }
}
