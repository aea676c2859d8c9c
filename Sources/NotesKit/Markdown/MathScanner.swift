import CCmarkGFM

/// Reads one math span at the inline parser's current `$`, or declines so the `$` stays text.
struct MathScanner {
    private let parser: OpaquePointer
    private let start: Int32

    init(_ parser: OpaquePointer) {
        self.parser = parser
        self.start = cmark_inline_parser_get_offset(parser)
    }

    private func byte(_ position: Int32) -> UInt8 { cmark_inline_parser_peek_at(parser, position) }

    private static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0
    }

    /// Scans the span and returns a new math node, or nil when the `$` is an ordinary dollar.
    func scan() -> OpaquePointer? {
        byte(start + 1) == UInt8(ascii: "$") ? scanDisplay() : scanInline()
    }

    private func scanInline() -> OpaquePointer? {
        let first = byte(start + 1)
        guard !Self.isSpace(first) else { return nil }
        var position = start + 1
        while true {
            let b = byte(position)
            if b == 0 { return nil }
            if b == UInt8(ascii: "\\") { position += 2; continue }
            if b == UInt8(ascii: "$") {
                let before = byte(position - 1)
                let after = byte(position + 1)
                if !Self.isSpace(before) && !(after >= UInt8(ascii: "0") && after <= UInt8(ascii: "9")) {
                    return makeNode(form: .inline,
                                    texRange: (start + 1, position), label: nil, end: position + 1)
                }
            }
            position += 1
        }
    }

    private func scanDisplay() -> OpaquePointer? {
        var position = start + 2
        while true {
            let b = byte(position)
            if b == 0 {
                return makeNode(form: .unterminated,
                                texRange: (start + 2, position), label: nil, end: position)
            }
            if b == UInt8(ascii: "\\") { position += 2; continue }
            if b == UInt8(ascii: "$") && byte(position + 1) == UInt8(ascii: "$") { break }
            position += 1
        }
        let texEnd = position
        let (label, end) = scanLabel(from: position + 2)
        return makeNode(form: .display,
                        texRange: (start + 2, texEnd), label: label, end: end)
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
        var lineOffset = 0
        for p in 0..<start where byte(p) == 0x0A { lineOffset += 1 }
        let payload = MathSyntaxExtension.Payload(form: form, lineOffset: lineOffset, label: label,
                                                  tex: String(decoding: tex, as: UTF8.self))
        guard let node = cmark_node_new(CMARK_NODE_CODE) else { return nil }
        cmark_node_set_syntax_extension(node, MathSyntaxExtension.shared.pointer)
        cmark_node_set_literal(node, payload.encoded)
        cmark_inline_parser_set_offset(parser, end)
        return node
    }
}
