import CCmarkGFM

/// A cmark-gfm inline extension that reads `$…$` and `$$…$$` before Markdown can touch them.
///
/// The parser calls it at every `$` outside code spans and escapes. It takes the TeX verbatim, so
/// `_`, `*`, `\\`, `\{` and `<` inside math never become emphasis, escapes or HTML. Rules (Pandoc's):
/// an inline opener must be followed by a non-space; a closer must follow a non-space and not be
/// followed by a digit, so prose like "$5 and $6" stays as dollars. A display span may carry a
/// label right after its closing `$$`: `$$ … $$ {#eq-name}`.
final class MathSyntaxExtension: @unchecked Sendable {
    /// The extension, registered once per process and attached to every parser.
    static let shared = MathSyntaxExtension()

    let pointer: OpaquePointer
    let inlineType: cmark_node_type
    let displayType: cmark_node_type
    let unterminatedType: cmark_node_type

    private init() {
        pointer = cmark_syntax_extension_new("notes_math")
        inlineType = cmark_syntax_extension_add_node(1)
        displayType = cmark_syntax_extension_add_node(1)
        unterminatedType = cmark_syntax_extension_add_node(1)
        MathNodeTypes.set(inline: inlineType, display: displayType, unterminated: unterminatedType)
        let dollar = UnsafeMutableRawPointer(bitPattern: Int(UInt8(ascii: "$")))
        let chars = cmark_llist_append(cmark_get_default_mem_allocator(), nil, dollar)
        cmark_syntax_extension_set_special_inline_chars(pointer, chars)
        cmark_syntax_extension_set_match_inline_func(pointer) { _, _, _, character, inlineParser in
            guard character == UInt8(ascii: "$"), let inlineParser else { return nil }
            return MathScanner(inlineParser).scan()
        }
        cmark_syntax_extension_set_get_type_string_func(pointer) { _, node in
            MathNodeTypes.typeString(of: cmark_node_get_type(node))
        }
    }

    /// What a math node carries through cmark: the TeX, its label and its line inside the block.
    ///
    /// Packed into the node's string content as `lineOffset␟label␟tex`, since cmark has no
    /// public field for extension data on inline nodes.
    struct Payload {
        var lineOffset: Int
        var label: String?
        var tex: String

        private static let separator: Character = "\u{1F}"

        var encoded: String { "\(lineOffset)\(Self.separator)\(label ?? "")\(Self.separator)\(tex)" }

        init(lineOffset: Int, label: String?, tex: String) {
            self.lineOffset = lineOffset
            self.label = label
            self.tex = tex
        }

        init?(decoding text: String) {
            let parts = text.split(separator: Self.separator, maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let offset = Int(parts[0]) else { return nil }
            lineOffset = offset
            label = parts[1].isEmpty ? nil : String(parts[1])
            tex = String(parts[2])
        }
    }
}

/// The node types cmark assigned to math, readable from the C callbacks.
enum MathNodeTypes {
    nonisolated(unsafe) private static var inline = CMARK_NODE_NONE
    nonisolated(unsafe) private static var display = CMARK_NODE_NONE
    nonisolated(unsafe) private static var unterminated = CMARK_NODE_NONE

    /// Records the types; called once, from `MathSyntaxExtension.shared`'s initialiser.
    static func set(inline: cmark_node_type, display: cmark_node_type, unterminated: cmark_node_type) {
        self.inline = inline
        self.display = display
        self.unterminated = unterminated
    }

    static func typeString(of type: cmark_node_type) -> UnsafePointer<CChar>? {
        let name: StaticString
        switch type {
        case inline: name = "math_inline"
        case display: name = "math_display"
        case unterminated: name = "math_unterminated"
        default: return nil
        }
        return UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
    }
}
