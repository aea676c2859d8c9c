/// A position in a Markdown file: 1-based line and 1-based byte column, as cmark counts them.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// The span of a node in its Markdown file, both ends inclusive.
public struct SourceRange: Sendable, Hashable {
    public var start: SourceLocation
    public var end: SourceLocation

    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    /// The same range moved down by `lines` (for a body that followed front matter).
    public func shifted(byLines lines: Int) -> SourceRange {
        SourceRange(start: SourceLocation(line: start.line + lines, column: start.column),
                    end: SourceLocation(line: end.line + lines, column: end.column))
    }
}
