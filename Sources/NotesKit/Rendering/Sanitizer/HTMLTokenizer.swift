/// Splits an HTML fragment into text, tags, comments and other markup, as a browser's tokenizer would.
///
/// A fragment is one raw-HTML literal from a note (cmark-gfm's `html_block` or `html_inline`) or a
/// piece of cached KaTeX output. Tags follow the HTML tokenizer's states: names are lower-cased
/// (ASCII only), attribute values may be double-quoted, single-quoted, unquoted or absent, and
/// `/>` marks a tag self-closing. Markup must be complete within the fragment: a `<` that does not
/// begin a complete tag, comment, declaration, processing instruction or CDATA section is text.
///
/// Time is linear in the fragment's length on every input: a tag that runs to the end of the
/// fragment is not re-read from each later `<` (the states it passed through are remembered as
/// leading nowhere), and a search for the end of a comment or declaration that failed is not
/// repeated over the same bytes.
struct HTMLTokenizer {
    /// One piece of a fragment.
    enum Token: Equatable, Sendable {
        /// Text between markup, exactly as written (character references not decoded).
        case text(String)
        /// A start tag such as `<img src=x>`.
        case startTag(Tag)
        /// An end tag such as `</b>`, by lower-cased name (attributes on end tags are ignored).
        case endTag(name: String)
        /// `<!-- … -->`, with what lies between the delimiters.
        case comment(String)
        /// A `<!DOCTYPE …>`-like declaration, a `<?…>` processing instruction or a
        /// `<![CDATA[…]]>` section, with its whole source.
        case otherMarkup(MarkupKind, String)
    }

    /// The kinds of markup that are neither tags nor comments.
    enum MarkupKind: Equatable, Sendable {
        case declaration, processingInstruction, cdata
    }

    /// A start tag: its lower-cased name, its attributes in source order, and whether it ended in `/>`.
    struct Tag: Equatable, Sendable {
        var name: String
        var attributes: [Attribute]
        var isSelfClosing: Bool
    }

    /// One attribute of a start tag as written: its lower-cased name and undecoded value.
    struct Attribute: Equatable, Sendable {
        /// How the value was written.
        enum Quoting: Equatable, Sendable {
            case doubleQuoted, singleQuoted, unquoted
            /// No `=` and no value, as in `<details open>`.
            case valueless
        }

        var name: String
        /// The value as written, character references and all; empty when `valueless`.
        var rawValue: String
        var quoting: Quoting
        /// Whether white space came between the name and the `=` (KaTeX's MathML `class ="…"`).
        var hasSpaceBeforeEquals: Bool = false

        /// The value with its character references decoded as a browser decodes them in attributes.
        func decodedValue() -> DecodedValue {
            CharacterReferences.decodeAttributeValue(rawValue)
        }
    }

    /// An attribute value after character-reference decoding.
    enum DecodedValue: Equatable, Sendable {
        case value(String)
        /// The value holds a named reference (such as `&foo;`) this tokenizer cannot decode, so
        /// what a browser would see is unknown.
        case undecodable(reference: String)
    }

    /// The tokens of `fragment`, in order; adjacent text is merged into one token.
    static func tokens(in fragment: String) -> [Token] {
        var tokenizer = HTMLTokenizer(bytes: Array(fragment.utf8))
        return tokenizer.run()
    }

    // MARK: - Scanning

    private let bytes: [UInt8]
    /// Per byte, a bit per `TagState` from which reading a tag is known to reach the end of the
    /// fragment unclosed; allocated when the first such tag is met.
    private var deadTagStates: [UInt16] = []
    /// The `(position << 4) | state` steps of the tag being read, marked dead if it fails.
    private var trail: [Int] = []
    /// Positions from which the terminator of a comment, CDATA section or `>` is known to be absent.
    private var commentEndAbsentFrom = Int.max
    private var cdataEndAbsentFrom = Int.max
    private var closeAbsentFrom = Int.max

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Reads the whole fragment.
    private mutating func run() -> [Token] {
        var tokens: [Token] = []
        var textStart = 0
        var index = 0
        while index < bytes.count {
            guard bytes[index] == ASCII.lessThan, let (token, end) = markup(at: index) else {
                index += 1
                continue
            }
            if textStart < index { tokens.append(.text(string(textStart..<index))) }
            tokens.append(token)
            index = end
            textStart = end
        }
        if textStart < bytes.count { tokens.append(.text(string(textStart..<bytes.count))) }
        return tokens
    }

    /// The complete markup that the `<` at `start` begins, and the position after it, if any.
    private mutating func markup(at start: Int) -> (Token, Int)? {
        guard let next = byte(at: start + 1) else { return nil }
        if ASCII.isLetter(next) { return tag(nameAt: start + 1, isEndTag: false) }
        if next == ASCII.slash, let first = byte(at: start + 2), ASCII.isLetter(first) {
            return tag(nameAt: start + 2, isEndTag: true)
        }
        if next == ASCII.question {
            guard let close = find(">", from: start + 2, absentFrom: &closeAbsentFrom) else { return nil }
            return (.otherMarkup(.processingInstruction, string(start..<close + 1)), close + 1)
        }
        guard next == ASCII.exclamation else { return nil }
        if hasPrefix("<!--", at: start) { return comment(at: start) }
        if hasPrefix("<![CDATA[", at: start) {
            guard let end = find("]]>", from: start + 9, absentFrom: &cdataEndAbsentFrom) else { return nil }
            return (.otherMarkup(.cdata, string(start..<end + 3)), end + 3)
        }
        guard let first = byte(at: start + 2), ASCII.isLetter(first),
              let close = find(">", from: start + 3, absentFrom: &closeAbsentFrom) else { return nil }
        return (.otherMarkup(.declaration, string(start..<close + 1)), close + 1)
    }

    /// The comment whose `<!--` is at `start`: it ends at `-->` or `--!>`, or at once as `<!-->`
    /// or `<!--->`, as browsers end comments.
    private mutating func comment(at start: Int) -> (Token, Int)? {
        let bodyStart = start + 4
        if byte(at: bodyStart) == ASCII.greaterThan { return (.comment(""), bodyStart + 1) }
        if hasPrefix("->", at: bodyStart) { return (.comment(""), bodyStart + 2) }
        guard let (end, length) = commentEnd(from: bodyStart) else { return nil }
        return (.comment(string(bodyStart..<end)), end + length)
    }

    /// Where the first `-->` or `--!>` at or after `start` begins, and its length, if any.
    private mutating func commentEnd(from start: Int) -> (Int, Int)? {
        var index = start
        while index + 3 <= bytes.count, index < commentEndAbsentFrom {
            if hasPrefix("-->", at: index) { return (index, 3) }
            if hasPrefix("--!>", at: index) { return (index, 4) }
            index += 1
        }
        commentEndAbsentFrom = min(commentEndAbsentFrom, start)
        return nil
    }

    /// The states of the HTML tokenizer between a tag's name and its `>`.
    private enum TagState: Int {
        case tagName, beforeAttributeName, attributeName, afterAttributeName, beforeAttributeValue
        case doubleQuotedValue, singleQuotedValue, unquotedValue, afterQuotedValue, selfClosingStart
    }

    /// The tag whose name begins at `nameStart`, read up to its `>`, if it has one in the fragment.
    private mutating func tag(nameAt nameStart: Int, isEndTag: Bool) -> (Token, Int)? {
        var trail = self.trail
        self.trail = []
        trail.removeAll(keepingCapacity: true)
        let tag = readTag(nameAt: nameStart, isEndTag: isEndTag, trail: &trail)
        if tag == nil { markDead(trail) }
        self.trail = trail
        return tag
    }

    /// Reads a tag as ``tag(nameAt:isEndTag:)`` does, appending each `(position, state)` step
    /// to `trail`; stops early, unclosed, on reaching a step known to lead nowhere.
    private func readTag(nameAt nameStart: Int, isEndTag: Bool, trail: inout [Int]) -> (Token, Int)? {
        var state = TagState.tagName
        var tag = PendingTag(nameStart: nameStart)
        var index = nameStart
        while index < bytes.count {
            if !deadTagStates.isEmpty, deadTagStates[index] & (1 << state.rawValue) != 0 { break }
            trail.append(index << 4 | state.rawValue)
            let byte = bytes[index]
            let isSpace = ASCII.isSpace(byte)
            switch state {
            case .tagName:
                if isSpace || byte == ASCII.slash || byte == ASCII.greaterThan {
                    tag.nameEnd = index
                    if byte == ASCII.greaterThan { return finish(tag, isEndTag: isEndTag, end: index + 1) }
                    state = isSpace ? .beforeAttributeName : .selfClosingStart
                }
            case .beforeAttributeName:
                if isSpace {
                } else if byte == ASCII.slash {
                    state = .selfClosingStart
                } else if byte == ASCII.greaterThan {
                    return finish(tag, isEndTag: isEndTag, end: index + 1)
                } else {
                    tag.startAttribute(at: index)
                    state = .attributeName
                }
            case .attributeName:
                if isSpace || byte == ASCII.slash || byte == ASCII.greaterThan || byte == ASCII.equals {
                    tag.attributeNameEnd = index
                    if byte == ASCII.equals {
                        state = .beforeAttributeValue
                    } else if isSpace {
                        tag.spaceBeforeEquals = true
                        state = .afterAttributeName
                    } else {
                        tag.finishAttribute(.valueless, valueEnd: index)
                        if byte == ASCII.greaterThan { return finish(tag, isEndTag: isEndTag, end: index + 1) }
                        state = .selfClosingStart
                    }
                }
            case .afterAttributeName:
                if isSpace {
                } else if byte == ASCII.equals {
                    state = .beforeAttributeValue
                } else {
                    tag.finishAttribute(.valueless, valueEnd: index)
                    if byte == ASCII.greaterThan { return finish(tag, isEndTag: isEndTag, end: index + 1) }
                    if byte == ASCII.slash {
                        state = .selfClosingStart
                    } else {
                        tag.startAttribute(at: index)
                        state = .attributeName
                    }
                }
            case .beforeAttributeValue:
                if isSpace {
                } else if byte == ASCII.doubleQuote || byte == ASCII.singleQuote {
                    tag.valueStart = index + 1
                    state = byte == ASCII.doubleQuote ? .doubleQuotedValue : .singleQuotedValue
                } else if byte == ASCII.greaterThan {
                    tag.valueStart = index
                    tag.finishAttribute(.unquoted, valueEnd: index)
                    return finish(tag, isEndTag: isEndTag, end: index + 1)
                } else {
                    tag.valueStart = index
                    state = .unquotedValue
                }
            case .doubleQuotedValue:
                if byte == ASCII.doubleQuote {
                    tag.finishAttribute(.doubleQuoted, valueEnd: index)
                    state = .afterQuotedValue
                }
            case .singleQuotedValue:
                if byte == ASCII.singleQuote {
                    tag.finishAttribute(.singleQuoted, valueEnd: index)
                    state = .afterQuotedValue
                }
            case .unquotedValue:
                if isSpace || byte == ASCII.greaterThan {
                    tag.finishAttribute(.unquoted, valueEnd: index)
                    if byte == ASCII.greaterThan { return finish(tag, isEndTag: isEndTag, end: index + 1) }
                    state = .beforeAttributeName
                }
            case .afterQuotedValue:
                if byte == ASCII.slash {
                    state = .selfClosingStart
                } else if byte == ASCII.greaterThan {
                    return finish(tag, isEndTag: isEndTag, end: index + 1)
                } else {
                    state = .beforeAttributeName
                    continue // reconsume
                }
            case .selfClosingStart:
                if byte == ASCII.greaterThan {
                    tag.isSelfClosing = true
                    return finish(tag, isEndTag: isEndTag, end: index + 1)
                }
                state = .beforeAttributeName
                continue // reconsume
            }
            index += 1
        }
        return nil
    }

    /// A tag being read: where its name and attributes lie, kept as positions until it is complete.
    private struct PendingTag {
        var nameStart: Int
        var nameEnd = 0
        var attributes: [AttributeSpan] = []
        var attributeNameStart = 0, attributeNameEnd = 0, valueStart = 0
        var spaceBeforeEquals = false
        var isSelfClosing = false

        init(nameStart: Int) {
            self.nameStart = nameStart
        }

        mutating func startAttribute(at position: Int) {
            attributeNameStart = position
            spaceBeforeEquals = false
        }

        /// Records the attribute being read, with the value that ends at `valueEnd`.
        mutating func finishAttribute(_ quoting: Attribute.Quoting, valueEnd: Int) {
            attributes.append(AttributeSpan(
                name: attributeNameStart..<attributeNameEnd,
                value: quoting == .valueless ? valueEnd..<valueEnd : valueStart..<valueEnd,
                quoting: quoting, hasSpaceBeforeEquals: quoting != .valueless && spaceBeforeEquals))
        }
    }

    /// Where an attribute lies in the fragment, kept as positions until its tag is complete.
    private struct AttributeSpan {
        var name: Range<Int>
        var value: Range<Int>
        var quoting: Attribute.Quoting
        var hasSpaceBeforeEquals: Bool
    }

    /// The token for a tag read up to its `>`, and the position after it.
    private func finish(_ tag: PendingTag, isEndTag: Bool, end: Int) -> (Token, Int) {
        let name = lowerCased(tag.nameStart..<tag.nameEnd)
        if isEndTag { return (.endTag(name: name), end) }
        let attributes = tag.attributes.map { span in
            Attribute(name: lowerCased(span.name), rawValue: string(span.value), quoting: span.quoting,
                      hasSpaceBeforeEquals: span.hasSpaceBeforeEquals)
        }
        return (.startTag(Tag(name: name, attributes: attributes, isSelfClosing: tag.isSelfClosing)), end)
    }

    /// Remembers every step of a failed tag as leading to the end of the fragment unclosed.
    private mutating func markDead(_ trail: [Int]) {
        if deadTagStates.isEmpty { deadTagStates = [UInt16](repeating: 0, count: bytes.count + 1) }
        for step in trail { deadTagStates[step >> 4] |= 1 << (step & 0xF) }
    }

    // MARK: - Bytes

    /// The first position at or after `start` where `needle` begins, if any.
    ///
    /// `absentFrom` is where an earlier search for the same needle found none; a search that
    /// reaches it stops there, and a failed search lowers it, so no byte is searched twice.
    private func find(_ needle: StaticString, from start: Int, absentFrom: inout Int) -> Int? {
        var index = start
        while index + needle.utf8CodeUnitCount <= bytes.count, index < absentFrom {
            if hasPrefix(needle, at: index) { return index }
            index += 1
        }
        absentFrom = min(absentFrom, start)
        return nil
    }

    /// Whether the ASCII `prefix` is written at `start`.
    private func hasPrefix(_ prefix: StaticString, at start: Int) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard start >= 0, start + count <= bytes.count else { return false }
        let pointer = prefix.utf8Start
        for offset in 0..<count where bytes[start + offset] != pointer[offset] { return false }
        return true
    }

    private func byte(at index: Int) -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    /// The bytes in `range` as a string; ranges always split the fragment at ASCII bytes.
    private func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// The bytes in `range` as a string with ASCII letters lower-cased.
    private func lowerCased(_ range: Range<Int>) -> String {
        let slice = bytes[range]
        guard slice.contains(where: ASCII.isUpper) else { return String(decoding: slice, as: UTF8.self) }
        return String(decoding: slice.map { ASCII.isUpper($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }
}

extension HTMLTokenizer {
    /// The ASCII bytes the tokenizer tests for.
    fileprivate enum ASCII {
        static let lessThan = UInt8(ascii: "<"), greaterThan = UInt8(ascii: ">"), slash = UInt8(ascii: "/")
        static let equals = UInt8(ascii: "="), exclamation = UInt8(ascii: "!"), question = UInt8(ascii: "?")
        static let doubleQuote = UInt8(ascii: "\""), singleQuote = UInt8(ascii: "'")

        /// HTML's white space: tab, line feed, form feed, carriage return and space.
        static func isSpace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
        }

        static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }

        static func isLetter(_ byte: UInt8) -> Bool { isUpper(byte) || (byte >= 0x61 && byte <= 0x7A) }
    }
}
