/// Every labelled equation of the course, so that `@eq-…` resolves within and across notes.
struct EquationIndex: Sendable {
    /// Where a label points: the note's page, and what a reference shows.
    struct Target: Sendable, Equatable {
        var slug: String
        var file: String
        var line: Int
        var displayName: String
    }

    private(set) var targets: [String: Target] = [:]

    /// Indexes the labels of `notes`; duplicates and unknown references are errors at their lines.
    init(notes: [Note]) throws(DiagnosticsError) {
        var errors: [Diagnostic] = []
        targets.reserveCapacity(notes.reduce(0) { $0 + $1.equations.count })
        // By position: `for note in notes` would copy each (large) note.
        for position in notes.indices {
            for equation in notes[position].equations {
                guard let label = equation.label else { continue }
                if let existing = targets[label] {
                    errors.append(.error(notes[position].file, line: equation.line,
                                         "duplicate equation label '\(label)' (first defined at \(DiagnosticFormatter.location(file: existing.file, line: existing.line)))"))
                    continue
                }
                targets[label] = Target(slug: notes[position].slug, file: notes[position].file, line: equation.line,
                                        displayName: equation.displayName ?? "(\(label))")
            }
        }
        for note in notes {
            for reference in note.references where targets[reference.label] == nil {
                let known = targets.keys.sorted().prefix(8).joined(separator: ", ")
                errors.append(.error(note.file, line: reference.line,
                                     "unknown equation label '\(reference.label)' in @\(reference.label)"
                                        + (known.isEmpty ? "" : " (labels include: \(known))")))
            }
        }
        for note in notes {
            for cell in note.notebook.cells {
                for label in cell.options.tests where targets[label] == nil {
                    errors.append(.error(note.file, line: cell.fenceLine,
                                         "test block refers to unknown equation label '\(label)' (test=\(label))"))
                }
            }
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
    }

    /// The link for a reference from the page `fromSlug`: same-page anchor or a cross-page URL.
    func link(for label: String, fromSlug: String) -> (href: String, text: String)? {
        guard let target = targets[label] else { return nil }
        let page = target.slug == fromSlug ? "" : target.slug + ".html"
        return (page + "#" + label, target.displayName)
    }
}
