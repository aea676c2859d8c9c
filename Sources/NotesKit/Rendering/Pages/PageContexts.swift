/// The values a page template sees: plain data, already escaped where it holds HTML.
///
/// Fields ending in `HTML` hold markup and are rendered with triple mustaches (`{{{bodyHTML}}}`);
/// every other string is plain text that Mustache escapes.

/// Facts about the whole site, shown on every page.
struct SiteInfo: Sendable {
    /// The site's title, shown in the header and in every page title.
    var title: String
    /// Number of notes built.
    var noteCount: Int
    /// Number of display equations across all notes.
    var equationCount: Int
    /// Number of labelled display equations across all notes.
    var labelledEquationCount: Int
    /// Labelled equations whose test blocks all passed in this build.
    var verifiedCount: Int
    /// True when there is something to verify (shows the verification line and report link).
    var hasLabelledEquations: Bool
    /// `24 of 24 equations verified` (stored, since templates see only stored properties).
    var verificationSummary: String

    init(title: String, noteCount: Int, equationCount: Int, labelledEquationCount: Int, verifiedCount: Int = 0) {
        self.title = title
        self.noteCount = noteCount
        self.equationCount = equationCount
        self.labelledEquationCount = labelledEquationCount
        self.verifiedCount = verifiedCount
        self.hasLabelledEquations = labelledEquationCount > 0
        self.verificationSummary = "\(verifiedCount) of \(labelledEquationCount) equation\(labelledEquationCount == 1 ? "" : "s") verified"
    }
}

extension SiteInfo {
    /// The facts as one line, for the page cache.
    var cacheText: String {
        [title, "\(noteCount)", "\(equationCount)", "\(labelledEquationCount)", "\(verifiedCount)"].joined(separator: "\u{1}")
    }
}

/// A link to a note, as the index, search and previous/next navigation show it.
struct NoteLink: Sendable {
    /// Relative URL of the note page, e.g. `backprop.html`.
    var href: String
    /// The note's identifier from its front matter, e.g. `AI-NN-01`.
    var id: String
    var title: String
    var category: String
    var summary: String
    /// Estimated reading time in whole minutes (at least 1).
    var readingMinutes: Int
}

/// One line of a note's table of contents.
struct TOCEntry: Sendable {
    /// Heading level, 2 to 6 (the note title is the only level-1 heading on a page).
    var level: Int
    /// True for level 3 and deeper, for indentation.
    var isNested: Bool
    /// The heading's `id` attribute, without `#`.
    var anchor: String
    /// The heading's text rendered as HTML (math and code kept).
    var titleHTML: String
}

/// Everything `note.mustache` needs.
struct NotePageContext: Sendable {
    /// The site's facts, read through a recorder: the page depends on those it shows only.
    var site: SiteReads
    /// Text for the `<title>` element.
    var pageTitle: String
    var note: NoteLink
    var wordCount: Int
    /// The rendered Markdown body.
    var bodyHTML: String
    var toc: [TOCEntry]
    var hasTOC: Bool
    var previous: NoteLink?
    var next: NoteLink?
    /// The page's WebAssembly module of live widgets, base64, or nil when it has none.
    var liveModule: String?
}

extension NoteLink {
    /// The link as one line, for the page cache.
    var cacheText: String {
        [href, id, title, category, summary, "\(readingMinutes)"].joined(separator: "\u{1}")
    }

    /// The link to `note`.
    init(_ note: Note) {
        self.init(href: note.href, id: note.frontMatter.id ?? "", title: note.frontMatter.title,
                  category: note.frontMatter.category ?? NoteOrder.uncategorised, summary: note.frontMatter.summary ?? "",
                  readingMinutes: note.readingMinutes)
    }
}

/// One category on the index page, notes in their front matter `order`.
struct CategoryGroup: Sendable {
    var name: String
    /// Slug for the category's section on the index page.
    var anchor: String
    var notes: [NoteLink]
}

extension CategoryGroup {
    /// Groups links already in course order by category, keeping their order.
    static func groups(_ links: [NoteLink]) -> [CategoryGroup] {
        var groups: [CategoryGroup] = []
        for link in links {
            if groups.last?.name == link.category {
                groups[groups.count - 1].notes.append(link)
            } else {
                groups.append(CategoryGroup(name: link.category, anchor: Slugger.slugify(link.category), notes: [link]))
            }
        }
        return groups
    }
}

/// Everything `index.mustache` needs.
struct IndexPageContext: Sendable {
    var site: SiteInfo
    var pageTitle: String
    var categories: [CategoryGroup]
}

/// Everything `404.mustache` needs.
struct NotFoundPageContext: Sendable {
    var site: SiteInfo
    var pageTitle: String
}

/// One labelled equation on the verification report.
struct ReportRow: Sendable {
    var noteTitle: String
    var noteHref: String
    var equationHref: String
    var displayName: String
    var label: String
    /// `verified`, `failed` or `unverified` (also the CSS class suffix).
    var status: String
    var failure: String?
    var failureHref: String?
    var tests: Int
    var expectations: Int
    /// The largest relative error seen by the equation's expectations, or an em dash.
    var maxError: String
}

extension ReportRow {
    /// The row as one line, for the page cache.
    var cacheText: String {
        [noteTitle, noteHref, equationHref, displayName, label, status, failure ?? "\u{0}", failureHref ?? "\u{0}",
         "\(tests)", "\(expectations)", maxError].joined(separator: "\u{1}")
    }
}

/// Everything `report.mustache` needs.
struct ReportPageContext: Sendable {
    var site: SiteInfo
    var pageTitle: String
    var rows: [ReportRow]
    var verified: Int
    var failed: Int
    var unverified: Int
}
