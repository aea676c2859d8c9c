import Testing
@testable import NotesKit

/// Specifications of `CodeHighlighter`: exact HTML for small inputs, and a round trip for any input.
@Suite struct CodeHighlighterTests {
    // MARK: - Exact output

    @Test func swiftStatementGetsClassifiedSpans() {
        let html = CodeHighlighter.highlight("let x = 1 // one", language: "swift")
        #expect(html == #"<span class="hl-keyword">let</span> x = <span class="hl-number">1</span> <span class="hl-comment">// one</span>"#)
    }

    @Test func declarationShowsAttributeTypeLabelStringAndDocComment() {
        let code = """
            /// Says hello.
            @MainActor func greet(_ name: String, times n: Int = 2) -> String {
                "hi \\(name)" + String(repeating: "!", count: n)
            }
            """
        let expected = """
            <span class="hl-doc-comment">/// Says hello.</span>
            <span class="hl-attribute">@MainActor</span> <span class="hl-keyword">func</span> greet(_ name: \
            <span class="hl-type">String</span>, <span class="hl-label">times</span> n: \
            <span class="hl-type">Int</span> = <span class="hl-number">2</span>) -&gt; <span class="hl-type">String</span> {
                <span class="hl-string">&quot;hi </span>\\(name)<span class="hl-string">&quot;</span> \
            <span class="hl-operator">+</span> String(<span class="hl-label">repeating</span>: \
            <span class="hl-string">&quot;!&quot;</span>, <span class="hl-label">count</span>: n)
            }
            """
        #expect(CodeHighlighter.highlight(code, language: "swift") == expected)
    }

    @Test func directivesFloatsAndBlockComments() {
        let code = "#if DEBUG\n/* a\n b */ let e = 2.5e-3\n#endif\n#sourceLocation()"
        let expected = """
            <span class="hl-directive">#if</span> <span class="hl-directive">DEBUG</span>
            <span class="hl-comment">/* a</span>
            <span class="hl-comment"> b */</span> <span class="hl-keyword">let</span> e = <span class="hl-number">2.5e-3</span>
            <span class="hl-directive">#endif</span>
            <span class="hl-directive">#sourceLocation</span>()
            """
        #expect(CodeHighlighter.highlight(code, language: "swift") == expected)
    }

    @Test func languageNameIsCaseInsensitive() {
        #expect(CodeHighlighter.highlight("let x = 1", language: "Swift")
            == CodeHighlighter.highlight("let x = 1", language: "swift"))
    }

    // MARK: - Escaping

    @Test func swiftOutputEscapesMarkup() {
        let html = CodeHighlighter.highlight(#"a < b && "<script>""#, language: "swift")
        #expect(html.contains("&lt;"))
        #expect(html.contains("&amp;&amp;"))
        #expect(!html.contains("<script>"))
        #expect(textContent(of: html) == #"a < b && "<script>""#)
    }

    @Test func otherLanguagesAreEscapedPlainly() {
        let code = "fn main() { if a < b && c > d { println!(\"<b>\"); } }"
        #expect(CodeHighlighter.highlight(code, language: "rust") == HTML.escape(code))
        #expect(!CodeHighlighter.highlight(code, language: "rust").contains("<span"))
    }

    @Test func missingLanguageIsEscapedPlainly() {
        let code = "let x = \"<i>\" // & more"
        #expect(CodeHighlighter.highlight(code, language: nil)
            == "let x = &quot;&lt;i&gt;&quot; // &amp; more")
    }

    // MARK: - Round trip

    /// A named input, shown by its name in test results instead of its (possibly long) text.
    struct Sample: Sendable, CustomTestStringConvertible {
        let name: String
        let code: String
        var testDescription: String { name }
    }

    /// Inputs whose text must come back unchanged: odd characters, line endings, broken code.
    static let roundTripSamples: [Sample] = [
        Sample(name: "empty", code: ""),
        Sample(name: "non-ASCII", code: "let δ = \"σ′ ≥ 0\"\nlet 名前 = δ"),
        Sample(name: "emoji", code: "let 🐶🐮 = \"dogcow 👩‍👩‍👧‍👦🇫🇷\" // é, e\u{301}\n"),
        Sample(name: "CRLF and tabs", code: "struct A {\r\n\tvar x = 1\r\n\t/* block\r\n\t comment */\r\n}\r\n"),
        Sample(name: "multi-line string", code: "let s = \"\"\"\n\tmulti\r\n  line \\(x) \"\n\"\"\"\n"),
        Sample(name: "byte order mark", code: "\u{FEFF}import Foundation\n"),
        Sample(name: "NUL", code: "let nul = \"\u{0}\"\u{0} // nul\n"),
        Sample(name: "shebang, lone CR", code: "#!/usr/bin/env swift\nprint(1)\r"),
        Sample(name: "syntax errors", code: "func f( { let = \"unterminated\n  }}} ))) @@@ ### <#placeholder#>"),
        Sample(name: "unclosed block comment", code: "/* never closed\n let x = 1"),
        Sample(name: "unclosed multi-line string", code: "let s = \"\"\"\nnever closed"),
        Sample(name: "broken #if", code: "#if os(Linux\nlet a = 1\n#elseif\n"),
        Sample(name: "regex and raw strings", code: "let r = #/a+(b)/# + /x/ ; let raw = ##\"a\"#b\"##"),
        Sample(name: "punctuation soup", code: "x.y.z?.w!.v[0](1)<>>>==<<@ `name` $0 $x _ \\"),
        Sample(name: "500 open parentheses",
               code: String(repeating: "(", count: 500) + String(repeating: "]", count: 300)),
        Sample(name: "40 open brackets", code: "let a = " + String(repeating: "[(", count: 40)),
        Sample(name: "chain of 20,000 members", code: "let c = a" + String(repeating: ".b", count: 20_000)),
        Sample(name: "2,000 lines", code: largeSwiftSource(lines: 2_000)),
    ]

    @Test(arguments: roundTripSamples)
    func textContentIsTheInputAndSpansAreFlat(sample: Sample) {
        let html = CodeHighlighter.highlight(sample.code, language: "swift")
        // Byte for byte the input, except that control characters are shown as their pictures.
        #expect(Array(textContent(of: html).utf8) == Array(ControlCharacters.visible(sample.code).utf8))
        let problems = spanProblems(in: html)
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }

    // MARK: - Inputs swift-syntax cannot take

    @Test func deepBracketNestingIsEscapedPlainly() {
        let code = "let a = " + String(repeating: "[", count: 13) + "1" + String(repeating: "]", count: 13)
        #expect(CodeHighlighter.highlight(code, language: "swift") == HTML.escape(code))
    }

    @Test func bracketNestingWithinTheLimitIsHighlighted() {
        let code = String(repeating: "[", count: 12) + "1" + String(repeating: "]", count: 12)
        #expect(CodeHighlighter.highlight(code, language: "swift")
            == String(repeating: "[", count: 12) + #"<span class="hl-number">1</span>"#
            + String(repeating: "]", count: 12))
    }

    @Test func deepTreeIsEscapedPlainly() {
        let code = "let c = a" + String(repeating: ".b", count: 5_000)
        #expect(CodeHighlighter.highlight(code, language: "swift") == HTML.escape(code))
    }

    @Test func largeInputIsHighlightedThroughout() {
        let code = Self.largeSwiftSource(lines: 2_000)
        let html = CodeHighlighter.highlight(code, language: "swift")
        #expect(code.split(separator: "\n", omittingEmptySubsequences: false).count == 2_000)
        #expect(html.ranges(of: "<span class=\"hl-keyword\">func</span>").count == 200)
    }

    // MARK: - Helpers

    /// A Swift file of exactly `lines` lines, repeating a ten-line function.
    static func largeSwiftSource(lines: Int) -> String {
        (0..<lines / 10).map { index in
            """
            /// Returns the weighted sum number \(index).
            @inlinable public func sum\(index)(_ xs: [Double], weights ws: [Double] = []) -> Double {
                var total = 0.0 // running
                for (i, x) in xs.enumerated() where i < ws.count {
                    total += x * ws[i] + 0x1F
                }
                /* δ-rule: σ′ ≥ 0 */
                #if DEBUG
                print("sum\\(\(index)) = \\(total)", terminator: "\\n"); #endif
                return total }
            """
        }.joined(separator: "\n")
    }

    /// The text a browser shows for highlighter output: tags dropped, entities decoded.
    ///
    /// Anything but a `span` tag, a closing `span` or one of `HTML.escape`'s four entities is
    /// kept verbatim, so it fails the round-trip comparison instead of passing silently.
    func textContent(of html: String) -> String {
        var text = ""
        var rest = Substring(html)
        let entities = ["&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\""]
        while let next = rest.firstIndex(where: { $0 == "<" || $0 == "&" }) {
            text += rest[..<next]
            rest = rest[next...]
            if rest.hasPrefix("<span class=\""), let close = rest.firstIndex(of: ">") {
                rest = rest[rest.index(after: close)...]
            } else if rest.hasPrefix("</span>") {
                rest = rest.dropFirst("</span>".count)
            } else if let entity = entities.first(where: { rest.hasPrefix($0.key) }) {
                text += entity.value
                rest = rest.dropFirst(entity.key.count)
            } else {
                text.append(rest.removeFirst())
            }
        }
        return text + rest
    }

    /// What is wrong with the spans of `html`: nesting, unclosed spans, line breaks inside, unknown classes.
    func spanProblems(in html: String) -> [String] {
        let kinds: Set<Substring> = ["keyword", "type", "identifier", "string", "number", "comment",
                                     "doc-comment", "attribute", "operator", "directive", "label"]
        var problems: [String] = []
        var open = false
        var rest = Substring(html)
        while let tag = rest.firstIndex(of: "<") {
            if open, rest[..<tag].contains(where: { $0 == "\n" || $0 == "\r" }) {
                problems.append("line break in span before \(rest[tag...].prefix(40))")
            }
            rest = rest[tag...]
            if rest.hasPrefix("<span class=\"hl-"), let quote = rest.dropFirst(16).firstIndex(of: "\"") {
                let kind = rest[rest.index(rest.startIndex, offsetBy: 16)..<quote]
                if !kinds.contains(kind) { problems.append("unknown class \(kind)") }
                if open { problems.append("nested span \(kind)") }
                open = true
            } else if rest.hasPrefix("</span>") {
                if !open { problems.append("unbalanced </span>") }
                open = false
            } else {
                problems.append("unexpected tag \(rest.prefix(20))")
            }
            rest = rest.dropFirst()
        }
        if open { problems.append("unclosed span at end") }
        return problems
    }
}
