import NotebookSupport

/// A place in a note's generated program: a cell or inline value, and a line (and column) in it.
///
/// Lines count from 1 at the unit's first line, so a location stays the same whatever prose
/// moves the cell; `Notebook.line(of:)` turns it into a line of the Markdown file.
struct ProgramLocation: Codable, Sendable, Hashable {
    var unit: RuntimeProtocol.Unit
    var line: Int
    var column: Int?

    init(unit: RuntimeProtocol.Unit, line: Int, column: Int? = nil) {
        self.unit = unit
        self.line = line
        self.column = column
    }

    /// Reads the compiler's and the backtrace's form, `@cell-3@:2:5` (a directory may stand
    /// before the file name); nil when `text` names no unit of the program.
    init?(_ text: Substring) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard let unit = parts.first.flatMap({ RuntimeProtocol.Unit(fileName: String($0)) }) else { return nil }
        self.unit = unit
        line = parts.count > 1 ? Int(parts[1]) ?? 1 : 1
        column = parts.count > 2 ? Int(parts[2]) : nil
    }

    /// The first location named in `text`, e.g. in a backtrace line `… at @cell-7@:3:14`.
    static func first(in text: Substring) -> ProgramLocation? {
        var rest = text
        while let at = rest.firstIndex(of: "@") {
            let candidate = rest[at...].prefix { !$0.isWhitespace }
            if let location = ProgramLocation(candidate) { return location }
            rest = rest[rest.index(after: at)...]
        }
        return nil
    }
}
