import Testing
@testable import NotesKit

/// Raw HTML in notes sanitised as GitHub does, URL schemes read as browsers read them, and cached
/// KaTeX output re-validated byte for byte.
@Suite struct HTMLSanitizerTests {
    private let notes = HTMLSanitizer(policy: .notes)
    private let katex = HTMLSanitizer(policy: .katexOutput)

    /// The HTML that `fragment` sanitises to under the notes policy.
    private func clean(_ fragment: String) -> String {
        notes.sanitize(fragment).html
    }

    // MARK: - Scripts

    @Test func eventHandlersAreRemoved() {
        #expect(clean("<img src=x onerror=alert(1)>") == #"<img src="x">"#)
        #expect(clean("<IMG SRC=x ONERROR=alert(1)>") == #"<img src="x">"#)
        #expect(clean(#"<img src="x" onerror="alert(1)" onload='alert(2)'>"#) == #"<img src="x">"#)
        #expect(clean("<img/src=x/onerror=alert(1)>") == #"<img src="x/onerror=alert(1)">"#)
        #expect(clean("<b onmouseover=alert(1)>bold</b>") == "<b>bold</b>")
        #expect(clean("<svg onload=alert(1)>") == "")
        #expect(!clean("<a href=x onclick=alert(1) onfocus=alert(1) tabindex=1>").contains("on"))
    }

    @Test func javascriptURLsAreRemovedHoweverWritten() {
        for fragment in [
            #"<a href="javascript:alert(1)">x</a>"#,
            #"<a href="JAVASCRIPT:alert(1)">x</a>"#,
            #"<a href="jav&#x61;script:alert(1)">x</a>"#,
            #"<a href="&#106avascript:alert(1)">x</a>"#,
            #"<a href=" javascript:alert(1)">x</a>"#,
            "<a href=\"java\tscript:alert(1)\">x</a>",
            "<a href=\"java&Tab;script:alert(1)\">x</a>",
            "<a href=\"java&#10;script:alert(1)\">x</a>",
            #"<a href="javascript&colon;alert(1)">x</a>"#,
            "<a href=javascript:alert(1)>x</a>",
            "<a href='vbscript:msgbox(1)'>x</a>",
        ] {
            #expect(clean(fragment) == "<a>x</a>", "\(fragment)")
        }
        #expect(clean(#"<img src="data:image/svg+xml;base64,PHN2Zz4=">"#) == "<img>")
        #expect(clean(#"<blockquote cite="javascript:alert(1)">q</blockquote>"#) == "<blockquote>q</blockquote>")
    }

    @Test func contentDroppingElementsGoWithTheirContent() {
        #expect(clean("<script>alert(1)</script>after") == "after")
        #expect(clean("<SCRIPT SRC=//evil.example/x.js></SCRIPT>") == "")
        #expect(clean("<style>body { display: none }</style>text") == "text")
        #expect(clean("<iframe src=\"https://evil.example\">fallback</iframe>") == "")
        #expect(clean("<object data=x.swf><embed src=x.swf></object>kept") == "kept")
        #expect(clean("<textarea><b>not markup</b></textarea>") == "")
        #expect(clean("<noscript><img src=x onerror=alert(1)></noscript>") == "")
        #expect(clean("<template><img src=x onerror=alert(1)></template>ok") == "ok")
        #expect(clean("<script>never closed <b>x</b>") == "")
        #expect(clean("<plaintext>x</plaintext>y") == "")
        #expect(clean("<script><script>x</script>y") == "y")
    }

    @Test func disallowedElementsLoseTheirTagsButKeepTheirText() {
        #expect(clean("<form action=\"https://evil.example\"><input name=pw>Password</form>") == "Password")
        #expect(clean("<base href=\"https://evil.example/\">") == "")
        #expect(clean("<meta http-equiv=refresh content=\"0;url=https://evil.example\">") == "")
        #expect(clean("<link rel=stylesheet href=x.css>") == "")
        #expect(clean("<font color=red>red</font>") == "red")
        #expect(clean("<button formaction=javascript:alert(1)>go</button>") == "go")
    }

    @Test func mathAndSVGCannotSmuggleMarkup() {
        let nested = "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"
        #expect(clean(nested) == "")
        #expect(clean("<math><mtext><img src=x onerror=alert(1)></mtext></math>after") == "after")
        #expect(clean("<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>") == "")
        #expect(clean("<svg/><b>after</b>") == "<b>after</b>")
        let output = clean("<div><math><mi xlink:href=\"javascript:alert(1)\">x</mi></math></div>")
        #expect(output == "<div></div>")
    }

    // MARK: - What survives

    @Test func allowedMarkupSurvives() {
        #expect(clean("<details><summary>More</summary>Body</details>")
            == "<details><summary>More</summary>Body</details>")
        #expect(clean("<details open>") == #"<details open="">"#)
        #expect(clean("Press <kbd>Ctrl</kbd>+<kbd>C</kbd>") == "Press <kbd>Ctrl</kbd>+<kbd>C</kbd>")
        #expect(clean("x<sup>2</sup> and H<sub>2</sub>O") == "x<sup>2</sup> and H<sub>2</sub>O")
        #expect(clean(#"<a href="https://x" title="t">link</a>"#) == #"<a href="https://x" title="t">link</a>"#)
        #expect(clean(#"<img src="figure.png" alt="a">"#) == #"<img src="figure.png" alt="a">"#)
        #expect(clean("<br>") == "<br>")
        #expect(clean("<br/>") == "<br/>")
        #expect(clean("<table><tr><td colspan=2 align=center>c</td></tr></table>")
            == #"<table><tr><td colspan="2" align="center">c</td></tr></table>"#)
        #expect(clean("</b>") == "</b>")
        #expect(clean(#"<a href="mailto:me@example.com">me</a>"#) == #"<a href="mailto:me@example.com">me</a>"#)
        #expect(clean(#"<a href="notes/intro.html#sec:one">intro</a>"#)
            == #"<a href="notes/intro.html#sec:one">intro</a>"#)
    }

    @Test func attributesAreWrittenCanonically() {
        #expect(clean("<A HREF='https://x' TITLE=t>x</A>") == #"<a href="https://x" title="t">x</a>"#)
        #expect(clean(#"<img alt='say "hi"' src=x>"#) == #"<img alt="say &quot;hi&quot;" src="x">"#)
        #expect(clean(#"<img alt="it&apos;s &lt;b&gt; &amp; &#169;">"#) == #"<img alt="it&#x27;s &lt;b&gt; &amp; ©">"#)
        #expect(clean(#"<a href="?a=1&b=2">q</a>"#) == #"<a href="?a=1&amp;b=2">q</a>"#)
        #expect(clean("<b\n>x</b >") == "<b>x</b>")
    }

    @Test func notesMayNotUseStyleClassOrId() {
        let fragment = #"<span class="verified-badge" id="eq-1" style="position:fixed">✓</span>"#
        #expect(clean(fragment) == "<span>✓</span>")
    }

    @Test func attributesThatCannotBeCheckedAreDropped() {
        let undecodable = notes.sanitize(#"<a href="&unknownname;x" title="t">x</a>"#)
        #expect(undecodable.html == #"<a title="t">x</a>"#)
        #expect(undecodable.removed == ["the href of <a> (&unknownname; is a character reference that cannot be checked)"])
        let duplicate = notes.sanitize("<a href='javascript:alert(1)' href='https://ok'>x</a>")
        #expect(duplicate.html == "<a>x</a>")
        #expect(duplicate.removed == ["the href of <a> (javascript: is not an allowed scheme)",
                                      "a second href attribute of <a>"])
    }

    // MARK: - Text

    @Test func textKeepsItsCharacterReferences() {
        #expect(clean("a &amp; b &copy; &#123; &#x1F600; &nbsp;") == "a &amp; b &copy; &#123; &#x1F600; &nbsp;")
        #expect(clean("Tom & Jerry &c &#; &#x; &1;") == "Tom &amp; Jerry &amp;c &amp;#; &amp;#x; &amp;1;")
        #expect(clean(#"She said "it's""#) == #"She said "it's""#)
    }

    @Test func strayAngleBracketsAreText() {
        #expect(clean("1 < 2 > 0") == "1 &lt; 2 &gt; 0")
        #expect(clean("a <b and c") == "a &lt;b and c")
        #expect(clean("<p>unterminated <a href=\"x") == "<p>unterminated &lt;a href=\"x")
        #expect(clean("<!-- never closed") == "&lt;!-- never closed")
        #expect(clean("</ b> <> <3 <=") == "&lt;/ b&gt; &lt;&gt; &lt;3 &lt;=")
    }

    @Test func commentsAndOtherMarkupAreRemoved() {
        let sanitized = notes.sanitize("a<!-- c -->b<!DOCTYPE html>c<?xml version=\"1.0\"?>d<![CDATA[<x>]]>e")
        #expect(sanitized.html == "abcde")
        #expect(sanitized.removed == ["a <!…> declaration", "a <?…> processing instruction",
                                      "a CDATA section"])
        #expect(clean("<!-->x<!--->y<!-- a --!>z") == "xyz")
    }

    @Test func controlCharactersAreShownNotObeyed() {
        let sanitized = notes.sanitize("\u{0}<b\u{0}>x\u{1B}</b>")
        #expect(sanitized.html == "\u{2400}x\u{241B}</b>")
        #expect(sanitized.removed == ["the <b\u{2400}> element"])
    }

    @Test func removalsAreDescribedForTheAuthor() {
        let sanitized = notes.sanitize(#"<img src=x onerror=alert(1)><script>x</script><a href="javascript:x">l</a>"#
            + "<!-- c --><form>f</form><img src=y onerror=z>")
        #expect(sanitized.removed == [
            "the onerror attribute of <img>",
            "the <script> element and its content",
            "the href of <a> (javascript: is not an allowed scheme)",
            "the <form> element",
        ])
        #expect(notes.sanitize("<b>fine</b>").removed.isEmpty)
        let many = notes.sanitize((0..<100).map { "<x\($0)>" }.joined())
        #expect(many.removed.count == 21)
        #expect(many.removed.last == "…and more")
    }

    @Test func eachCallIsItsOwnFragment() {
        #expect(clean("<script>") == "")
        #expect(clean("after") == "after")
    }

    // MARK: - URL policy

    @Test func urlSchemesAreReadAsBrowsersReadThem() {
        for unsafe in ["javascript:alert(1)", "java\tscript:alert(1)", " JAVASCRIPT:alert(1)", "\u{1}javascript:x",
                       "javascript\n:x", "jav\rascript:x", "vbscript:x", "data:text/html,x", "file:///etc/passwd",
                       "JaVaScRiPt:x", "javascript:x \u{0}"] {
            #expect(!URLPolicy.isSafe(unsafe, for: .href), "\(unsafe.debugDescription)")
            #expect(!URLPolicy.isSafe(unsafe, for: .src), "\(unsafe.debugDescription)")
        }
        #expect(URLPolicy.scheme(of: "java\tscript:x") == "javascript")
        #expect(URLPolicy.verdict(for: " Data:x", in: .src) == .disallowedScheme("data"))
        #expect(URLPolicy.isSafe("mailto:a@example.com", for: .href))
        #expect(!URLPolicy.isSafe("mailto:a@example.com", for: .src))
        for safe in ["http://example.com", "HTTPS://example.com", " https://example.com "] {
            #expect(URLPolicy.isSafe(safe, for: .href))
            #expect(URLPolicy.isSafe(safe, for: .src))
        }
    }

    @Test func relativeURLsAreAllowed() {
        for relative in ["figure.png", "/notes/a.html", "../up.html", "?q=a:b", "#sec:intro", "//example.com/x",
                         "notes/a:b.html", "a b:c", "", "jav\u{430}script:x"] {
            #expect(URLPolicy.scheme(of: relative) == nil, "\(relative)")
            #expect(URLPolicy.isSafe(relative, for: .href))
            #expect(URLPolicy.isSafe(relative, for: .src))
        }
    }

    // MARK: - Tokenizer

    @Test func tokenizerReadsEveryAttributeForm() {
        let tokens = HTMLTokenizer.tokens(in: #"<IMG a="1" b='2' c=3 d e = "5"/>"#)
        let expected = HTMLTokenizer.Tag(name: "img", attributes: [
            .init(name: "a", rawValue: "1", quoting: .doubleQuoted),
            .init(name: "b", rawValue: "2", quoting: .singleQuoted),
            .init(name: "c", rawValue: "3", quoting: .unquoted),
            .init(name: "d", rawValue: "", quoting: .valueless),
            .init(name: "e", rawValue: "5", quoting: .doubleQuoted, hasSpaceBeforeEquals: true),
        ], isSelfClosing: true)
        #expect(tokens == [.startTag(expected)])
        #expect(HTMLTokenizer.tokens(in: "a</B x=y>b") == [.text("a"), .endTag(name: "b"), .text("b")])
        #expect(HTMLTokenizer.tokens(in: "<a title='>'>") == [.startTag(.init(
            name: "a", attributes: [.init(name: "title", rawValue: ">", quoting: .singleQuoted)], isSelfClosing: false))])
        #expect(HTMLTokenizer.tokens(in: "x < y <a") == [.text("x < y <a")])
    }

    @Test func attributeValuesAreDecodedAsBrowsersDecodeThem() {
        func decoded(_ raw: String) -> HTMLTokenizer.DecodedValue {
            HTMLTokenizer.Attribute(name: "title", rawValue: raw, quoting: .doubleQuoted).decodedValue()
        }
        #expect(decoded("&eacute &yuml; a&ampb &lt= &amp") == .value("é ÿ a&ampb &lt= &"))
        #expect(decoded("&#106;&#x61;&#X76;&#97va&#0;&#x110000;&#128;") == .value("jav\u{61}va\u{FFFD}\u{FFFD}€"))
        #expect(decoded("&Tab;&NewLine;&colon;&sol;&lpar;&rpar;&period;&comma;&apos;&nbsp;")
            == .value("\t\n:/().,'\u{A0}"))
        #expect(decoded("a&#;b&#xg;") == .value("a&#;b&#xg;"))
        #expect(decoded("x&notaname;") == .undecodable(reference: "&notaname;"))
    }

    @Test func aMegabyteOfUnterminatedTagsFinishes() {
        let megabyte = String(repeating: "<a ", count: (1 << 20) / 3)
        #expect(clean(megabyte) == String(repeating: "&lt;a ", count: (1 << 20) / 3))
    }

    @Test func hostileInputsFinish() {
        let size = 1 << 16
        let inputs = [
            String(repeating: "<a x=\">\" ", count: size / 9) + "y=\"",
            String(repeating: "<a b='", count: size / 6),
            String(repeating: "<!--", count: size / 4),
            String(repeating: "<!-- -- ", count: size / 8),
            String(repeating: "<![CDATA[", count: size / 9),
            String(repeating: "<?", count: size / 2),
            String(repeating: "<!x", count: size / 3),
            String(repeating: "&#", count: size / 2),
            String(repeating: "<a\u{0}\u{FFFD}", count: size / 6),
            "<a href=\"" + String(repeating: "&amp", count: size / 4),
        ]
        for input in inputs {
            // None of these holds complete markup, so all of it comes back as escaped text.
            #expect(!clean(input).contains("<"))
        }
    }

    // MARK: - KaTeX

    @Test func realKaTeXOutputIsAccepted() {
        for (tex, html) in KaTeXSamples.all {
            #expect(katex.accepts(html), "\(tex)")
            #expect(KaTeXOutputCheck.accepts(html), "the fast check refuses \(tex)")
            #expect(katex.sanitize(html).html == html, "\(tex)")
        }
    }

    @Test func tamperedKaTeXOutputIsRejected() {
        let html = KaTeXSamples.superscript
        let base = #"<span class="base">"#
        let tampered = [
            html.replacing(base, with: #"<span class="base" onerror="alert(1)">"#),
            html.replacing(base, with: base + "<img src=x>"),
            html.replacing(#"style="height:0.8141em;""#, with: #"style="background:url(https://evil.example/x)""#),
            html.replacing(#"style="height:0.8141em;""#, with: #"style="height:1em;background:u\72l(x)""#),
            html + "<script>alert(1)</script>",
            html.replacing(base, with: base + #"<a href="javascript:alert(1)">x</a>"#),
            html.replacing(base, with: base + #"<a href="jav&#x61;script:alert(1)">x</a>"#),
            html.replacing(base, with: base + "<!-- x -->"),
            html.replacing(base, with: base + #"<div class="verified">"#),
            html.replacing("</span></span></span></span></span></span></span></span></span></span>",
                           with: "</span></span></span></span></span></span></span></span></span>"),
            html.replacing("<mi>x</mi>", with: "<mi>x</mi><maction actiontype=\"statusline\">x</maction>"),
            KaTeXSamples.cancel.replacing("<line ", with: "<line onclick='alert(1)' "),
            KaTeXSamples.squareRoot.replacing("<path d=", with: "<animate attributeName=href/><path d="),
        ]
        for html in tampered {
            #expect(!katex.accepts(html), "\(html)")
            #expect(!KaTeXOutputCheck.accepts(html), "the fast check accepts \(html)")
        }
        let overlay = html.replacing(#"style="height:0.8141em;""#, with: #"style="position:fixed;top:0;left:0;width:100%;height:100%""#)
        #expect(!KaTeXOutputCheck.accepts(overlay))
    }

    @Test func katexStylesMayOnlyDeclare() {
        for safe in ["height:1.0833em;vertical-align:-0.25em;", "color:red", "color:#cc0000;", "margin-right:0.05em;",
                     "border-bottom-width:0.04em;", "text-shadow: 0.02em 0.01em 0.04px"] {
            #expect(SanitizerPolicy.isSafeStyle(safe), "\(safe)")
        }
        for unsafe in ["background:url(x)", "background:URL(x)", "width:expression(alert(1))", "background:u\\72l(x)",
                       "@import 'x'", "color:red;/* */", "font-family:\"x\"", "x:<", "background-image:image-set(x 1x)",
                       // A cached formula must not lift itself over the page.
                       "position:fixed;top:0;left:0;width:100%;height:100%", "position:absolute", "height:100vh",
                       "z-index:9", "display:block", "font-size:40em", "width:calc(100% + 1em)"] {
            #expect(!SanitizerPolicy.isSafeStyle(unsafe), "\(unsafe)")
        }
    }
}

/// Real KaTeX output, rendered with the options `katex-server.js` uses (`htmlAndMathml`,
/// `trust: false`, `strict: "ignore"`).
private enum KaTeXSamples {
    static let all: [(tex: String, html: String)] = [
        ("x^2", superscript), (#"\color{red}{x}"#, colour), (#"\text{it's}\ a"#, textWithQuoteAndSpace),
        (#"a \& b < c"#, entities), (#"\cancel{x}"#, cancel), (#"\begin{gather}a\end{gather}"#, gather),
        (#"\sqrt{x}"#, squareRoot),
    ]

    /// KaTeX 0.16.4, inline: `x^2`.
    static let superscript = [
        ##"<span class="katex"><span class="katex-mathml">"##,
        ##"<math xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mrow><msup><mi>x</mi><mn>2</mn>"##,
        ##"</msup></mrow><annotation encoding="application/x-tex">x^2</annotation></semantics></math>"##,
        ##"</span><span class="katex-html" aria-hidden="true"><span class="base">"##,
        ##"<span class="strut" style="height:0.8141em;"></span><span class="mord">"##,
        ##"<span class="mord mathnormal">x</span><span class="msupsub"><span class="vlist-t">"##,
        ##"<span class="vlist-r"><span class="vlist" style="height:0.8141em;">"##,
        ##"<span style="top:-3.063em;margin-right:0.05em;"><span class="pstrut" style="height:2.7em;">"##,
        ##"</span><span class="sizing reset-size6 size3 mtight"><span class="mord mtight">2</span>"##,
        ##"</span></span></span></span></span></span></span></span></span></span>"##,
    ].joined()

    /// KaTeX 0.16.4, inline: `\color{red}{x}`.
    static let colour = [
        ##"<span class="katex"><span class="katex-mathml">"##,
        ##"<math xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mrow><mstyle mathcolor="red">"##,
        ##"<mi>x</mi></mstyle></mrow><annotation encoding="application/x-tex">"##,
        ##"\color{red}{x}</annotation></semantics></math></span>"##,
        ##"<span class="katex-html" aria-hidden="true"><span class="base">"##,
        ##"<span class="strut" style="height:0.4306em;"></span><span class="mord" style="color:red;">"##,
        ##"<span class="mord mathnormal" style="color:red;">x</span></span></span></span></span>"##,
    ].joined()

    /// KaTeX 0.16.4, inline: `\text{it's}\ a`.
    static let textWithQuoteAndSpace = [
        ##"<span class="katex"><span class="katex-mathml">"##,
        ##"<math xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mrow><mtext>"##,
        ##"it\##u{2019}s\##u{A0}</mtext><mi>a</mi></mrow><annotation encoding="application/x-tex">"##,
        ##"\text{it&#x27;s}\ a</annotation></semantics></math></span>"##,
        ##"<span class="katex-html" aria-hidden="true"><span class="base">"##,
        ##"<span class="strut" style="height:0.6944em;"></span><span class="mord text">"##,
        ##"<span class="mord">it\##u{2019}s</span></span><span class="mspace">\##u{A0}</span>"##,
        ##"<span class="mord mathnormal">a</span></span></span></span>"##,
    ].joined()

    /// KaTeX 0.16.4, inline: `a \& b < c`.
    static let entities = [
        ##"<span class="katex"><span class="katex-mathml">"##,
        ##"<math xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mrow><mi>a</mi>"##,
        ##"<mi mathvariant="normal">&amp;</mi><mi>b</mi><mo>&lt;</mo><mi>c</mi></mrow>"##,
        ##"<annotation encoding="application/x-tex">a \&amp; b &lt; c</annotation></semantics></math>"##,
        ##"</span><span class="katex-html" aria-hidden="true"><span class="base">"##,
        ##"<span class="strut" style="height:0.7335em;vertical-align:-0.0391em;"></span>"##,
        ##"<span class="mord mathnormal">a</span><span class="mord">&amp;</span>"##,
        ##"<span class="mord mathnormal">b</span><span class="mspace" style="margin-right:0.2778em;">"##,
        ##"</span><span class="mrel">&lt;</span><span class="mspace" style="margin-right:0.2778em;">"##,
        ##"</span></span><span class="base"><span class="strut" style="height:0.4306em;"></span>"##,
        ##"<span class="mord mathnormal">c</span></span></span></span>"##,
    ].joined()

    /// KaTeX 0.16.4, inline: `\cancel{x}`.
    static let cancel = [
        ##"<span class="katex"><span class="katex-mathml">"##,
        ##"<math xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mrow>"##,
        ##"<menclose notation="updiagonalstrike"><mi>x</mi></menclose></mrow>"##,
        ##"<annotation encoding="application/x-tex">\cancel{x}</annotation></semantics></math></span>"##,
        ##"<span class="katex-html" aria-hidden="true"><span class="base">"##,
        ##"<span class="strut" style="height:0.4306em;"></span><span class="mord">"##,
        ##"<span class="vlist-t vlist-t2"><span class="vlist-r">"##,
        ##"<span class="vlist" style="height:0.6306em;"><span style="top:-3em;">"##,
        ##"<span class="pstrut" style="height:3em;"></span><span class="mord">"##,
        ##"<span class="mord mathnormal">x</span></span></span>"##,
        ##"<span class="svg-align" style="top:-2.8em;"><span class="pstrut" style="height:3em;"></span>"##,
        ##"<span style="height:0.8306em;">"##,
        ##"<svg xmlns="http://www.w3.org/2000/svg" width='100%' height='0.8306em'>"##,
        ##"<line x1='0' y1='100%' x2='100%' y2='0' stroke-width='0.046em'/></svg></span></span></span>"##,
        ##"<span class="vlist-s">\##u{200B}</span></span><span class="vlist-r">"##,
        ##"<span class="vlist" style="height:0.2em;"><span></span></span></span></span></span></span>"##,
        ##"</span></span>"##,
    ].joined()

    /// KaTeX 0.16.4, display: `\begin{gather}a\end{gather}`.
    static let gather = [
        ##"<span class="katex-display"><span class="katex"><span class="katex-mathml">"##,
        ##"<math xmlns="http://www.w3.org/1998/Math/MathML" display="block"><semantics>"##,
        ##"<mtable rowspacing="0.25em" columnalign="center" columnspacing="0em"><mtr>"##,
        ##"<mtd class ="mtr-glue"></mtd><mtd><mstyle scriptlevel="0" displaystyle="true"><mi>a</mi>"##,
        ##"</mstyle></mtd><mtd class ="mtr-glue"></mtd><mtd class ="mml-eqn-num"></mtd></mtr></mtable>"##,
        ##"<annotation encoding="application/x-tex">\begin{gather}a\end{gather}</annotation>"##,
        ##"</semantics></math></span><span class="katex-html" aria-hidden="true"><span class="base">"##,
        ##"<span class="strut" style="height:1.5em;vertical-align:-0.5em;"></span><span class="mtable">"##,
        ##"<span class="col-align-c"><span class="vlist-t vlist-t2"><span class="vlist-r">"##,
        ##"<span class="vlist" style="height:1em;"><span style="top:-3.16em;">"##,
        ##"<span class="pstrut" style="height:3em;"></span><span class="mord">"##,
        ##"<span class="mord mathnormal">a</span></span></span></span><span class="vlist-s">"##,
        ##"\##u{200B}</span></span><span class="vlist-r"><span class="vlist" style="height:0.5em;">"##,
        ##"<span></span></span></span></span></span></span></span><span class="tag">"##,
        ##"<span class="vlist-t vlist-t2"><span class="vlist-r">"##,
        ##"<span class="vlist" style="height:1em;"><span style="top:-3em;">"##,
        ##"<span class="pstrut" style="height:2.84em;"></span><span class="eqn-num"></span></span>"##,
        ##"</span><span class="vlist-s">\##u{200B}</span></span><span class="vlist-r">"##,
        ##"<span class="vlist" style="height:0.5em;"><span></span></span></span></span></span></span>"##,
        ##"</span></span>"##,
    ].joined()

    /// KaTeX 0.16.4, inline: `\sqrt{x}`.
    static let squareRoot = [
        ##"<span class="katex"><span class="katex-mathml">"##,
        ##"<math xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mrow><msqrt><mi>x</mi></msqrt>"##,
        ##"</mrow><annotation encoding="application/x-tex">\sqrt{x}</annotation></semantics></math>"##,
        ##"</span><span class="katex-html" aria-hidden="true"><span class="base">"##,
        ##"<span class="strut" style="height:1.04em;vertical-align:-0.2397em;"></span>"##,
        ##"<span class="mord sqrt"><span class="vlist-t vlist-t2"><span class="vlist-r">"##,
        ##"<span class="vlist" style="height:0.8003em;"><span class="svg-align" style="top:-3em;">"##,
        ##"<span class="pstrut" style="height:3em;"></span>"##,
        ##"<span class="mord" style="padding-left:0.833em;"><span class="mord mathnormal">x</span>"##,
        ##"</span></span><span style="top:-2.7603em;"><span class="pstrut" style="height:3em;"></span>"##,
        ##"<span class="hide-tail" style="min-width:0.853em;height:1.08em;">"##,
        ##"<svg xmlns="http://www.w3.org/2000/svg" width='400em' height='1.08em' viewBox='0 0 400000 10"##,
        ##"80' preserveAspectRatio='xMinYMin slice'>"##,
        ##"<path d='M95,702\##nc-2.7,0,-7.17,-2.7,-13.5,-8c-5.8,-5.3,-9.5,-10,-9.5,-14\##nc0,-2,0.3,-3."##,
        ##"3,1,-4c1.3,-2.7,23.83,-20.7,67.5,-54\##nc44.2,-33.3,65.8,-50.3,66.5,-51c1.3,-1.3,3,-2,5,-2c4"##,
        ##".7,0,8.7,3.3,12,10\##ns173,378,173,378c0.7,0,35.3,-71,104,-213c68.7,-142,137.5,-285,206.5,-4"##,
        ##"29\##nc69,-144,104.5,-217.7,106.5,-221\##nl0 -0\##nc5.3,-9.3,12,-14,20,-14\##nH400000v40H845"##,
        ##".2724\##ns-225.272,467,-225.272,467s-235,486,-235,486c-2.7,4.7,-9,7,-19,7\##nc-6,0,-10,-1,-1"##,
        ##"2,-3s-194,-422,-194,-422s-65,47,-65,47z\##nM834 80h400000v40h-400000z'/></svg></span></span>"##,
        ##"</span><span class="vlist-s">\##u{200B}</span></span><span class="vlist-r">"##,
        ##"<span class="vlist" style="height:0.2397em;"><span></span></span></span></span></span>"##,
        ##"</span></span></span>"##,
    ].joined()
}
