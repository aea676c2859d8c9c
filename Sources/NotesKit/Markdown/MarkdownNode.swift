/// One node of a parsed Markdown document: an immutable Swift value, free of C pointers.
struct MarkdownNode: Sendable, Hashable {
    /// A node's identity within its document: its position in document order (the document is 0).
    ///
    /// Later stages attach what they know about a node (a cell, its result) to this id, never to
    /// the node's line or to how many nodes of its kind came before it.
    struct ID: Sendable, Hashable, Comparable, CustomStringConvertible {
        var rawValue: Int
        static func < (a: ID, b: ID) -> Bool { a.rawValue < b.rawValue }
        var description: String { "#\(rawValue)" }
    }

    var kind: Kind
    var children: [MarkdownNode]
    /// Where the node sits in its file; cmark reports it for blocks, and we add it for math.
    var range: SourceRange?
    /// Set by the parser once the tree is complete (`numbered()`).
    var id = ID(rawValue: 0)

    init(_ kind: Kind, children: [MarkdownNode] = [], range: SourceRange? = nil) {
        self.kind = kind
        self.children = children
        self.range = range
    }

    /// The tree with every node's `id` set to its position in document order, from `first`.
    func numbered(from first: Int = 0) -> MarkdownNode {
        var next = first
        return numbered(next: &next)
    }

    private func numbered(next: inout Int) -> MarkdownNode {
        var node = self
        node.id = ID(rawValue: next)
        next += 1
        node.children = children.map { $0.numbered(next: &next) }
        return node
    }

    /// The kinds of node the GFM parser and our math extension produce.
    enum Kind: Sendable, Hashable {
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
    struct ListStyle: Sendable, Hashable {
        var ordered: Bool
        var start: Int
        var tight: Bool
    }

    /// A GFM task-list item's box.
    enum TaskState: Sendable, Hashable { case checked, unchecked }

    /// A GFM table column's alignment.
    enum TableAlignment: Sendable, Hashable { case none, left, center, right }

    /// A math span: its TeX, display or inline, and an optional `{#eq-…}` label.
    struct Math: Sendable, Hashable {
        var tex: String
        var display: Bool
        var label: String?
        init(tex: String, display: Bool, label: String? = nil) {
            self.tex = tex
            self.display = display
            self.label = label
        }
    }
}

extension MarkdownNode {
    /// The node and all its descendants, in document order.
    func walk(_ visit: (MarkdownNode) throws -> Void) rethrows {
        try visit(self)
        for child in children { try child.walk(visit) }
    }

    /// The text of the node's inline content, without markup (math as its TeX).
    var plainText: String {
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
