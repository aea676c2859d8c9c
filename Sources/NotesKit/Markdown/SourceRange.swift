/// A position in a Markdown file: 1-based line and 1-based byte column, as cmark counts them.
struct SourceLocation: Sendable, Hashable, Comparable {
    var line: Int
    var column: Int

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// The span of a node in its Markdown file, both ends inclusive.
struct SourceRange: Sendable, Hashable {
    var start: SourceLocation
    var end: SourceLocation

    init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    /// The same range moved down by `lines` (for a body that followed front matter).
    func shifted(byLines lines: Int) -> SourceRange {
        SourceRange(start: SourceLocation(line: start.line + lines, column: start.column),
                    end: SourceLocation(line: end.line + lines, column: end.column))
    }
}
