import Foundation
import Testing
@testable import NotesKit

/// The Markdown layer: source positions, math protection and the node kinds we rely on.
@Suite struct MarkdownParserTests {
    private func nodes(_ markdown: String) throws -> [MarkdownNode] {
        var all: [MarkdownNode] = []
        try MarkdownParser.parse(markdown).walk { all.append($0) }
        return all
    }

    private func math(_ markdown: String) throws -> [MarkdownNode.Math] {
        try nodes(markdown).compactMap { if case .math(let m) = $0.kind { return m } else { return nil } }
    }

    private func html(_ markdown: String) throws -> String {
        HTMLRenderer.render(try MarkdownParser.parse(markdown)).html
    }

    // MARK: - Source lines

    @Test func blocksCarryTheirLinesWithNonASCIIText() throws {
        let doc = try MarkdownParser.parse("# Über δ\n\nΣ ünïcode — “quoted” 🧠\nsecond line\n\n```swift\nlet σ = 1\n```\n\n- item ✓\n")
        let lines = doc.children.map { $0.range?.start.line }
        #expect(lines == [1, 3, 6, 10])
        #expect(doc.children[1].range?.end.line == 4)
        #expect(doc.children[0].range?.start.column == 1)
    }

    @Test func mathKnowsItsOwnLineInsideAParagraph() throws {
        let all = try nodes("Intro line α\nsecond $x_1$ here\n\n$$\na = b\n$$ {#eq-one}\n\ntext\nmore\n$$c$$\n")
        let lines = all.compactMap { node -> Int? in
            if case .math = node.kind { return node.range?.start.line } else { return nil }
        }
        #expect(lines == [2, 4, 10])
    }

    // MARK: - Math protection

    @Test func inlineMathKeepsUnderscoresStarsAndBackslashes() throws {
        #expect(try math("A $a_1 * b_2 = c_{*}$ and $\\{x\\} \\\\ y$.") == [
            .init(tex: "a_1 * b_2 = c_{*}", display: false),
            .init(tex: "\\{x\\} \\\\ y", display: false),
        ])
    }

    @Test func lessThanInMathIsNotHTML() throws {
        #expect(try math("Since $a<b$ and $c <div> d$.").map(\.tex) == ["a<b", "c <div> d"])
    }

    @Test func displayMathSpansLinesVerbatim() throws {
        let tex = "\n\\begin{aligned}\n  z^l_j &= \\sum_k w^l_{jk} a^{l-1}_k + b^l_j \\\\\n  a_*^l &= \\sigma(z^l)\n\\end{aligned}\n"
        let found = try math("$$" + tex + "$$\n")
        #expect(found.count == 1)
        #expect(found.first?.display == true)
        // Continuation lines reach us as cmark leaves paragraph content: leading indentation stripped.
        #expect(found.first?.tex == tex.replacingOccurrences(of: "\n  ", with: "\n"))
    }

    @Test func dollarsInProseStayDollars() throws {
        #expect(try math("It costs $5 and $6 today.").isEmpty)
        #expect(try html("It costs $5 and $6 today.") == "<p>It costs $5 and $6 today.</p>\n")
        #expect(try math("An escaped \\$x\\$ and a lone $ sign.").isEmpty)
        #expect(try html("An escaped \\$x$ stays.") == "<p>An escaped $x$ stays.</p>\n")
    }

    @Test func closingDollarFollowedByDigitIsNotMath() throws {
        #expect(try math("from $x$2 on").isEmpty)
    }

    @Test func dollarsInCodeStayDollars() throws {
        #expect(try math("Use `$x_1$` here.\n\n```sh\necho $HOME $$\n```\n\n    $a_b$\n").isEmpty)
        #expect(try html("`$x_1$`") == "<p><code>$x_1$</code></p>\n")
    }

    @Test func escapedDollarInsideMath() throws {
        #expect(try math("$\\$5 = x$").map(\.tex) == ["\\$5 = x"])
    }

    @Test func mathInsideEmphasisAndLinks() throws {
        #expect(try html("*a $b*c$ d*") == "<p><em>a $b*c$ d</em></p>\n")
        #expect(try math("[see $x_i$](https://example.com)").map(\.tex) == ["x_i"])
    }

    @Test func mathFenceIsDisplayMathWithOptionalLabel() throws {
        let found = try math("```math {#eq-fence}\na_{ij} * b\n```\n")
        #expect(found == [.init(tex: "a_{ij} * b", display: true, label: "eq-fence")])
    }

    @Test func displayLabelFollowsClosingDollars() throws {
        #expect(try math("$$x$$ {#eq-bp1}").first?.label == "eq-bp1")
        #expect(try math("$$x$${#eq-a_b-2}").first?.label == "eq-a_b-2")
        #expect(try math("$$x$$ {not a label}").first?.label == nil)
    }

    @Test func unterminatedDisplayMathIsAnErrorAtItsLine() throws {
        let error = #expect(throws: MarkdownError.self) {
            try MarkdownParser.parse("Intro.\n\n$$\nz = w a\n+ b\n$$\n")
        }
        #expect(error?.line == 3)
        #expect(error?.message.contains("never closed") == true)
    }

    @Test func mathInTableCells() throws {
        #expect(try math("| a | b |\n|---|---|\n| $x_1$ | $\\vert y \\vert$ |\n").map(\.tex) == ["x_1", "\\vert y \\vert"])
    }

    // MARK: - Other node kinds

    @Test func codeBlocksKeepTheirInfoString() throws {
        let doc = try MarkdownParser.parse("```swift test=eq-bp1 id=check\nlet x = 1\n```\n")
        #expect(doc.children.first?.kind == .codeBlock(info: "swift test=eq-bp1 id=check", literal: "let x = 1\n", fenced: true))
    }

    @Test func adjacentTextRunsAreMerged() throws {
        let doc = try MarkdownParser.parse("see @eq-foo_bar and [!NOTE] here")
        #expect(doc.children.first?.children.map(\.kind) == [.text("see @eq-foo_bar and [!NOTE] here")])
    }
}

/// cmark-gfm's inline special characters are process-wide state, changed while a parse finishes
/// and while the table extension reads a row: parses on many threads at once must still see `$`
/// as math, in paragraphs and in table cells.
@Suite struct ConcurrentParsingTests {
    @Test func mathIsFoundWhileOtherThreadsParse() {
        let paragraph = "Some $a_1$ and $$b^2$$ {#eq-x} text ~~struck~~ www.example.com.\n\n"
        let table = "| $x$ | b |\n|---|---|\n| $y_2$ | ~~d~~ |\n\n"
        let text = String(repeating: paragraph + table, count: 50)
        let failures = ConcurrentFailureCount()
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            guard let document = try? MarkdownParser.parse(text) else { failures.add(); return }
            var math = 0
            document.walk { if case .math = $0.kind { math += 1 } }
            if math != 200 { failures.add() }
        }
        #expect(failures.value == 0)
    }
}

/// A counter the concurrent test's iterations share.
final class ConcurrentFailureCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
