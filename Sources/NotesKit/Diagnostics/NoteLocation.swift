/// A place in a note's Markdown file: what a failure points at until it is printed.
struct NoteLocation: Sendable, Hashable {
    /// The file as the user named it, e.g. `notes/backprop.md`.
    var file: String
    var line: Int
    var column: Int?
}
