/// The text of an engine error: a `String` natively; in the Embedded build for the browser, UTF-8
/// bytes written by a small interpolation of its own.
///
/// Every error message in the engine is built by string interpolation at its throw site. In
/// Embedded Swift, interpolating into a `String` links the whole of the standard library's
/// string machinery (growth, UTF-16 views, breadcrumbs, integer descriptions: about 30 KB of a
/// live module) for text that a widget rarely shows. The same throw sites build an `ErrorText`
/// there instead, with the same words: literals and whole numbers only.
#if hasFeature(Embedded)
public struct ErrorText: Equatable, Sendable, ExpressibleByStringInterpolation {
    /// The message, in UTF-8.
    public var utf8: [UInt8]

    public init(stringLiteral value: StaticString) {
        utf8 = []
        utf8.append(value)
    }

    public init(stringInterpolation: Interpolation) {
        utf8 = stringInterpolation.utf8
    }

    /// Literal segments and interpolated whole numbers and texts, appended as UTF-8.
    public struct Interpolation: StringInterpolationProtocol {
        var utf8: [UInt8] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            utf8.reserveCapacity(literalCapacity + 8 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: StaticString) { utf8.append(literal) }

        public mutating func appendInterpolation(_ text: ErrorText) { utf8.append(contentsOf: text.utf8) }

        public mutating func appendInterpolation(_ text: StaticString) { utf8.append(text) }

        /// A whole number in decimal, as `"\(value)"` writes it natively.
        public mutating func appendInterpolation(_ value: Int) {
            if value < 0 { utf8.append(0x2D) }
            var magnitude = value.magnitude
            var digits: [UInt8] = []
            repeat {
                digits.append(0x30 + UInt8(magnitude % 10))
                magnitude /= 10
            } while magnitude > 0
            utf8.append(contentsOf: digits.reversed())
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends the UTF-8 of `literal`.
    fileprivate mutating func append(_ literal: StaticString) {
        literal.withUTF8Buffer { append(contentsOf: $0) }
    }
}
#else
public typealias ErrorText = String
#endif
