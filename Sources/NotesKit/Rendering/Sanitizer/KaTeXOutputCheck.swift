/// Checks, in one pass over the bytes, that HTML is what KaTeX writes: how a cached formula is
/// re-validated before it goes on a page.
///
/// The same rules as ``HTMLSanitizer/accepts(_:)`` with ``SanitizerPolicy/katexOutput``, made
/// fast enough for every formula of every rebuild (the general sanitiser builds tokens and
/// strings, and took longer than typesetting anew): only the policy's elements, each attribute
/// allowed on its element, written once, quoted, spelled as KaTeX spells it, with values that are
/// already escaped; safe styles and URLs; no comments or other markup; text with `<` and `>`
/// escaped and `&` only starting a character reference; and every element closed, innermost
/// first. Anything else is refused; nothing is repaired.
enum KaTeXOutputCheck {
    private static let policy = SanitizerPolicy.katexOutput

    static func accepts(_ html: String) -> Bool {
        var html = html
        return html.withUTF8 { accepts(bytes: $0) }
    }

    private static func accepts(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var open: [String] = []
        var position = 0
        let count = bytes.count
        while position < count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "<"):
                guard let end = tag(bytes, at: position, open: &open) else { return false }
                position = end
            case UInt8(ascii: ">"):
                return false
            case UInt8(ascii: "&"):
                guard let end = characterReference(bytes, at: position) else { return false }
                position = end
            default:
                if byte < 0x20 && byte != 0x0A && byte != 0x09 || byte == 0x7F { return false }
                position += 1
            }
        }
        return open.isEmpty
    }

    /// Reads the tag at `start`; returns where it ends, or nil when it is not allowed.
    private static func tag(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, open: inout [String]) -> Int? {
        var position = start + 1
        let isEnd = position < bytes.count && bytes[position] == UInt8(ascii: "/")
        if isEnd { position += 1 }
        let nameStart = position
        while position < bytes.count, isNameByte(bytes[position]) { position += 1 }
        guard position > nameStart else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<position]), as: UTF8.self)
        guard policy.allowsElement(name), name == name.lowercased() else { return nil }
        if isEnd {
            guard position < bytes.count, bytes[position] == UInt8(ascii: ">"), open.last == name else { return nil }
            open.removeLast()
            return position + 1
        }
        var seen: [String] = []
        while true {
            let spaced = skipSpaces(bytes, &position)
            guard position < bytes.count else { return nil }
            if bytes[position] == UInt8(ascii: ">") {
                if !HTMLSanitizer.voidElements.contains(name) { open.append(name) }
                return position + 1
            }
            if bytes[position] == UInt8(ascii: "/") {
                guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: ">") else { return nil }
                return position + 2
            }
            guard spaced else { return nil }
            let attributeStart = position
            while position < bytes.count, isNameByte(bytes[position]) { position += 1 }
            guard position > attributeStart else { return nil }
            let written = String(decoding: UnsafeBufferPointer(rebasing: bytes[attributeStart..<position]), as: UTF8.self)
            let attribute = written.lowercased()
            guard policy.allowsAttribute(attribute, on: name), policy.spelling(of: attribute) == written,
                  !seen.contains(attribute) else { return nil }
            seen.append(attribute)
            _ = skipSpaces(bytes, &position)
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "=") else { return nil }
            position += 1
            let quote = bytes[position]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
            let valueStart = position + 1
            position = valueStart
            while position < bytes.count, bytes[position] != quote {
                let byte = bytes[position]
                if byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == 0x7F || byte < 0x20 && byte != 0x0A && byte != 0x09 { return nil }
                if byte == UInt8(ascii: "&") {
                    guard let end = characterReference(bytes, at: position) else { return nil }
                    position = end
                } else {
                    position += 1
                }
            }
            guard position < bytes.count else { return nil }
            let value = UnsafeBufferPointer(rebasing: bytes[valueStart..<position])
            position += 1
            if attribute == "style" {
                guard !value.contains(UInt8(ascii: "&")), SanitizerPolicy.isSafeStyle(String(decoding: value, as: UTF8.self)) else { return nil }
            } else if let context = policy.urlContext(of: attribute) {
                guard !value.contains(UInt8(ascii: "&")), URLPolicy.isSafe(String(decoding: value, as: UTF8.self), for: context) else { return nil }
            }
        }
    }

    /// The end of a character reference at `start` (`&amp;`, `&#x27;`, `&#39;`…), or nil.
    private static func characterReference(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var position = start + 1
        if position < bytes.count, bytes[position] == UInt8(ascii: "#") { position += 1 }
        let nameStart = position
        while position < bytes.count, position - nameStart < 32, isAlphanumeric(bytes[position]) { position += 1 }
        guard position > nameStart, position < bytes.count, bytes[position] == UInt8(ascii: ";") else { return nil }
        return position + 1
    }

    /// Letters, digits and `-`, `_`, `:`: what KaTeX's element and attribute names are made of.
    private static func isNameByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }

    /// Skips spaces; true when there was at least one.
    private static func skipSpaces(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int) -> Bool {
        let start = position
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x0A || bytes[position] == 0x09 { position += 1 }
        return position > start
    }
}
