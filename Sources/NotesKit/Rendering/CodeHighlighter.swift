import SwiftIDEUtils
import SwiftParser
import SwiftSyntax

/// Turns source code into HTML for a `<pre><code>` block.
///
/// Swift is parsed by swift-syntax and coloured from SwiftIDEUtils' classifications, the same
/// ones SourceKit-LSP uses; every other language is escaped as plain text. The output is escaped
/// text with flat `<span class="hl-KIND">…</span>` runs: spans never nest, never cross a line
/// break (a multi-line comment or string gets one span per line), and the text content of the
/// output is the input, byte for byte, whatever the input, including code that does not parse.
enum CodeHighlighter {
    /// HTML for `code` in `language` (the first word of a fence's info string; nil or unknown → plain escaped text).
    ///
    /// Swift ("swift", in any letter case) is classified by swift-syntax; the result contains no
    /// `<pre>`/`<code>` wrapper, only escaped text and spans.
    static func highlight(_ code: String, language: String?) -> String {
        guard let language, language.lowercased() == "swift" else { return HTML.escape(code) }
        return highlightSwift(code)
    }

    // MARK: - Swift

    /// Deeper `[` nesting is escaped plainly: swift-syntax 603's type lookahead takes time
    /// exponential in it (about 1 s at depth 20, doubling with each level).
    static let maximumBracketDepth = 12

    /// Deeper syntax trees are escaped plainly: the classifier recurses once per level and
    /// overflows the stack between 10,000 and 20,000 levels in a debug build (a chain of
    /// `.member` accesses adds one level each; the parser's own nesting limit stays below 2,000).
    static let maximumTreeDepth = 4_000

    /// HTML for Swift source, one span per classified run of a line.
    static func highlightSwift(_ code: String) -> String {
        guard bracketDepth(of: code) <= maximumBracketDepth else { return HTML.escape(code) }
        let tree = Parser.parse(source: code)
        guard !isDeeper(tree, than: maximumTreeDepth) else { return HTML.escape(code) }
        var writer = Writer(code: code)
        for classified in tree.classifications {
            let start = classified.range.lowerBound.utf8Offset
            let end = classified.range.upperBound.utf8Offset
            writer.write(upTo: start, kind: nil)
            writer.write(upTo: end, kind: spanKind(for: classified.kind, startingWith: writer.byte(at: start)))
        }
        writer.write(upTo: Int.max, kind: nil)  // Anything the classifications left out.
        return writer.html
    }

    /// The `hl-` class for a classification, or nil for text that gets no span.
    ///
    /// The switch is exhaustive on purpose: a swift-syntax release that adds a classification
    /// fails to compile here, so the new case gets a deliberate class. SwiftIDEUtils cannot tell
    /// function names from other identifiers, so identifiers stay unwrapped to keep pages small.
    static func spanKind(for classification: SyntaxClassification, startingWith firstByte: UInt8?) -> String? {
        switch classification {
        case .keyword:
            // `#sourceLocation` is the one keyword token spelled with `#`: a directive to readers.
            return firstByte == UInt8(ascii: "#") ? "directive" : "keyword"
        case .type: return "type"
        case .identifier, .dollarIdentifier, .editorPlaceholder, .none: return nil
        case .stringLiteral, .regexLiteral: return "string"
        case .integerLiteral, .floatLiteral: return "number"
        case .lineComment, .blockComment: return "comment"
        case .docLineComment, .docBlockComment: return "doc-comment"
        case .attribute: return "attribute"
        case .operator: return "operator"
        case .ifConfigDirective: return "directive"
        case .argumentLabel: return "label"
        }
    }

    // MARK: - Guards

    /// The deepest nesting of `[` in `code`, counted on bytes, strings and comments included.
    static func bracketDepth(of code: String) -> Int {
        var depth = 0
        var deepest = 0
        for byte in code.utf8 {
            if byte == UInt8(ascii: "[") {
                depth += 1
                deepest = max(deepest, depth)
            } else if byte == UInt8(ascii: "]") {
                depth = max(depth - 1, 0)
            }
        }
        return deepest
    }

    /// Whether `tree` has a node more than `limit` levels down, found without recursion.
    static func isDeeper(_ tree: some SyntaxProtocol, than limit: Int) -> Bool {
        var pending: [(node: Syntax, depth: Int)] = [(Syntax(tree), 0)]
        while let (node, depth) = pending.popLast() {
            guard depth <= limit else { return true }
            for child in node.children(viewMode: .sourceAccurate) {
                pending.append((child, depth + 1))
            }
        }
        return false
    }

    // MARK: - Output

    /// Appends the source to the HTML in order, from a cursor that only moves forward.
    ///
    /// Offsets are UTF-8 byte offsets, as swift-syntax reports them. Each one is clamped to the
    /// source and moved forward to a Unicode scalar boundary, so overlapping, out-of-range or
    /// mid-character ranges can neither drop nor repeat a byte.
    private struct Writer {
        let code: String
        private(set) var html = ""
        /// How many bytes of `code` have been written, and the index there.
        private var offset = 0
        private var index: String.Index

        init(code: String) {
            self.code = code
            self.index = code.utf8.startIndex
            html.reserveCapacity(code.utf8.count * 2)
        }

        /// The byte at `byteOffset`, if it is at or after the cursor and inside the source.
        func byte(at byteOffset: Int) -> UInt8? {
            guard byteOffset >= offset, byteOffset < code.utf8.count else { return nil }
            return code.utf8[code.utf8.index(index, offsetBy: byteOffset - offset)]
        }

        /// Writes the source from the cursor up to `end`, in a span of class `hl-kind` if `kind` is set.
        mutating func write(upTo end: Int, kind: String?) {
            let utf8 = code.utf8
            guard end > offset, index < utf8.endIndex else { return }
            var stop = utf8.index(index, offsetBy: min(end, utf8.count) - offset)
            while stop < utf8.endIndex, UTF8.isContinuation(utf8[stop]) { stop = utf8.index(after: stop) }
            let text = code[index..<stop]
            if let kind {
                writeSpans(of: text, kind: kind)
            } else {
                html += HTML.escape(text)
            }
            offset += utf8.distance(from: index, to: stop)
            index = stop
        }

        /// Writes `text` as spans of class `hl-kind`, leaving line breaks outside them.
        private mutating func writeSpans(of text: Substring, kind: String) {
            var lineStart = text.startIndex
            var position = text.startIndex
            let utf8 = text.utf8
            func isLineBreak(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") }
            while lineStart < text.endIndex {
                while position < text.endIndex, !isLineBreak(utf8[position]) { position = utf8.index(after: position) }
                if position > lineStart {
                    html += "<span class=\"hl-\(kind)\">" + HTML.escape(text[lineStart..<position]) + "</span>"
                }
                lineStart = position
                while position < text.endIndex, isLineBreak(utf8[position]) { position = utf8.index(after: position) }
                html += HTML.escape(text[lineStart..<position])
                lineStart = position
            }
        }
    }
}
