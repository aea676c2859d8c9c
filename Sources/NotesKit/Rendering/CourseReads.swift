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
        answers["link " + label] = link.map { $0.href + "\u{1}" + $0.text } ?? "\u{0}"
        return link
    }

    /// The badge beside the labelled equation `label` on this page, or nil when it has none.
    func badge(_ label: String) -> String? {
        let badge = verification?.entry(label).map { VerificationBadge.badge($0, fromPage: slug + ".html") }
        answers["badge " + label] = badge ?? "\u{0}"
        return badge
    }

    /// Today's answer to a question asked before (a key of `answers`).
    func answer(_ question: String) -> String {
        let parts = question.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return "\u{0}" }
        let label = String(parts[1])
        switch parts[0] {
        case "link": _ = link(label)
        case "badge": _ = badge(label)
        default: return "\u{0}"
        }
        return answers[question]!
    }
}
