import Testing
@testable import NotesKit

/// The loader's byte-level scans answer as the `Character`-level code they replace.
@Suite struct TextScanTests {
    static let samples = [
        "", " ", "one", "  two words  ", "tabs\tand\nnew\r\nlines\u{0B}\u{0C}here",
        "no\u{00A0}break and\u{2003}em\u{3000}ideographic\u{205F}math\u{2028}line\u{202F}narrow\u{1680}ogham\u{0085}next",
        "accents é ü and 数学 and emoji 👩‍👩‍👧 here", "ends with space\u{2009}", "\u{200B}zero-width is not space",
    ]

    @Test func wordCountMatchesSplittingOnWhiteSpace() {
        for text in Self.samples {
            #expect(TextScan.wordCount(text) == text.split(whereSeparator: { $0.isWhitespace }).count, "\(text.debugDescription)")
            let sub = text.dropFirst()
            #expect(TextScan.wordCount(sub) == sub.split(whereSeparator: { $0.isWhitespace }).count)
        }
    }

    @Test func containsFindsASCIIMarkers() {
        #expect(TextScan.contains("see @eq-x here", "@eq-"))
        #expect(!TextScan.contains("see @eq x here", "@eq-"))
        #expect(TextScan.contains("@eq-", "@eq-"))
        #expect(!TextScan.contains("@eq", "@eq-"))
        #expect(TextScan.contains("a\r\nb", "\r\n"))
        #expect(!TextScan.contains("é{#e", "{#eq"))
        #expect(TextScan.contains("x \\tag{1}", "\\tag"))
    }
}
