/// A place in a note's Markdown file (or another file the user wrote, such as a theme template):
/// what a failure points at until `DiagnosticFormatter` prints it.
struct NoteLocation: Sendable, Hashable {
    /// The file as the user named it, e.g. `notes/backprop.md`.
    var file: String
    var line: Int
    var column: Int?
}
