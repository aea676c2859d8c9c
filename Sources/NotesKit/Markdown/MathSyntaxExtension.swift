import CCmarkGFM

/// A cmark-gfm inline extension that reads `$…$` and `$$…$$` before Markdown can touch them.
///
/// The parser calls it at every `$` outside code spans and escapes. It takes the TeX verbatim, so
/// `_`, `*`, `\\`, `\{` and `<` inside math never become emphasis, escapes or HTML. Rules (Pandoc's):
/// an inline opener must be followed by a non-space; a closer must follow a non-space and not be
/// followed by a digit, so prose like "$5 and $6" stays as dollars. A display span may carry a
/// label right after its closing `$$`: `$$ … $$ {#eq-name}`. Code spans and autolinks bind
/// tighter, as CommonMark ranks them: a `$` inside one never closes math.
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
        cmark_syntax_extension_set_match_inline_func(pointer) { _, _, block, character, inlineParser in
            guard character == UInt8(ascii: "$"), let inlineParser, let block else { return nil }
            return MathScanner(inlineParser, block: block).scan()
        }
    }

    /// True when `node` is a math span made by this extension.
    func owns(_ node: OpaquePointer) -> Bool {
        cmark_node_get_syntax_extension(node) == pointer
    }

    /// What a math node carries through cmark: its form, TeX, label and line in the file.
    ///
    /// Packed into the node's literal as `form␟line␟label␟tex`, since cmark has no public field for
    /// extension data on inline nodes. The line is the block's first line plus the newlines the
    /// scanner counted before the `$` (`MathScanMemo`); cmark's own inline line counter is no help,
    /// as it misses the newlines inside math spans, after a backslash hard break and inside link
    /// destinations.
    struct Payload: Equatable {
        enum Form: String { case inline, display, unterminated }

        var form: Form
        var line: Int
        var label: String?
        var tex: String

        private static let separator: Character = "\u{1F}"

        var encoded: String {
            [form.rawValue, String(line), label ?? "", tex].joined(separator: String(Self.separator))
        }

        init(form: Form, line: Int, label: String?, tex: String) {
            self.form = form
            self.line = line
            self.label = label
            self.tex = tex
        }

        init?(decoding text: String) {
            let parts = text.split(separator: Self.separator, maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count == 4, let form = Form(rawValue: String(parts[0])), let line = Int(parts[1]) else { return nil }
            self.form = form
            self.line = line
            label = parts[2].isEmpty ? nil : String(parts[2])
            tex = String(parts[3])
        }
    }
}
