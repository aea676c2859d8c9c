/// The one place where text becomes HTML: every escape in the tool goes through here.
enum HTML {
    /// Escapes text for use between tags or inside a double-quoted attribute value.
    ///
    /// Matches cmark's `escape_html`: `&`, `<`, `>` and `"` become entities.
    static func escape(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
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
