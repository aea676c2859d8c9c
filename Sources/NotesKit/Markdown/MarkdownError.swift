/// A problem in a Markdown file's syntax, at a line of that file.
struct MarkdownError: Error, Sendable, Equatable, CustomStringConvertible {
    var line: Int
    var message: String

    init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    var description: String { "line \(line): \(message)" }
}
