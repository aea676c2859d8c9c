import Foundation
import Testing
@testable import NotesKit

/// The math scanner: code spans and autolinks bind tighter than `$`, math knows its exact line,
/// and scanning a paragraph takes time linear in its length, whatever its dollars and backticks.
@Suite struct MathScanningTests {
    private func nodes(_ markdown: String) throws -> [MarkdownNode] {
        var all: [MarkdownNode] = []
        try MarkdownParser.parse(markdown).walk { all.append($0) }
        return all
    }

    private func math(_ markdown: String) throws -> [MarkdownNode.Math] {
        try nodes(markdown).compactMap { if case .math(let m) = $0.kind { return m } else { return nil } }
    }

    private func code(_ markdown: String) throws -> [String] {
        try nodes(markdown).compactMap { if case .code(let c) = $0.kind { return c } else { return nil } }
    }

    /// Each math span's TeX and the line reported for it.
    private func mathLines(_ markdown: String) throws -> [String: Int] {
        var lines: [String: Int] = [:]
        for node in try nodes(markdown) {
            if case .math(let m) = node.kind { lines[m.tex.trimmingCharacters(in: .whitespacesAndNewlines)] = node.range?.start.line }
        }
        return lines
    }

    // MARK: - Code spans and autolinks bind tighter

    @Test func dollarInsideACodeSpanDoesNotCloseMath() throws {
        let text = "it costs $5 and $6 today. Code: `let s = \"$x$\"`"
        #expect(try math(text).isEmpty)
        #expect(try code(text) == ["let s = \"$x$\""])
        #expect(try MarkdownParser.parse(text).plainText == "it costs $5 and $6 today. Code: let s = \"$x$\"\n")
    }

    @Test func mathBeforeACodeSpan() throws {
        let text = "Add $a + b$ then run `echo $c$` and $d$."
        #expect(try math(text).map(\.tex) == ["a + b", "d"])
        #expect(try code(text) == ["echo $c$"])
    }

    @Test func mathAfterACodeSpan() throws {
        let text = "The `$HOME` variable, then $y_1$."
        #expect(try math(text).map(\.tex) == ["y_1"])
        #expect(try code(text) == ["$HOME"])
    }

    @Test func codeSpanAcrossLinesAndLongerRuns() throws {
        #expect(try math("Cost $5 ``a ` $b$\nc`` in all.").isEmpty)
        #expect(try code("Cost $5 ``a ` $b$\nc`` in all.") == ["a ` $b$ c"])
    }

    @Test func unmatchedBacktickRunIsLiteralInsideMath() throws {
        #expect(try math("$a ` b$ and ``c").map(\.tex) == ["a ` b"])
        #expect(try math("$a \\` b$").map(\.tex) == ["a \\` b"])
    }

    @Test func displayMathDoesNotCloseInsideACodeSpan() throws {
        #expect(try math("$$x `$$` y$$").map(\.tex) == ["x `$$` y"])
    }

    @Test func dollarInsideAnAutolinkDoesNotCloseMath() throws {
        let text = "Costs $5, see <https://example.com/?q=$x$> or <a$b@example.com>."
        #expect(try math(text).isEmpty)
        let links = try nodes(text).compactMap { if case .link(let d, _) = $0.kind { return d } else { return nil } }
        #expect(links == ["https://example.com/?q=$x$", "mailto:a$b@example.com"])
    }

    @Test func notAnAutolinkStaysInsideMath() throws {
        #expect(try math("Since $a<b$ and $c <x:y d$.").map(\.tex) == ["a<b", "c <x:y d"])
    }

    // MARK: - Lines

    @Test func mathKnowsItsExactLineWhateverComesBefore() throws {
        let markdown = """
            Intro $a$ on one
            $$
            x
            $$ then `code
            span` and $b$
            [a link
            across](http://x.com
            "title") $c$ line\\
            hard $d$ *emph
            $e$* <span
            title="t"> $f$ and  
            two-space $g$

            - item $h$
              more $i$ `x
              y` $j$

            > quote $k$
            > $l$

            | h | $m$ |
            |---|---|
            | $n$ | `o` $p$ |

            # Heading $q$

            Setext $r$
            and $s$
            ===
            """
        #expect(try mathLines(markdown) == [
            "a": 1, "x": 2, "b": 5, "c": 8, "d": 9, "e": 10, "f": 11, "g": 12,
            "h": 14, "i": 15, "j": 16, "k": 18, "l": 19, "m": 21, "n": 23, "p": 23,
            "q": 25, "r": 27, "s": 28,
        ])
    }

    @Test func mathInsideEmphasisOrALinkOnALaterLine() throws {
        #expect(try mathLines("one\ntwo *three\n$x$* and [four\n$y$](u)\n") == ["x": 3, "y": 4])
    }

    @Test func unterminatedDisplayMathAfterMultiLineSpansIsReportedAtItsLine() throws {
        let error = #expect(throws: MarkdownError.self) {
            try MarkdownParser.parse("$$\na\nb\n$$ and $c\nd$\nthen $$ e\n")
        }
        #expect(error?.line == 6)
    }

    @Test func linesStayRightFromOneParseToTheNext() throws {
        // Blocks and inline parsers are reused memory; nothing may carry over between them.
        for count in [3, 1, 5, 2] {
            let markdown = (0..<count).map { "line \($0) $v_\($0)$" }.joined(separator: "\n") + "\n\nnext $w$\n"
            var expected = Dictionary(uniqueKeysWithValues: (0..<count).map { ("v_\($0)", $0 + 1) })
            expected["w"] = count + 2
            #expect(try mathLines(markdown) == expected)
        }
    }
}

extension MathScanningTests {
    /// Parse time against paragraph length. One at a time: parses share a lock, so timings taken
    /// side by side would measure each other.
    @Suite(.serialized) struct Scaling {
        /// The best of three parse times of `markdown`, in seconds.
        private func parseTime(_ markdown: String) throws -> Double {
            var best = Double.infinity
            for _ in 0..<3 {
                let start = ContinuousClock.now
                _ = try MarkdownParser.parse(markdown)
                let elapsed = ContinuousClock.now - start
                best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            }
            return best
        }

        /// t(4n) / t(n) for the document `make(n)`, with n doubled from `first` until t(n) is at
        /// least 50 ms, so noise stays small next to the time measured. Linear work gives about 4,
        /// quadratic work 16.
        private func growthRatio(from first: Int, _ make: (Int) -> String) throws -> Double {
            var n = first
            var small = try parseTime(make(n))
            while small < 0.05 && n < first << 12 {
                n *= 2
                small = try parseTime(make(n))
            }
            return try parseTime(make(4 * n)) / small
        }

        @Test func manyMathLinesInOneParagraphScaleLinearly() throws {
            let ratio = try growthRatio(from: 500) { String(repeating: "$x$\n", count: $0) }
            #expect(ratio < 8)
        }

        @Test func manyUnclosedDollarsInOneLineScaleLinearly() throws {
            let ratio = try growthRatio(from: 500) { String(repeating: "$a ", count: $0) + "\n" }
            #expect(ratio < 8)
        }

        @Test func manyBacktickRunsAmongDollarsScaleLinearly() throws {
            let ratio = try growthRatio(from: 500) { "``` " + String(repeating: "$a `b` c`` ", count: $0) + "\n" }
            #expect(ratio < 8)
        }

        @Test func dollarsInsideASpanCmarkDoesNotSeeScaleLinearly() throws {
            // cmark-gfm's backtick memo goes stale here and takes the last single backtick for literal
            // text, so it asks about every `$` inside what CommonMark pairs as one long code span.
            let ratio = try growthRatio(from: 500) { "``` `` a ` b `` ` " + String(repeating: "$a ", count: $0) + "`\n" }
            #expect(ratio < 8)
        }
    }
}
