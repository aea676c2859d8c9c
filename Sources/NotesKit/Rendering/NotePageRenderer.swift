/// Renders one note's body with the site's decorations: math, highlighting, references,
/// anchors, and each cell's and inline value's result, found by its node.
struct NotePageRenderer {
    let note: Note
    let index: EquationIndex
    let math: [MathRequest: String]
    /// The judgement of the note's cells, when they ran.
    var verdict: NotebookVerdict?
    /// Which equations of the course are verified, for the badges.
    var verification: EquationVerification?
    /// What becomes of raw HTML and link addresses.
    var rawHTML: RawHTMLPolicy = .sanitized

    /// The body HTML, its headings and its table of contents (levels 2 and 3).
    struct Body {
        var html: String
        var headings: [HTMLRenderer.Heading]
        var toc: [TOCEntry]
        /// Nodes of the notebook that the page did not show: always empty unless the extractor
        /// and the renderer disagree about the note.
        var unplaced: [MarkdownNode.ID]
        /// What the page read from other notes, with the answers (`CourseReads`).
        var reads: [String: String]
    }

    /// How each cell and expected-output block is shown, by node.
    private func cellBlocks(_ reads: CourseReads) -> [MarkdownNode.ID: (showCode: Bool, after: String)] {
        var blocks: [MarkdownNode.ID: (showCode: Bool, after: String)] = [:]
        for cell in note.notebook.cells {
            let after = verdict?.cell(cell.node).map {
                CellRenderer.render($0, equationLinks: reads.link)
            } ?? ""
            blocks[cell.node] = (cell.options.showCode, after)
            if let expected = cell.expectedOutput {
                // The real output is shown under the cell; the expected text only when it differs.
                blocks[expected.node] = (false, "")
            }
        }
        return blocks
    }

    /// Each inline value's HTML, by node.
    private func inlineValues() -> [MarkdownNode.ID: String] {
        var values: [MarkdownNode.ID: String] = [:]
        for value in note.notebook.inlineValues {
            values[value.node] = CellRenderer.inline(verdict?.inlineValues[value.node], expression: value.expression)
        }
        return values
    }

    func render() -> Body {
        let numbers = EquationNumbers(note)
        let typeset = math
        let reads = CourseReads(index: index, verification: verification, slug: note.slug)
        let (cells, inline) = (cellBlocks(reads), inlineValues())
        let decorations = HTMLRenderer.Decorations(
            math: { typeset[numbers.request(for: $0)] ?? HTML.escape($0.tex) },
            equationReference: reads.link,
            highlight: { CodeHighlighter.highlight($0, language: $1) },
            codeBlock: { cells[$0] },
            inlineCode: { inline[$0] },
            equationBadge: reads.badge)
        let output = HTMLRenderer.render(note.document, decorations: decorations, rawHTML: rawHTML)
        let toc = output.headings.filter { (2...3).contains($0.level) }.map {
            TOCEntry(level: $0.level, isNested: $0.level > 2, anchor: $0.anchor, titleHTML: $0.html)
        }
        let unplaced = (Array(cells.keys) + Array(inline.keys)).filter { !output.decorated.contains($0) }.sorted()
        return Body(html: output.html, headings: output.headings, toc: toc, unplaced: unplaced, reads: reads.answers)
    }
}
