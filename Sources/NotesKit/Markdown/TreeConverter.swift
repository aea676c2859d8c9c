import CCmarkGFM

/// Walks cmark's C tree and builds the equivalent `MarkdownNode` values.
///
/// Node kinds are recognised by cmark's type string, since extension node types are assigned at
/// run time and are not stable enum values.
struct TreeConverter {
    /// The deepest nesting of blocks and inlines a note may have. cmark parses far deeper trees
    /// (`- ` repeated 2,000 times), but every stage after it walks the tree recursively; real
    /// notes stay below a dozen levels.
    static let maximumDepth = 256

    private var footnoteDefinitions = 0
    /// Converts `node` and its subtree; `enclosingLine` is the start line of the nearest block.
    ///
    /// - Throws: `MarkdownError` at the line where the nesting passes `maximumDepth`.
    mutating func convert(_ node: OpaquePointer, enclosingLine: Int, depth: Int = 0) throws(MarkdownError) -> MarkdownNode {
        let range = Self.range(of: node)
        let line = range?.start.line ?? enclosingLine
        guard depth < Self.maximumDepth else {
            throw MarkdownError(line: line, message: "lists, quotes or emphasis are nested more than \(Self.maximumDepth) levels deep here")
        }
        var children: [MarkdownNode] = []
        var child = cmark_node_first_child(node)
        while let current = child {
            let converted = try convert(current, enclosingLine: line, depth: depth + 1)
            if case .text(let text) = converted.kind, let last = children.last, case .text(let previous) = last.kind {
                // cmark splits text at every delimiter it tried; one run of text is one node here.
                children[children.count - 1].kind = .text(previous + text)
                children[children.count - 1].range = Self.union(last.range, converted.range)
            } else {
                children.append(converted)
            }
            child = cmark_node_next(current)
        }
        if MathSyntaxExtension.shared.owns(node) { return try math(node, blockLine: enclosingLine) }
        return MarkdownNode(try kind(of: node, typeName: Self.typeName(of: node)), children: children, range: range)
    }

    /// cmark's name for the node's type; footnote nodes have none in this cmark-gfm, so they are named here.
    private static func typeName(of node: OpaquePointer) -> String {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_FOOTNOTE_DEFINITION: return "footnote_definition"
        case CMARK_NODE_FOOTNOTE_REFERENCE: return "footnote_reference"
        default: return String(cString: cmark_node_get_type_string(node))
        }
    }

    private static func range(of node: OpaquePointer) -> SourceRange? {
        let startLine = Int(cmark_node_get_start_line(node))
        guard startLine > 0 else { return nil }
        return SourceRange(
            start: SourceLocation(line: startLine, column: Int(cmark_node_get_start_column(node))),
            end: SourceLocation(line: Int(cmark_node_get_end_line(node)), column: Int(cmark_node_get_end_column(node))))
    }

    private static func union(_ a: SourceRange?, _ b: SourceRange?) -> SourceRange? {
        guard let a, let b else { return a ?? b }
        return SourceRange(start: min(a.start, b.start), end: max(a.end, b.end))
    }

    private static func literal(_ node: OpaquePointer) -> String {
        guard let pointer = cmark_node_get_literal(node) else { return "" }
        return String(cString: pointer)
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    private func math(_ node: OpaquePointer, blockLine: Int) throws(MarkdownError) -> MarkdownNode {
        let content = Self.literal(node)
        guard let payload = MathSyntaxExtension.Payload(decoding: content) else {
            throw MarkdownError(line: blockLine, message: "internal error: unreadable math node")
        }
        let line = payload.line
        if payload.form == .unterminated {
            throw MarkdownError(line: line, message: "display math opened with $$ is never closed in its paragraph "
                + "(a blank line, or a line inside it starting with '+ ', '- ', '* ', '#', '>' or '1. ', ends the paragraph; "
                + "move that operator to the end of the previous line or use a ```math fence)")
        }
        let math = MarkdownNode.Math(tex: payload.tex, display: payload.form == .display, label: payload.label)
        let location = SourceLocation(line: line, column: 1)
        return MarkdownNode(.math(math), range: SourceRange(start: location, end: location))
    }

    private mutating func kind(of node: OpaquePointer, typeName: String) throws(MarkdownError) -> MarkdownNode.Kind {
        switch typeName {
        case "document": return .document
        case "block_quote": return .blockQuote
        case "list":
            return .list(MarkdownNode.ListStyle(
                ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                start: Int(cmark_node_get_list_start(node)),
                tight: cmark_node_get_list_tight(node) != 0))
        case "item": return .item(task: nil)
        case "tasklist":
            return .item(task: cmark_gfm_extensions_get_tasklist_item_checked(node) ? .checked : .unchecked)
        case "paragraph": return .paragraph
        case "heading": return .heading(level: Int(cmark_node_get_heading_level(node)))
        case "code_block":
            let info = Self.string(cmark_node_get_fence_info(node))
            let literal = Self.literal(node)
            var length: Int32 = 0, offset: Int32 = 0
            var character: CChar = 0
            let fenced = cmark_node_get_fenced(node, &length, &offset, &character) != 0
            if fenced, let math = Self.mathFence(info: info, literal: literal) { return .math(math) }
            return .codeBlock(info: info, literal: literal, fenced: fenced)
        case "html_block": return .htmlBlock(Self.literal(node))
        case "thematic_break": return .thematicBreak
        case "table": return .table(alignments: Self.alignments(node))
        case "table_header": return .tableRow(isHeader: true)
        case "table_row": return .tableRow(isHeader: false)
        case "table_cell": return .tableCell
        case "footnote_definition":
            footnoteDefinitions += 1
            return .footnoteDefinition(number: footnoteDefinitions)
        case "text": return .text(Self.literal(node))
        case "softbreak": return .softBreak
        case "linebreak": return .lineBreak
        case "code": return .code(Self.literal(node))
        case "html_inline": return .htmlInline(Self.literal(node))
        case "emph": return .emphasis
        case "strong": return .strong
        case "strikethrough": return .strikethrough
        case "link":
            return .link(destination: Self.string(cmark_node_get_url(node)), title: Self.string(cmark_node_get_title(node)))
        case "image":
            return .image(source: Self.string(cmark_node_get_url(node)), title: Self.string(cmark_node_get_title(node)))
        case "footnote_reference": return .footnoteReference(number: Int(Self.literal(node)) ?? 0)
        default:
            let line = Int(cmark_node_get_start_line(node))
            throw MarkdownError(line: max(line, 1), message: "unsupported Markdown node '\(typeName)' from cmark-gfm")
        }
    }

    /// A ```` ```math ```` fence becomes display math; `{#eq-…}` in its info string labels it.
    private static func mathFence(info: String, literal: String) -> MarkdownNode.Math? {
        let words = info.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.first == "math" else { return nil }
        let label = words.dropFirst().first { $0.hasPrefix("{#") && $0.hasSuffix("}") }
            .map { String($0.dropFirst(2).dropLast()) }
        var tex = literal
        if tex.hasSuffix("\n") { tex.removeLast() }
        return MarkdownNode.Math(tex: tex, display: true, label: label)
    }

    private static func alignments(_ node: OpaquePointer) -> [MarkdownNode.TableAlignment] {
        let count = Int(cmark_gfm_extensions_get_table_columns(node))
        guard let pointer = cmark_gfm_extensions_get_table_alignments(node) else {
            return Array(repeating: .none, count: count)
        }
        return (0..<count).map { index in
            switch pointer[index] {
            case UInt8(ascii: "l"): return .left
            case UInt8(ascii: "c"): return .center
            case UInt8(ascii: "r"): return .right
            default: return .none
            }
        }
    }
}
