/// Control characters shown as what they are, not obeyed.
///
/// A cell may print NUL, BEL or ESC (a terminal's screen-clear or title sequence). Raw, they make
/// HTML and XML ill-formed and drive the terminal of whoever runs `notes check`; so pages,
/// reports and diagnostics show each as its Unicode control picture (ESC as ␛), keeping tab,
/// line feed and carriage return.
enum ControlCharacters {
    /// `scalar`, or its control picture when it is a C0 control other than tab, LF and CR, or DEL.
    static func visible(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return scalar
        case 0x00..<0x20: return Unicode.Scalar(0x2400 + scalar.value)!
        case 0x7F: return "\u{2421}"
        default: return scalar
        }
    }

    /// `text` with every such control replaced by its picture.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { visible($0) != $0 }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { out.append(visible(scalar)) }
        return String(out)
    }
}
