import Foundation
import Testing
@testable import NotesKit

/// Every example of the GFM spec files, parsed and rendered by our pipeline, equals cmark-gfm's HTML.
@Suite struct ConformanceTests {
    /// One example of a spec file: Markdown in, expected HTML out.
    struct Example: CustomTestStringConvertible, Sendable {
        var file: String
        var number: Int
        var line: Int
        var markdown: String
        var html: String
        /// The GFM extensions the example is specified with (`example table`, …); nil means all.
        var extensions: Set<String>?
        /// Marked `example disabled` in the spec file: cmark-gfm's own runner skips it too.
        var disabled: Bool { extensions?.contains("disabled") == true }
        var testDescription: String { "\(file) example \(number) (line \(line))" }
    }

    /// Examples whose Markdown contains math syntax on purpose, so our math extension changes them.
    static let mathExamples: [String: [Int: String]] = [:]

    static func examples(_ file: String) -> [Example] {
        guard let url = Bundle.module.url(forResource: "Fixtures/conformance/\(file)", withExtension: nil),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        let fence = String(repeating: "`", count: 32)
        var examples: [Example] = []
        var state = 0 // 0 outside, 1 markdown, 2 html
        var markdown = "", html = "", start = 0
        var extensions: Set<String>? = nil
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            if state == 0, line.hasPrefix(fence + " example") {
                state = 1; markdown = ""; html = ""; start = index + 1
                // extensions.txt is run with every extension, the other files with those they name.
                let words = line.dropFirst(fence.count + " example".count).split(separator: " ").map(String.init)
                extensions = file == "extensions.txt" ? nil : Set(words)
            } else if state == 1, line == "." {
                state = 2
            } else if state == 2, line == fence {
                state = 0
                examples.append(Example(file: file, number: examples.count + 1, line: start,
                                        markdown: markdown.replacingOccurrences(of: "→", with: "\t"),
                                        html: html.replacingOccurrences(of: "→", with: "\t"), extensions: extensions))
            } else if state == 1 {
                markdown += line + "\n"
            } else if state == 2 {
                html += line + "\n"
            }
        }
        return examples
    }

    static let spec = examples("spec.txt")
    static let extensions = examples("extensions.txt")
    static let regression = examples("regression.txt")

    @Test func examplesAreLoaded() {
        #expect(Self.spec.count == 673)
        #expect(Self.extensions.count == 28)
        #expect(Self.regression.count == 19)
    }

    @Test(arguments: spec + extensions + regression)
    func example(_ example: Example) throws {
        guard !example.disabled else { return }
        let extensions = example.extensions ?? Set(MarkdownParser.gfmExtensions)
        let document = try MarkdownParser.parse(example.markdown, extensions: extensions)
        let html = HTMLRenderer.render(document, rawHTML: extensions.contains("tagfilter") ? .trusted : .verbatim).html
        if example.html == "<IGNORE>\n" { return } // the example only asks that parsing survives
        if let reason = Self.mathExamples[example.file]?[example.number] {
            #expect(html != example.html, "listed as changed by math (\(reason)) but renders as cmark does")
            return
        }
        #expect(html == example.html, "\(example.testDescription)\n--- markdown\n\(example.markdown)")
    }
}
