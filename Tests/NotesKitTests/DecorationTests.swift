import Testing
@testable import NotesKit

/// What the site adds on top of cmark's HTML: callouts, heading anchors, equations.
@Suite struct DecorationTests {
    private func render(_ markdown: String) throws -> HTMLRenderer.Output {
        let decorations = HTMLRenderer.Decorations(
            math: { "[\($0.tex)]" }, equationReference: { _ in nil }, highlight: { code, _ in HTML.escape(code) })
        return HTMLRenderer.render(try MarkdownParser.parse(markdown), decorations: decorations)
    }

    @Test func noteCallout() throws {
        #expect(try render("> [!NOTE]\n> Read *this*.\n").html
                == "<div class=\"callout callout-note\" role=\"note\">\n<p class=\"callout-title\">Note</p>\n<p>Read <em>this</em>.</p>\n</div>\n")
    }

    @Test func everyCalloutKind() throws {
        for kind in ["TIP", "IMPORTANT", "WARNING", "CAUTION"] {
            #expect(try render("> [!\(kind)]\n> x\n").html.contains("callout-\(kind.lowercased())"))
        }
    }

    @Test func ordinaryQuotesStayQuotes() throws {
        #expect(try render("> [!NOTE] with text on the line\n").html.hasPrefix("<blockquote>"))
        #expect(try render("> [!UNKNOWN]\n> x\n").html.hasPrefix("<blockquote>"))
        #expect(try render("> plain\n").html == "<blockquote>\n<p>plain</p>\n</blockquote>\n")
    }

    @Test func headingsGetUniqueSlugAnchors() throws {
        let output = try render("## 1. Network Architecture\n\n## Über *δ*\n\n## Über δ\n")
        #expect(output.headings.map(\.anchor) == ["1-network-architecture", "über-δ", "über-δ-1"])
        #expect(output.html.hasPrefix("<h2 id=\"1-network-architecture\">1. Network Architecture <a class=\"heading-anchor\" href=\"#1-network-architecture\""))
        #expect(output.headings[1].html == "Über <em>δ</em>")
    }

    @Test func displayMathAloneIsAnEquationBlock() throws {
        #expect(try render("$$x_1$$ {#eq-a}\n").html == "<div class=\"equation\" id=\"eq-a\">[x_1]</div>\n")
        #expect(try render("so $$y$$ inline\n").html == "<p>so <span class=\"math display\">[y]</span> inline</p>\n")
        #expect(try render("and $z$.\n").html == "<p>and <span class=\"math inline\">[z]</span>.</p>\n")
    }

    @Test func codeBlocksAreHighlightedAndEscaped() throws {
        #expect(try render("```swift\nlet a = \"<b>\"\n```\n").html
                == "<pre class=\"code\"><code class=\"language-swift\">let a = &quot;&lt;b&gt;&quot;\n</code></pre>\n")
    }
}
