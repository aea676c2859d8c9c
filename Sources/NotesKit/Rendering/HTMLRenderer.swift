/// Renders a `MarkdownNode` tree to HTML, byte for byte as cmark-gfm does, plus the site's decorations.
///
/// Without decorations the output equals cmark-gfm's HTML renderer (unsafe mode, with the
/// tagfilter extension), which the conformance tests check. With decorations, headings get slug
/// anchors, `> [!NOTE]` blockquotes become callouts, code is highlighted, display equations get
/// their own block, and `@eq-…` references become links.
struct HTMLRenderer {
    /// How the parts that cmark knows nothing about are rendered.
    struct Decorations {
        /// HTML for a math span (KaTeX output).
        var math: (MarkdownNode.Math) -> String
        /// Link target and text for an `@eq-…` label, or nil to leave the text as it is.
        var equationReference: (String) -> (href: String, text: String)?
        /// Highlighted HTML for a code block's text and language.
        var highlight: (String, String?) -> String
        /// How a code block node is shown: whether its code appears, and HTML to put after it
        /// (a cell's output); nil for a plain code block.
        var codeBlock: (MarkdownNode.ID) -> (showCode: Bool, after: String)?
        /// HTML replacing an inline code node (an inline value); nil to show it as code.
        var inlineCode: (MarkdownNode.ID) -> String?
        /// HTML placed beside a labelled display equation: its verification badge.
        var equationBadge: (String) -> String?

        init(math: @escaping (MarkdownNode.Math) -> String,
                    equationReference: @escaping (String) -> (href: String, text: String)?,
                    highlight: @escaping (String, String?) -> String,
                    codeBlock: @escaping (MarkdownNode.ID) -> (showCode: Bool, after: String)? = { _ in nil },
                    inlineCode: @escaping (MarkdownNode.ID) -> String? = { _ in nil },
                    equationBadge: @escaping (String) -> String? = { _ in nil }) {
            self.math = math
            self.equationReference = equationReference
            self.highlight = highlight
            self.codeBlock = codeBlock
            self.inlineCode = inlineCode
            self.equationBadge = equationBadge
        }
    }

    /// A heading the renderer gave an anchor, for the table of contents.
    struct Heading: Sendable, Equatable {
        var level: Int
        var anchor: String
        var html: String
        var text: String
    }

    /// The rendered body and the headings found in it.
    struct Output {
        var html: String
        var headings: [Heading]
        /// The nodes that decorations replaced or added to (cells, their outputs, inline values).
        var decorated: Set<MarkdownNode.ID>
    }

    private let decorations: Decorations?
    private let rawHTML: RawHTMLPolicy
    private var out = ""
    private var slugger = Slugger()
    private var headings: [Heading] = []
    private var footnoteIndex = 0
    private var inTableBody = false
    private var decorated: Set<MarkdownNode.ID> = []
    /// Elements that raw HTML opened and has not closed, per container: the document's (for
    /// HTML blocks such as `<details>` around Markdown) and then the paragraph, heading or table
    /// cell being rendered (for inline HTML), closed at the container's end.
    private var openRawElements: [[String]] = [[]]

    init(decorations: Decorations?, rawHTML: RawHTMLPolicy = .sanitized) {
        self.decorations = decorations
        self.rawHTML = rawHTML
    }

    /// Renders `document` (or any node) to HTML, with raw HTML and link addresses as `rawHTML` says.
    static func render(_ document: MarkdownNode, decorations: Decorations? = nil, rawHTML: RawHTMLPolicy = .sanitized) -> Output {
        var renderer = HTMLRenderer(decorations: decorations, rawHTML: rawHTML)
        renderer.render(document, parent: nil, grandparent: nil)
        renderer.out += HTMLSanitizer.closing(renderer.openRawElements.joined().map { $0 })
        if renderer.footnoteIndex > 0 { renderer.out += "</ol>\n</section>\n" }
        return Output(html: renderer.out, headings: renderer.headings, decorated: renderer.decorated)
    }

    /// Starts a new line unless the output is empty or already at one.
    private mutating func cr() {
        if let last = out.utf8.last, last != UInt8(ascii: "\n") { out += "\n" }
    }

    private mutating func renderChildren(_ node: MarkdownNode, parent: MarkdownNode?) {
        for child in node.children { render(child, parent: node, grandparent: parent) }
    }

    // MARK: - Blocks

    private mutating func render(_ node: MarkdownNode, parent: MarkdownNode?, grandparent: MarkdownNode?) {
        switch node.kind {
        case .document:
            renderChildren(node, parent: parent)
        case .blockQuote:
            if decorations != nil, let callout = Callout(node) {
                renderCallout(callout, node: node, parent: parent)
                return
            }
            cr(); out += "<blockquote>\n"
            renderContained(node, parent: parent)
            cr(); out += "</blockquote>\n"
        case .list(let style):
            cr()
            if !style.ordered { out += "<ul>\n" } else if style.start == 1 { out += "<ol>\n" } else {
                out += "<ol start=\"\(style.start)\">\n"
            }
            renderChildren(node, parent: parent)
            out += style.ordered ? "</ol>\n" : "</ul>\n"
        case .item(let task):
            cr(); out += "<li>"
            switch task {
            case .checked?: out += "<input type=\"checkbox\" checked=\"\" disabled=\"\" /> "
            case .unchecked?: out += "<input type=\"checkbox\" disabled=\"\" /> "
            case nil: break
            }
            renderContained(node, parent: parent)
            out += "</li>\n"
        case .paragraph:
            renderParagraph(node, parent: parent, grandparent: grandparent)
        case .heading(let level):
            renderHeading(node, level: level, parent: parent)
        case .codeBlock(let info, let literal, _):
            if let decorations, let cell = decorations.codeBlock(node.id) {
                decorated.insert(node.id)
                if cell.showCode { renderCodeBlock(info: info, literal: literal) }
                cr(); out += cell.after
            } else {
                renderCodeBlock(info: info, literal: literal)
            }
        case .htmlBlock(let literal):
            cr(); out += rawHTML.render(rawHTML: literal, openElements: &openRawElements[openRawElements.count - 1]); cr()
        case .thematicBreak:
            cr(); out += "<hr />\n"
        case .table:
            cr()
            if decorations != nil { out += "<div class=\"table-wrap\">\n" }
            out += "<table>\n"
            inTableBody = false
            renderChildren(node, parent: parent)
            if inTableBody { cr(); out += "</tbody>\n"; inTableBody = false }
            cr(); out += "</table>\n"
            if decorations != nil { out += "</div>\n" }
        case .tableRow(let isHeader):
            renderTableRow(node, isHeader: isHeader, alignments: parent.flatMap(Self.alignments) ?? [])
        case .tableCell:
            renderContained(node, parent: parent)
        case .footnoteDefinition(let number):
            renderFootnoteDefinition(node, number: number, parent: parent)
        case .math(let math) where parent.map(Self.holdsBlocks) ?? true:
            renderEquation(math)
        default:
            renderInline(node, parent: parent)
        }
    }

    /// Renders the children of a paragraph, heading, table cell, block quote or list item,
    /// closing what their raw HTML left open, so that it cannot close or straddle the container.
    private mutating func renderContained(_ node: MarkdownNode, parent: MarkdownNode?) {
        openRawElements.append([])
        renderChildren(node, parent: parent)
        out += HTMLSanitizer.closing(openRawElements.removeLast())
    }

    /// True for nodes whose children are blocks; math directly inside one came from a ```` ```math ```` fence.
    private static func holdsBlocks(_ node: MarkdownNode) -> Bool {
        switch node.kind {
        case .document, .blockQuote, .item, .footnoteDefinition: return true
        default: return false
        }
    }

    private static func alignments(_ table: MarkdownNode) -> [MarkdownNode.TableAlignment]? {
        if case .table(let alignments) = table.kind { return alignments }
        return nil
    }

    private mutating func renderParagraph(_ node: MarkdownNode, parent: MarkdownNode?, grandparent: MarkdownNode?) {
        if decorations != nil, node.children.count == 1, case .math(let math) = node.children[0].kind, math.display {
            renderEquation(math)
            return
        }
        var tight = false
        if let grandparent, case .list(let style) = grandparent.kind { tight = style.tight }
        if tight {
            renderContained(node, parent: parent)
            return
        }
        cr(); out += "<p>"
        renderContained(node, parent: parent)
        if let parent, case .footnoteDefinition(let number) = parent.kind, parent.children.last == node {
            out += " "
            putFootnoteBackref(number)
        }
        out += "</p>\n"
    }

    private mutating func renderHeading(_ node: MarkdownNode, level: Int, parent: MarkdownNode?) {
        cr()
        guard decorations != nil else {
            out += "<h\(level)>"
            renderContained(node, parent: parent)
            out += "</h\(level)>\n"
            return
        }
        let start = out.endIndex
        renderContained(node, parent: parent)
        let inner = String(out[start...])
        out.removeSubrange(start...)
        let text = node.plainText.trimmingCharacters(in: .whitespacesAndNewlines)
        let anchor = slugger.slug(for: text)
        headings.append(Heading(level: level, anchor: anchor, html: inner, text: text))
        out += "<h\(level) id=\"\(HTML.escape(anchor))\">\(inner) <a class=\"heading-anchor\" href=\"#\(HTML.escape(anchor))\" "
            + "aria-label=\"Link to this section\">#</a></h\(level)>\n"
    }

    private mutating func renderCodeBlock(info: String, literal: String) {
        cr()
        let language = info.split(separator: " ", maxSplits: 1).first.map(String.init)
        let classAttribute = language.map { " class=\"language-\(HTML.escape($0))\"" } ?? ""
        if let decorations {
            out += "<pre class=\"code\"><code\(classAttribute)>\(decorations.highlight(literal, language))</code></pre>\n"
        } else {
            out += "<pre><code\(classAttribute)>\(HTML.escape(literal))</code></pre>\n"
        }
    }

    private mutating func renderTableRow(_ node: MarkdownNode, isHeader: Bool, alignments: [MarkdownNode.TableAlignment]) {
        cr()
        if isHeader {
            out += "<thead>\n"
        } else if !inTableBody {
            out += "<tbody>\n"
            inTableBody = true
        }
        out += "<tr>\n"
        let tag = isHeader ? "th" : "td"
        for (index, cell) in node.children.enumerated() {
            cr()
            out += "<\(tag)"
            switch index < alignments.count ? alignments[index] : .none {
            case .left: out += " align=\"left\""
            case .center: out += " align=\"center\""
            case .right: out += " align=\"right\""
            case .none: break
            }
            out += ">"
            renderChildren(cell, parent: node)
            out += "</\(tag)>"
            cr()
        }
        cr(); out += "</tr>\n"
        if isHeader { cr(); out += "</thead>\n" }
    }

    // MARK: - Footnotes

    private var backrefWritten: Set<Int> = []

    private mutating func renderFootnoteDefinition(_ node: MarkdownNode, number: Int, parent: MarkdownNode?) {
        if footnoteIndex == 0 { out += "<section class=\"footnotes\">\n<ol>\n" }
        footnoteIndex += 1
        out += "<li id=\"fn\(number)\">\n"
        renderContained(node, parent: parent)
        if !backrefWritten.contains(number) {
            putFootnoteBackref(number)
            out += "\n"
        }
        out += "</li>\n"
    }

    private mutating func putFootnoteBackref(_ number: Int) {
        guard backrefWritten.insert(number).inserted else { return }
        out += "<a href=\"#fnref\(number)\" class=\"footnote-backref\">↩</a>"
    }

    // MARK: - Decorations

    private mutating func renderCallout(_ callout: Callout, node: MarkdownNode, parent: MarkdownNode?) {
        cr()
        out += "<div class=\"callout callout-\(callout.kind)\" role=\"note\">\n"
        out += "<p class=\"callout-title\">\(callout.title)</p>\n"
        openRawElements.append([])
        for child in callout.body { render(child, parent: node, grandparent: parent) }
        out += HTMLSanitizer.closing(openRawElements.removeLast())
        cr(); out += "</div>\n"
    }

    private mutating func renderEquation(_ math: MarkdownNode.Math) {
        cr()
        let id = math.label.map { " id=\"\(HTML.escape($0))\"" } ?? ""
        let badge = math.label.flatMap { decorations?.equationBadge($0) } ?? ""
        out += "<div class=\"equation\"\(id)>\(mathHTML(math))\(badge)</div>\n"
    }

    private func mathHTML(_ math: MarkdownNode.Math) -> String {
        if let decorations { return decorations.math(math) }
        let fence = math.display ? "$$" : "$"
        return HTML.escape(fence + math.tex + fence)
    }
}

// MARK: - Inlines

extension HTMLRenderer {
    private mutating func renderInline(_ node: MarkdownNode, parent: MarkdownNode?) {
        switch node.kind {
        case .text(let text):
            renderText(text)
        case .softBreak: out += "\n"
        case .lineBreak: out += "<br />\n"
        case .code(let literal):
            if let html = decorations?.inlineCode(node.id) {
                decorated.insert(node.id)
                out += html
                return
            }
            out += "<code>\(HTML.escape(literal))</code>"
        case .htmlInline(let literal): out += rawHTML.render(rawHTML: literal, openElements: &openRawElements[openRawElements.count - 1])
        case .emphasis: wrap(node, "em")
        case .strong: wrap(node, "strong")
        case .strikethrough: wrap(node, "del")
        case .link(let destination, let title):
            out += rawHTML.address(destination, for: .href).map { "<a href=\"\(HTML.escapeHref($0))\"" } ?? "<a"
            if !title.isEmpty { out += " title=\"\(HTML.escape(title))\"" }
            out += ">"
            renderChildren(node, parent: parent)
            out += "</a>"
        case .image(let source, let title):
            out += rawHTML.address(source, for: .src).map { "<img src=\"\(HTML.escapeHref($0))\" alt=\"" } ?? "<img alt=\""
            appendAltText(node)
            out += "\""
            if !title.isEmpty { out += " title=\"\(HTML.escape(title))\"" }
            out += " />"
        case .footnoteReference(let number):
            out += "<sup class=\"footnote-ref\"><a href=\"#fn\(number)\" id=\"fnref\(number)\">\(number)</a></sup>"
        case .math(let math):
            if decorations != nil {
                let kind = math.display ? "display" : "inline"
                let id = math.label.map { " id=\"\(HTML.escape($0))\"" } ?? ""
                out += "<span class=\"math \(kind)\"\(id)>\(mathHTML(math))</span>"
            } else {
                out += mathHTML(math)
            }
        default:
            renderChildren(node, parent: parent)
        }
    }

    private mutating func wrap(_ node: MarkdownNode, _ tag: String) {
        out += "<\(tag)>"
        renderChildren(node, parent: nil)
        out += "</\(tag)>"
    }

    private mutating func renderText(_ text: String) {
        guard let decorations else {
            out += HTML.escape(text)
            return
        }
        for segment in EquationReference.segments(in: text) {
            switch segment {
            case .text(let plain):
                out += HTML.escape(plain)
            case .reference(let label):
                if let target = decorations.equationReference(label) {
                    out += "<a class=\"eq-ref\" href=\"\(HTML.escapeHref(target.href))\">\(HTML.escape(target.text))</a>"
                } else {
                    out += HTML.escape("@" + label)
                }
            }
        }
    }

    /// An image's `alt` text: the plain text of its description, as cmark's "plain" mode writes it.
    private mutating func appendAltText(_ node: MarkdownNode) {
        for child in node.children {
            switch child.kind {
            case .text(let s), .code(let s), .htmlInline(let s): out += HTML.escape(s)
            case .math(let m): out += HTML.escape(m.tex)
            case .softBreak, .lineBreak: out += " "
            default: break
            }
            appendAltText(child)
        }
    }
}
