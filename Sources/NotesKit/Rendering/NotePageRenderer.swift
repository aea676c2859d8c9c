/// Renders one note's body with the site's decorations: math, highlighting, references, anchors.
struct NotePageRenderer {
    let note: Note
    let index: EquationIndex
    let math: [MathRequest: String]

    /// The body HTML, its headings and its table of contents (levels 2 and 3).
    struct Body {
        var html: String
        var headings: [HTMLRenderer.Heading]
        var toc: [TOCEntry]
    }

    func render() -> Body {
        let numbers = EquationNumbers(note)
        let slug = note.slug
        let typeset = math
        let equationIndex = index
        let decorations = HTMLRenderer.Decorations(
            math: { typeset[numbers.request(for: $0)] ?? HTML.escape($0.tex) },
            equationReference: { equationIndex.link(for: $0, fromSlug: slug) },
            highlight: { CodeHighlighter.highlight($0, language: $1) })
        let output = HTMLRenderer.render(note.document, decorations: decorations)
        let toc = output.headings.filter { (2...3).contains($0.level) }.map {
            TOCEntry(level: $0.level, isNested: $0.level > 2, anchor: $0.anchor, titleHTML: $0.html)
        }
        return Body(html: output.html, headings: output.headings, toc: toc)
    }
}
