import Foundation

/// One note, loaded: its front matter, its Markdown tree and what was found in it.
public struct Note: Sendable {
    /// The file as the user named it, e.g. `notes/backprop.md`; diagnostics use it.
    public var file: String
    /// The page name: the file name without `.md` (`backprop` → `backprop.html`).
    public var slug: String
    public var frontMatter: FrontMatter
    public var document: MarkdownNode
    /// Every display equation, in document order.
    public var equations: [Equation]
    /// Every `@eq-…` reference in prose, in document order.
    public var references: [Reference]
    /// The Swift cells, expected outputs and inline values.
    public var notebook: Notebook
    /// Words of prose (code blocks and display math not counted; an inline formula counts as one).
    public var wordCount: Int

    /// The site-relative URL of the note's page.
    public var href: String { slug + ".html" }

    /// Minutes to read at 200 words a minute, rounded up, at least 1.
    public var readingMinutes: Int { max(1, (wordCount + 199) / 200) }

    /// A display equation and the label, tag and number it shows under.
    public struct Equation: Sendable, Equatable {
        public var tex: String
        public var label: String?
        /// The `\tag{…}` written in the TeX, if any.
        public var tag: String?
        /// Automatic number, for labelled equations without a tag (1, 2, … within the note).
        public var number: Int?
        public var line: Int

        /// What a reference to this equation shows: `(BP1)` or `(3)`.
        public var displayName: String? {
            if let tag { return "(\(tag))" }
            return number.map { "(\($0))" }
        }
    }

    /// An `@eq-…` reference and where it stands.
    public struct Reference: Sendable, Equatable {
        public var label: String
        public var line: Int
    }
}
