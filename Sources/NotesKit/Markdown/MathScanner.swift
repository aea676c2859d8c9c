import CCmarkGFM

/// Reads one math span at the inline parser's current `$`, or declines so the `$` stays text.
///
/// The search for a closing delimiter steps over backslash escapes and jumps over code spans and
/// autolinks, which bind tighter than math (CommonMark's precedence), so a `$` inside `` `…` `` or
/// `<…>` never closes math. What it learns on the way is kept in the block's `MathScanMemo`, which
/// keeps all the scans of a paragraph together linear in its length.
struct MathScanner {
    private let parser: OpaquePointer
    private let memo: MathScanMemo
    private let start: Int32

    /// A scanner at the current `$` of `parser`, which is reading the inlines of block `block`.
    init(_ parser: OpaquePointer, block: OpaquePointer) {
        self.parser = parser
        self.memo = MathScanMemo.of(block)
        self.start = cmark_inline_parser_get_offset(parser)
    }

    private func byte(_ position: Int32) -> UInt8 { cmark_inline_parser_peek_at(parser, position) }

    private static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// Scans the span and returns a new math node, or nil when the `$` is an ordinary dollar.
    func scan() -> OpaquePointer? {
        byte(start + 1) == UInt8(ascii: "$") ? scanDisplay() : scanInline()
    }

    /// A search's walk through the subject: it steps over backslash escapes and jumps over the
    /// code spans and autolinks of the subject's map, so from a given position every walk goes on
    /// the same way. A walk that starts inside a mapped span (where cmark saw none) steps through
    /// it byte by byte until it comes out on the top level.
    private struct Walk {
        let spans: [Range<Int32>]
        var position: Int32
        /// The first span that ends after `position`.
        private var next: Int

        init(_ map: CodeSpanMap, from position: Int32) {
            spans = map.spans
            self.position = position
            next = map.firstSpan(endingAfter: position)
        }

        /// The span the walk is inside, if it is strictly inside one.
        var enclosingSpan: Range<Int32>? {
            next < spans.count && spans[next].lowerBound < position ? spans[next] : nil
        }

        /// Moves past the byte `b` at `position`.
        mutating func step(_ b: UInt8) {
            if next < spans.count && spans[next].lowerBound == position {
                position = spans[next].upperBound
            } else {
                position += b == UInt8(ascii: "\\") ? 2 : 1
            }
            while next < spans.count && spans[next].upperBound <= position { next += 1 }
        }
    }

    private func scanInline() -> OpaquePointer? {
        guard !Self.isSpace(byte(start + 1)) else { return nil }
        var walk = Walk(memo.codeSpans(byte: byte), from: start + 1)
        let insideSpan = walk.enclosingSpan
        if memo.failsInsideSpan.contains(walk.position) { return nil }
        while true {
            // Standing on the top level where an earlier search went on without finding a closer.
            if walk.position >= memo.topLevelFailsFrom && walk.enclosingSpan == nil
                && byte(walk.position - 1) != UInt8(ascii: "\\") {
                break
            }
            let b = byte(walk.position)
            if b == 0 { break }
            if b == UInt8(ascii: "$") && !Self.isSpace(byte(walk.position - 1)) && !Self.isDigit(byte(walk.position + 1)) {
                return makeNode(form: .inline, texRange: (start + 1, walk.position), label: nil, end: walk.position + 1)
            }
            walk.step(b)
        }
        // No closer: neither from here nor from anywhere the walk went through.
        if let insideSpan {
            memo.failsInsideSpan = (start + 1)..<insideSpan.upperBound
            memo.topLevelFailsFrom = min(memo.topLevelFailsFrom, insideSpan.upperBound)
        } else {
            memo.topLevelFailsFrom = min(memo.topLevelFailsFrom, start + 1)
        }
        return nil
    }

    private func scanDisplay() -> OpaquePointer? {
        var walk = Walk(memo.codeSpans(byte: byte), from: start + 2)
        while true {
            let b = byte(walk.position)
            if b == 0 {
                return makeNode(form: .unterminated, texRange: (start + 2, walk.position), label: nil, end: walk.position)
            }
            if b == UInt8(ascii: "$") && byte(walk.position + 1) == UInt8(ascii: "$") { break }
            walk.step(b)
        }
        let texEnd = walk.position
        let (label, end) = scanLabel(from: texEnd + 2)
        return makeNode(form: .display, texRange: (start + 2, texEnd), label: label, end: end)
    }

    /// Reads an optional ` {#label}` after a display span; returns it and where the span ends.
    private func scanLabel(from position: Int32) -> (String?, Int32) {
        var p = position
        while byte(p) == 0x20 || byte(p) == 0x09 { p += 1 }
        guard byte(p) == UInt8(ascii: "{"), byte(p + 1) == UInt8(ascii: "#") else { return (nil, position) }
        p += 2
        var label: [UInt8] = []
        while true {
            let b = byte(p)
            let isLabelByte = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || b == UInt8(ascii: ".")
            guard isLabelByte else { break }
            label.append(b)
            p += 1
        }
        guard !label.isEmpty, byte(p) == UInt8(ascii: "}") else { return (nil, position) }
        return (String(decoding: label, as: UTF8.self), p + 1)
    }

    private func makeNode(form: MathSyntaxExtension.Payload.Form, texRange: (Int32, Int32), label: String?, end: Int32) -> OpaquePointer? {
        var tex: [UInt8] = []
        tex.reserveCapacity(Int(texRange.1 - texRange.0))
        for p in texRange.0..<texRange.1 { tex.append(byte(p)) }
        let payload = MathSyntaxExtension.Payload(form: form, line: memo.line(at: start, byte: byte), label: label,
                                                  tex: String(decoding: tex, as: UTF8.self))
        guard let node = cmark_node_new(CMARK_NODE_CODE) else { return nil }
        cmark_node_set_syntax_extension(node, MathSyntaxExtension.shared.pointer)
        cmark_node_set_literal(node, payload.encoded)
        cmark_inline_parser_set_offset(parser, end)
        return node
    }
}
