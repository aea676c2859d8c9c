/// Finds `@eq-label` references in prose, Quarto's cross-reference syntax.
enum EquationReference {
    /// A run of prose: plain text or a reference to an equation label.
    enum Segment: Sendable, Equatable {
        case text(String)
        case reference(label: String)
    }

    /// Splits `text` into plain runs and references.
    ///
    /// A reference is `@eq-` followed by letters, digits, `-` or `_`, ending on a letter or digit,
    /// and not preceded by a letter or digit (so `me@eq-x.org` is left alone).
    static func segments(in text: String) -> [Segment] {
        guard TextScan.contains(text, "@eq-") else { return [.text(text)] }
        var segments: [Segment] = []
        let scalars = Array(text.unicodeScalars)
        var plainStart = 0
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "@", startsReference(scalars, at: index),
                  index == 0 || !isLabelCharacter(scalars[index - 1]) || scalars[index - 1] == "-" || scalars[index - 1] == "_"
            else { index += 1; continue }
            var end = index + 4
            while end < scalars.count, isLabelCharacter(scalars[end]) { end += 1 }
            while end > index + 4, scalars[end - 1] == "-" || scalars[end - 1] == "_" { end -= 1 }
            guard end > index + 4 else { index += 1; continue }
            if plainStart < index { segments.append(.text(string(scalars[plainStart..<index]))) }
            segments.append(.reference(label: string(scalars[(index + 1)..<end])))
            plainStart = end
            index = end
        }
        if plainStart < scalars.count { segments.append(.text(string(scalars[plainStart...]))) }
        return segments
    }

    private static func startsReference(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        index + 4 < scalars.count && scalars[index + 1] == "e" && scalars[index + 2] == "q" && scalars[index + 3] == "-"
    }

    private static func isLabelCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_")
    }

    private static func string(_ slice: ArraySlice<Unicode.Scalar>) -> String {
        var out = ""
        out.unicodeScalars.append(contentsOf: slice)
        return out
    }
}
