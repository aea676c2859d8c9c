/// One node of a parsed Markdown document: an immutable Swift value, free of C pointers.
public struct MarkdownNode: Sendable, Hashable {
    public var kind: Kind
    public var children: [MarkdownNode]
    /// Where the node sits in its file; cmark reports it for blocks, and we add it for math.
    public var range: SourceRange?

    public init(_ kind: Kind, children: [MarkdownNode] = [], range: SourceRange? = nil) {
        self.kind = kind
        self.children = children
        self.range = range
    }

    /// The kinds of node the GFM parser and our math extension produce.
    public enum Kind: Sendable, Hashable {
        // MARK: - Blocks
        case document
        case blockQuote
        case list(ListStyle)
        case item(task: TaskState?)
        case paragraph
        case heading(level: Int)
        /// A fenced or indented code block; `info` is the whole fence info string.
        case codeBlock(info: String, literal: String, fenced: Bool)
        case htmlBlock(String)
        case thematicBreak
        case table(alignments: [TableAlignment])
        case tableRow(isHeader: Bool)
        case tableCell
        /// A footnote's text; cmark moves them to the end, numbered in order of first reference.
        case footnoteDefinition(number: Int)

        // MARK: - Inlines
        case text(String)
        case softBreak
        case lineBreak
        case code(String)
        case htmlInline(String)
        case emphasis
        case strong
        case strikethrough
        case link(destination: String, title: String)
        case image(source: String, title: String)
        case footnoteReference(number: Int)
        /// TeX from `$…$`, `$$…$$` or a ```` ```math ```` fence, exactly as written.
        case math(Math)
    }

    /// Bullet or ordered list, and whether its items are tight.
    public struct ListStyle: Sendable, Hashable {
        public var ordered: Bool
        public var start: Int
        public var tight: Bool
    }

    /// A GFM task-list item's box.
    public enum TaskState: Sendable, Hashable { case checked, unchecked }

    /// A GFM table column's alignment.
    public enum TableAlignment: Sendable, Hashable { case none, left, center, right }

    /// A math span: its TeX, display or inline, and an optional `{#eq-…}` label.
    public struct Math: Sendable, Hashable {
        public var tex: String
        public var display: Bool
        public var label: String?
        public init(tex: String, display: Bool, label: String? = nil) {
            self.tex = tex
            self.display = display
            self.label = label
        }
    }
}

extension MarkdownNode {
    /// The node and all its descendants, in document order.
    public func walk(_ visit: (MarkdownNode) throws -> Void) rethrows {
        try visit(self)
        for child in children { try child.walk(visit) }
    }

    /// The text of the node's inline content, without markup (math as its TeX).
    public var plainText: String {
        var out = ""
        appendPlainText(to: &out)
        return out
    }

    private func appendPlainText(to out: inout String) {
        switch kind {
        case .text(let s), .code(let s): out += s
        case .softBreak, .lineBreak: out += " "
        case .math(let m): out += m.tex
        case .codeBlock(_, let literal, _): out += literal
        default: break
        }
        for child in children { child.appendPlainText(to: &out) }
        if kind == .paragraph || { if case .heading = kind { return true }; return false }() {
            out += "\n"
        }
    }
}
