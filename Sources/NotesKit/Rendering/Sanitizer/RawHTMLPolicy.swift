/// What becomes of raw HTML and link addresses written in a note.
enum RawHTMLPolicy: String, Sendable, Equatable {
    /// The default, as GitHub renders the same Markdown: raw HTML is sanitised against an
    /// allowlist (`SanitizerPolicy.notes`), and links and images keep only safe addresses
    /// (`URLPolicy`); what is removed is warned about at its line.
    case sanitized
    /// A course's explicit opt-out (`raw-html: trusted` in `course.yml`): raw HTML and link
    /// addresses as written, with only GFM's tag filter. Notes can then put script on pages.
    case trusted
    /// Nothing changed at all, not even the tag filter: for the CommonMark conformance tests.
    case verbatim

    /// The sanitiser for raw HTML under this policy, if it sanitises.
    var sanitizer: HTMLSanitizer? { self == .sanitized ? HTMLSanitizer(policy: .notes) : nil }

    /// Raw HTML as it goes on the page; when sanitised, balanced against the elements raw HTML
    /// has opened so far in its container (`openElements`).
    func render(rawHTML literal: String, openElements: inout [String]) -> String {
        switch self {
        case .sanitized: return HTMLSanitizer(policy: .notes).sanitize(literal, openElements: &openElements).html
        case .trusted: return TagFilter.apply(literal)
        case .verbatim: return literal
        }
    }

    /// The address a link or image keeps, or nil when it is dropped (an unsafe scheme).
    func address(_ url: String, for context: URLPolicy.Context) -> String? {
        self != .sanitized || URLPolicy.isSafe(url, for: context) ? url : nil
    }
}
