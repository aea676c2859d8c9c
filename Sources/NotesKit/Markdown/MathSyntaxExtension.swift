import CCmarkGFM

/// A cmark-gfm inline extension that reads `$…$` and `$$…$$` before Markdown can touch them.
///
/// The parser calls it at every `$` outside code spans and escapes. It takes the TeX verbatim, so
/// `_`, `*`, `\\`, `\{` and `<` inside math never become emphasis, escapes or HTML. Rules (Pandoc's):
/// an inline opener must be followed by a non-space; a closer must follow a non-space and not be
/// followed by a digit, so prose like "$5 and $6" stays as dollars. A display span may carry a
/// label right after its closing `$$`: `$$ … $$ {#eq-name}`.
///
/// Math nodes are cmark code spans owned by this extension (table cells, for one, accept only
/// cmark's own inline types); the tree converter recognises them by their extension.
final class MathSyntaxExtension: @unchecked Sendable {
    /// The extension, registered once per process and attached to every parser.
    static let shared = MathSyntaxExtension()

    let pointer: OpaquePointer

    private init() {
        pointer = cmark_syntax_extension_new("notes_math")
        let dollar = UnsafeMutableRawPointer(bitPattern: Int(UInt8(ascii: "$")))
        let chars = cmark_llist_append(cmark_get_default_mem_allocator(), nil, dollar)
        cmark_syntax_extension_set_special_inline_chars(pointer, chars)
        cmark_syntax_extension_set_match_inline_func(pointer) { _, _, _, character, inlineParser in
            guard character == UInt8(ascii: "$"), let inlineParser else { return nil }
            return MathScanner(inlineParser).scan()
        }
    }

    /// True when `node` is a math span made by this extension.
    func owns(_ node: OpaquePointer) -> Bool {
        cmark_node_get_syntax_extension(node) == pointer
    }

    /// What a math node carries through cmark: its form, TeX, label and line inside the block.
    ///
    /// Packed into the node's literal as `form␟lineOffset␟label␟tex`, since cmark has no public
    /// field for extension data on inline nodes.
    struct Payload: Equatable {
        enum Form: String { case inline, display, unterminated }

        var form: Form
        var lineOffset: Int
        var label: String?
        var tex: String

        private static let separator: Character = "\u{1F}"

        var encoded: String {
            [form.rawValue, String(lineOffset), label ?? "", tex].joined(separator: String(Self.separator))
        }

        init(form: Form, lineOffset: Int, label: String?, tex: String) {
            self.form = form
            self.lineOffset = lineOffset
            self.label = label
            self.tex = tex
        }

        init?(decoding text: String) {
            let parts = text.split(separator: Self.separator, maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count == 4, let form = Form(rawValue: String(parts[0])), let offset = Int(parts[1]) else { return nil }
            self.form = form
            lineOffset = offset
            label = parts[2].isEmpty ? nil : String(parts[2])
            tex = String(parts[3])
        }
    }
}
