/// What a file in the notes folder is to the tool: a note and its page name, or why it is not one.
///
/// A note's file name becomes its page's address (`backprop.md` → `backprop.html`) and appears in
/// links on every page, so it may hold only letters, digits, `-`, `_` and `.`: nothing a browser
/// reads as a URL scheme (`javascript:`), a fragment (`#`), a query (`?`) or a folder.
enum NoteFileName: Equatable {
    /// A note, with its page name.
    case note(slug: String)
    /// Not a note and not meant to be one (no `.md` ending).
    case other
    /// Looks like a note but is not read; the reason is a warning.
    case skipped(String)
    /// Meant as a note but unusable; the reason is an error.
    case invalid(String)

    /// Pages the site generates itself, which a note of the same name would overwrite.
    static let generatedPages = ["index", "404", "verification"]

    init(_ name: String) {
        guard name.lowercased().hasSuffix(".md") else { self = .other; return }
        if name.hasPrefix(".") {
            self = .skipped("not read as a note: the name starts with '.', which hides the file")
            return
        }
        guard name.hasSuffix(".md") else {
            self = .skipped("not read as a note: note files end in '.md' in lower case")
            return
        }
        let slug = String(name.dropLast(3))
        let unsafe = slug.unicodeScalars.filter { !($0.properties.isAlphabetic || $0.properties.numericType != nil || "-_.".unicodeScalars.contains($0)) }
        if !unsafe.isEmpty {
            let shown = Set(unsafe).sorted().map { $0.properties.generalCategory == .control || $0 == " " ? "U+" + String($0.value, radix: 16, uppercase: true) : String($0) }
            self = .invalid("a note's file name becomes its page's address, so it may hold only letters, digits, '-', '_' and '.'; "
                            + "rename it without " + shown.map { "'\($0)'" }.joined(separator: ", "))
            return
        }
        if Self.generatedPages.contains(slug.lowercased()) {
            self = .invalid("a note named '\(name)' would be overwritten by the site's own \(slug.lowercased()).html page: rename the note")
            return
        }
        self = .note(slug: slug)
    }
}
