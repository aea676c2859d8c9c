/// Canonical text for values in notes: the same bytes on every machine.
///
/// Numbers use Swift's shortest round-trip form, with integral values written without `.0`
/// (up to 2^53), `-0` written as `0`, and `nan`, `inf`, `-inf` for the special values. Arrays
/// are `[a, b, c]`; an array of arrays (a matrix) puts each row on its own line.
public enum Canonical {
    /// The canonical text of a number.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == 0 { return "0" }
        if value == value.rounded(), abs(value) <= 9_007_199_254_740_992 {
            return String(Int64(value))
        }
        return value.description
    }

    /// The canonical text of any value: numbers, arrays, matrices, and otherwise its description.
    public static func describe(_ value: Any) -> String {
        switch value {
        case let number as Double: return format(number)
        case let number as Float: return format(Double(number))
        case let number as Int: return String(number)
        case let matrix as [[Double]]: return describeRows(matrix.map { $0.map(format) })
        case let matrix as [[Int]]: return describeRows(matrix.map { $0.map(String.init) })
        case let vector as [Double]: return "[" + vector.map(format).joined(separator: ", ") + "]"
        case let vector as [Float]: return "[" + vector.map { format(Double($0)) }.joined(separator: ", ") + "]"
        case let vector as [Int]: return "[" + vector.map(String.init).joined(separator: ", ") + "]"
        case let vector as [Any]: return "[" + vector.map(describe).joined(separator: ", ") + "]"
        case let text as String: return text
        case let convertible as CustomStringConvertible: return convertible.description
        default: return String(describing: value)
        }
    }

    private static func describeRows(_ rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "[]" }
        let lines = rows.map { "[" + $0.joined(separator: ", ") + "]" }
        return "[" + lines.joined(separator: ",\n ") + "]"
    }
}

/// Prints the canonical text of `values`, separated by spaces, like `print`.
public func show(_ values: Any..., separator: String = " ", terminator: String = "\n") {
    print(values.map(Canonical.describe).joined(separator: separator), terminator: terminator)
}
