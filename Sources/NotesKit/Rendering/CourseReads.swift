/// What a note's page reads from the rest of the course, recorded as it is read.
///
/// A page shows other notes' facts in two ways only: links to equations (`@eq-…` in prose, the
/// equations a test block checks) and the verification badges of its equations, which other
/// notes' tests can decide. Rendering asks for them here, and each question is kept with its
/// answer, so that the page cache can later ask the same questions of a changed course and
/// reuse the page when every answer is the same (`PageCache`).
final class CourseReads {
    let index: EquationIndex
    let verification: EquationVerification?
    /// The page's note.
    let slug: String
    /// Each question asked while rendering (`link eq-…`, `badge eq-…`) with its answer.
    private(set) var answers: [String: String] = [:]

    init(index: EquationIndex, verification: EquationVerification?, slug: String) {
        self.index = index
        self.verification = verification
        self.slug = slug
    }

    /// Where `@label` points from this page and what it shows, or nil for an unknown label.
    func link(_ label: String) -> (href: String, text: String)? {
        let link = index.link(for: label, fromSlug: slug)
        answers["link " + label] = Self.text(of: link)
        return link
    }

    /// The badge beside the labelled equation `label` on this page, or nil when it has none.
    func badge(_ label: String) -> String? {
        let badge = badgeHTML(label)
        answers["badge " + label] = badge ?? "\u{0}"
        return badge
    }

    /// Today's answer to a question asked before (a key of `answers`), without recording it.
    func answer(_ question: String) -> String {
        if question.hasPrefix("link ") {
            return Self.text(of: index.link(for: String(question.utf8.dropFirst(5))!, fromSlug: slug))
        }
        if question.hasPrefix("badge ") {
            return badgeHTML(String(question.utf8.dropFirst(6))!) ?? "\u{0}"
        }
        return "\u{0}"
    }

    private func badgeHTML(_ label: String) -> String? {
        verification?.entry(label).map { VerificationBadge.badge($0, fromPage: slug + ".html") }
    }

    /// A link as an answer: its address and text, or NUL for none.
    private static func text(of link: (href: String, text: String)?) -> String {
        link.map { $0.href + "\u{1}" + $0.text } ?? "\u{0}"
    }
}
