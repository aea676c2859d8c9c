/// Renders one note's body with the site's decorations: math, highlighting, references, anchors.
struct NotePageRenderer {
    let note: Note
    let index: EquationIndex
    let math: [MathRequest: String]
    /// The judgement of the note's cells, when they ran.
    var verdict: NotebookVerdict?
    /// Which equations of the course are verified, for the badges.
    var verification: EquationVerification?

    /// The body HTML, its headings and its table of contents (levels 2 and 3).
    struct Body {
        var html: String
        var headings: [HTMLRenderer.Heading]
        var toc: [TOCEntry]
    }

    /// How each cell and expected-output block is shown, by fence line.
    private func cellBlocks() -> [Int: (showCode: Bool, after: String)] {
        var blocks: [Int: (showCode: Bool, after: String)] = [:]
        for cell in note.notebook.cells {
            let cellVerdict = verdict?.cell(cell.index)
            let after = cellVerdict.map { CellRenderer.render($0, equationLinks: { index.link(for: $0, fromSlug: note.slug) }) } ?? ""
            blocks[cell.fenceLine] = (cell.options.showCode, after)
            if let expected = cell.expectedOutput {
                // The real output is shown under the cell; the expected text only when it differs.
                blocks[expected.fenceLine] = (false, "")
            }
        }
        return blocks
    }

    func render() -> Body {
        let numbers = EquationNumbers(note)
        let slug = note.slug
        let typeset = math
        let equationIndex = index
        let cells = cellBlocks()
        let notebook = note.notebook
        let verdict = verdict
        let verification = verification
        let page = note.href
        let decorations = HTMLRenderer.Decorations(
            math: { typeset[numbers.request(for: $0)] ?? HTML.escape($0.tex) },
            equationReference: { equationIndex.link(for: $0, fromSlug: slug) },
            highlight: { CodeHighlighter.highlight($0, language: $1) },
            codeBlock: { cells[$0] },
            inlineValue: { index in
                guard index < notebook.inlineValues.count else { return nil }
                return CellRenderer.inline(verdict?.inlineValues[index], expression: notebook.inlineValues[index].expression)
            },
            equationBadge: { label in
                verification?.entry(label).map { VerificationBadge.badge($0, fromPage: page) }
            })
        let output = HTMLRenderer.render(note.document, decorations: decorations)
        let toc = output.headings.filter { (2...3).contains($0.level) }.map {
            TOCEntry(level: $0.level, isNested: $0.level > 2, anchor: $0.anchor, titleHTML: $0.html)
        }
        return Body(html: output.html, headings: output.headings, toc: toc)
    }
}
