/// The values a page template sees: plain data, already escaped where it holds HTML.
///
/// Fields ending in `HTML` hold markup and are rendered with triple mustaches (`{{{bodyHTML}}}`);
/// every other string is plain text that Mustache escapes.

/// Facts about the whole site, shown on every page.
public struct SiteInfo: Sendable {
    /// The site's title, shown in the header and in every page title.
    public var title: String
    /// Number of notes built.
    public var noteCount: Int
    /// Number of display equations across all notes.
    public var equationCount: Int
    /// Number of labelled display equations across all notes.
    public var labelledEquationCount: Int
    /// Labelled equations whose test blocks all passed in this build.
    public var verifiedCount: Int
    /// True when there is something to verify (shows the verification line and report link).
    public var hasLabelledEquations: Bool
    /// `24 of 24 equations verified` (stored, since templates see only stored properties).
    public var verificationSummary: String

    public init(title: String, noteCount: Int, equationCount: Int, labelledEquationCount: Int, verifiedCount: Int = 0) {
        self.title = title
        self.noteCount = noteCount
        self.equationCount = equationCount
        self.labelledEquationCount = labelledEquationCount
        self.verifiedCount = verifiedCount
        self.hasLabelledEquations = labelledEquationCount > 0
        self.verificationSummary = "\(verifiedCount) of \(labelledEquationCount) equation\(labelledEquationCount == 1 ? "" : "s") verified"
    }
}

/// A link to a note, as the index, search and previous/next navigation show it.
public struct NoteLink: Sendable {
    /// Relative URL of the note page, e.g. `backprop.html`.
    public var href: String
    /// The note's identifier from its front matter, e.g. `AI-NN-01`.
    public var id: String
    public var title: String
    public var category: String
    public var summary: String
    /// Estimated reading time in whole minutes (at least 1).
    public var readingMinutes: Int
}

/// One line of a note's table of contents.
public struct TOCEntry: Sendable {
    /// Heading level, 2 to 6 (the note title is the only level-1 heading on a page).
    public var level: Int
    /// True for level 3 and deeper, for indentation.
    public var isNested: Bool
    /// The heading's `id` attribute, without `#`.
    public var anchor: String
    /// The heading's text rendered as HTML (math and code kept).
    public var titleHTML: String
}

/// Everything `note.mustache` needs.
public struct NotePageContext: Sendable {
    public var site: SiteInfo
    /// Text for the `<title>` element.
    public var pageTitle: String
    public var note: NoteLink
    public var wordCount: Int
    /// The rendered Markdown body.
    public var bodyHTML: String
    public var toc: [TOCEntry]
    public var hasTOC: Bool
    public var previous: NoteLink?
    public var next: NoteLink?
}

/// One category on the index page, notes in their front matter `order`.
public struct CategoryGroup: Sendable {
    public var name: String
    /// Slug for the category's section on the index page.
    public var anchor: String
    public var notes: [NoteLink]
}

/// Everything `index.mustache` needs.
public struct IndexPageContext: Sendable {
    public var site: SiteInfo
    public var pageTitle: String
    public var categories: [CategoryGroup]
}

/// Everything `404.mustache` needs.
public struct NotFoundPageContext: Sendable {
    public var site: SiteInfo
    public var pageTitle: String
}

/// One labelled equation on the verification report.
public struct ReportRow: Sendable {
    public var noteTitle: String
    public var noteHref: String
    public var equationHref: String
    public var displayName: String
    public var label: String
    /// `verified`, `failed` or `unverified` (also the CSS class suffix).
    public var status: String
    public var failure: String?
    public var failureHref: String?
    public var tests: Int
    public var expectations: Int
    /// The largest relative error seen by the equation's expectations, or an em dash.
    public var maxError: String
}

/// Everything `report.mustache` needs.
public struct ReportPageContext: Sendable {
    public var site: SiteInfo
    public var pageTitle: String
    public var rows: [ReportRow]
    public var verified: Int
    public var failed: Int
    public var unverified: Int
}
