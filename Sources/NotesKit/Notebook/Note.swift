import Foundation

/// One note, loaded: its front matter, its Markdown tree and what was found in it.
struct Note: Sendable {
    /// The file as the user named it, e.g. `notes/backprop.md`; diagnostics use it.
    var file: String
    /// The page name: the file name without `.md` (`backprop` → `backprop.html`).
    var slug: String
    var frontMatter: FrontMatter
    /// The Markdown tree, parsed at load or, for a note from the note cache, before its page is
    /// rendered (`NoteDocument.parse`).
    let source: NoteDocument
    /// Every display equation, in document order.
    var equations: [Equation]
    /// Every `@eq-…` reference in prose, in document order.
    var references: [Reference]
    /// The Swift cells, expected outputs and inline values.
    var notebook: Notebook
    /// Words of prose (code blocks and display math not counted; an inline formula counts as one).
    var wordCount: Int
    /// SHA-256 of the note's text as read, for the page cache: a page of the same text, results
    /// and neighbours is the same page.
    var sourceDigest: String

    /// The note's Markdown tree; only for a note whose document is parsed (see `source`).
    var document: MarkdownNode { source.tree }

    /// The site-relative URL of the note's page.
    var href: String { slug + ".html" }

    /// Minutes to read at 200 words a minute, rounded up, at least 1.
    var readingMinutes: Int { max(1, (wordCount + 199) / 200) }

    /// A display equation and the label, tag and number it shows under.
    struct Equation: Sendable, Equatable {
        var tex: String
        var label: String?
        /// The `\tag{…}` written in the TeX, if any.
        var tag: String?
        /// Automatic number, for labelled equations without a tag (1, 2, … within the note).
        var number: Int?
        var line: Int

        /// What a reference to this equation shows: `(BP1)` or `(3)`.
        var displayName: String? {
            if let tag { return "(\(tag))" }
            return number.map { "(\($0))" }
        }
    }

    /// An `@eq-…` reference and where it stands.
    struct Reference: Sendable, Equatable {
        var label: String
        var line: Int
    }
}
