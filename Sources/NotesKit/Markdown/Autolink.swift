/// Recognises a CommonMark autolink, `<scheme:…>` or `<name@example.com>`, where the math scanner
/// meets a `<`, so a `$` inside one is never taken for a math delimiter.
///
/// The grammar is cmark-gfm's (`scan_autolink_uri`, `scan_autolink_email`). Neither form may
/// contain a `<`, so a failed attempt reads no further than the next `<`: trying every `<` of a
/// paragraph stays linear.
enum Autolink {
    /// Where the autolink whose `<` is at `opener` ends (just past its `>`), or nil if none starts there.
    static func end(openerAt opener: Int32, byte: (Int32) -> UInt8) -> Int32? {
        uriEnd(from: opener + 1, byte: byte) ?? emailEnd(from: opener + 1, byte: byte)
    }

    private static let localPartSymbols = Set(".!#$%&'*+/=?^_`{|}~-".utf8)

    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    private static func isAlphanumeric(_ b: UInt8) -> Bool { isLetter(b) || isDigit(b) }

    /// `scheme:` then anything but controls, space, `<` and `>`, then `>`; a scheme is a letter
    /// followed by 1 to 31 letters, digits, `+`, `.` or `-`.
    private static func uriEnd(from start: Int32, byte: (Int32) -> UInt8) -> Int32? {
        guard isLetter(byte(start)) else { return nil }
        var p = start + 1
        while p - start <= 32 {
            let b = byte(p)
            guard isAlphanumeric(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") else { break }
            p += 1
        }
        guard p - start >= 2, p - start <= 32, byte(p) == UInt8(ascii: ":") else { return nil }
        p += 1
        while true {
            let b = byte(p)
            if b == UInt8(ascii: ">") { return p + 1 }
            if b <= 0x20 || b == UInt8(ascii: "<") { return nil }
            p += 1
        }
    }

    /// A local part of letters, digits and ``.!#$%&'*+/=?^_`{|}~-``, `@`, then dot-separated
    /// labels of up to 63 letters, digits and inner hyphens, then `>`.
    private static func emailEnd(from start: Int32, byte: (Int32) -> UInt8) -> Int32? {
        var p = start
        while isAlphanumeric(byte(p)) || localPartSymbols.contains(byte(p)) { p += 1 }
        guard p > start, byte(p) == UInt8(ascii: "@") else { return nil }
        p += 1
        while true {
            let label = p
            guard isAlphanumeric(byte(p)) else { return nil }
            while isAlphanumeric(byte(p)) || byte(p) == UInt8(ascii: "-") { p += 1 }
            guard p - label <= 63, byte(p - 1) != UInt8(ascii: "-") else { return nil }
            if byte(p) == UInt8(ascii: ">") { return p + 1 }
            guard byte(p) == UInt8(ascii: ".") else { return nil }
            p += 1
        }
    }
}
