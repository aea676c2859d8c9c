/// The one place where text becomes HTML: every escape in the tool goes through here.
enum HTML {
    /// Escapes text for use between tags or inside a double-quoted attribute value.
    ///
    /// Matches cmark's `escape_html`: `&`, `<`, `>` and `"` become entities.
    static func escape(_ text: some StringProtocol) -> String {
        escaping(text, apostrophe: false)
    }

    /// `&`, `<`, `>` and `"` as entities (and `'` as `&#x27;` when `apostrophe`), control
    /// characters as their pictures.
    private static func escaping(_ text: some StringProtocol, apostrophe: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'" where apostrophe: out += "&#x27;"
            default: out.unicodeScalars.append(ControlCharacters.visible(scalar))
            }
        }
        return out
    }

    /// Escapes a URL for an `href` or `src` attribute, as cmark's `houdini_escape_href` does.
    ///
    /// Characters that are safe in URLs pass through, `&` and `'` become entities, and every
    /// other byte is percent-encoded (existing `%XX` escapes are kept).
    static func escapeHref(_ url: String) -> String {
        var out = ""
        out.reserveCapacity(url.utf8.count + 8)
        for byte in url.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out += "&amp;"
            case UInt8(ascii: "'"): out += "&#x27;"
            default:
                if hrefSafe[Int(byte)] {
                    out.unicodeScalars.append(Unicode.Scalar(byte))
                } else {
                    out += "%" + hexDigits[Int(byte >> 4)] + hexDigits[Int(byte & 0xF)]
                }
            }
        }
        return out
    }

    private static let hexDigits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
                                    "A", "B", "C", "D", "E", "F"]

    /// The bytes that `escapeHref` keeps as they are: letters, digits and URL punctuation.
    private static let hrefSafe: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        let safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.+!*(),%#@?=;:/,$~"
        for byte in safe.utf8 { table[Int(byte)] = true }
        return table
    }()
}

// The escapes of HTMLSanitizer's output: raw HTML from notes and cached KaTeX output.
extension HTML {
    /// Escapes an attribute value for either kind of quotes, as KaTeX's `utils.escape` does.
    ///
    /// `&`, `<`, `>`, `"` and `'` become `&amp;`, `&lt;`, `&gt;`, `&quot;` and `&#x27;` (KaTeX's
    /// spellings, so its output escapes back to the same bytes); control characters other than
    /// tab, line feed and carriage return become their pictures, as in ``escape(_:)``.
    static func escapeAttributeValue(_ value: some StringProtocol) -> String {
        escaping(value, apostrophe: true)
    }

    /// Escapes the text between the tags of a raw HTML fragment, keeping its character references.
    ///
    /// `<` and `>` become `&lt;` and `&gt;`; an `&` that begins a well-formed character reference
    /// (`&name;`, `&#123;`, `&#x1F;`) is kept with it, any other `&` becomes `&amp;`; control
    /// characters become their pictures. Quotes and everything else pass through.
    static func escapeFragmentText(_ text: some StringProtocol) -> String {
        let scalars = text.unicodeScalars
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            switch scalar {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&":
                if let end = characterReferenceEnd(in: scalars, at: index) {
                    while index < end {
                        out.unicodeScalars.append(scalars[index])
                        index = scalars.index(after: index)
                    }
                    continue
                }
                out += "&amp;"
            default: out.unicodeScalars.append(ControlCharacters.visible(scalar))
            }
            index = scalars.index(after: index)
        }
        return out
    }

    /// The end of the well-formed character reference whose `&` is at `start`, if there is one.
    ///
    /// Well-formed: `&` then a letter and letters or digits, or `#` and decimal digits, or `#x`
    /// (or `#X`) and hex digits, then `;`. Reads only up to the first scalar that does not fit.
    private static func characterReferenceEnd<Scalars: Collection>(
        in scalars: Scalars, at start: Scalars.Index
    ) -> Scalars.Index? where Scalars.Element == Unicode.Scalar {
        var index = scalars.index(after: start)
        guard index < scalars.endIndex else { return nil }
        let fits: (Unicode.Scalar) -> Bool
        if scalars[index] == "#" {
            index = scalars.index(after: index)
            guard index < scalars.endIndex else { return nil }
            if scalars[index] == "x" || scalars[index] == "X" {
                index = scalars.index(after: index)
                fits = { $0.properties.isASCIIHexDigit }
            } else {
                fits = { ("0"..."9").contains($0) }
            }
        } else {
            guard isASCIILetter(scalars[index]) else { return nil }
            fits = { isASCIILetter($0) || ("0"..."9").contains($0) }
        }
        let digitsStart = index
        while index < scalars.endIndex, fits(scalars[index]) { index = scalars.index(after: index) }
        guard index != digitsStart, index < scalars.endIndex, scalars[index] == ";" else { return nil }
        return scalars.index(after: index)
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
