import Testing
@testable import NotesKit

/// Front matter: YAML keys, errors with file:line, warnings for unknown keys.
@Suite struct FrontMatterTests {
    private func load(_ text: String) throws(DiagnosticsError) -> (Note, [Diagnostic]) {
        var warnings: [Diagnostic] = []
        let note = try NoteLoader.parse(text, file: "notes/x.md", slug: "x", warnings: &warnings)
        return (note, warnings)
    }

    private func errors(_ text: String) -> [Diagnostic] {
        do {
            _ = try load(text)
            return []
        } catch {
            return error.diagnostics
        }
    }

    @Test func readsEveryKnownKey() throws {
        let (note, warnings) = try load("---\ntitle: Backprop\nid: AI-NN-01\ncategory: Neural Networks\nsummary: \"Why: it works\"\norder: 2\n---\n# Body\n")
        #expect(note.frontMatter == FrontMatter(title: "Backprop", id: "AI-NN-01", category: "Neural Networks",
                                                summary: "Why: it works", order: 2))
        #expect(warnings.isEmpty)
        #expect(note.document.children.first?.range?.start.line == 8)
    }

    @Test func missingTitleIsAnErrorWithFileAndLine() {
        #expect(errors("---\nid: A\n---\nBody\n").map(\.description) == ["notes/x.md:1: error: front matter has no 'title'"])
        #expect(errors("No front matter at all\n").first?.description.hasPrefix("notes/x.md:1: error: missing front matter") == true)
    }

    @Test func unknownKeysAreWarningsAtTheirLine() throws {
        let (_, warnings) = try load("---\ntitle: T\nauthor: me\n---\n")
        #expect(warnings.count == 1)
        #expect(warnings.first?.severity == .warning)
        #expect(warnings.first?.line == 3)
        #expect(warnings.first?.message.contains("unknown front matter key 'author'") == true)
    }

    @Test func malformedYAMLNamesTheLine() {
        let found = errors("---\ntitle: T\norder: [1, 2\n---\n")
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("malformed front matter") == true)
        #expect((found.first?.line ?? 0) >= 3)
    }

    @Test func wrongTypesAreErrors() {
        #expect(errors("---\ntitle: T\norder: first\n---\n").map(\.description)
                == ["notes/x.md:3: error: front matter 'order' must be a whole number"])
        #expect(errors("---\ntitle: [a, b]\n---\n").first?.line == 2)
    }

    @Test func unclosedFrontMatterIsAnError() {
        #expect(errors("---\ntitle: T\n\nBody\n").map(\.description)
                == ["notes/x.md:1: error: front matter opened with '---' is never closed with '---'"])
    }

    @Test func windowsLineEndingsAreAccepted() throws {
        let (note, _) = try load("---\r\ntitle: T\r\n---\r\nText $a_1$\r\n")
        #expect(note.frontMatter.title == "T")
        #expect(note.equations.isEmpty)
    }
}

/// The byte-level front-matter split gives what splitting the text into lines gave.
@Suite struct FrontMatterSplitTests {
    /// The earlier implementation: every line split, the front matter's lines blanked, joined again.
    static func reference(_ text: String) -> FrontMatter.Split? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.trimmingTrailingWhitespace() == "---" else {
            return FrontMatter.Split(yaml: nil, yamlFirstLine: 1, body: text)
        }
        guard let close = lines.indices.dropFirst().first(where: {
            let line = lines[$0].trimmingTrailingWhitespace()
            return line == "---" || line == "..."
        }) else { return nil }
        let yaml = lines[1..<close].joined(separator: "\n")
        for index in 0...close { lines[index] = "" }
        return FrontMatter.Split(yaml: yaml, yamlFirstLine: 1, body: lines.joined(separator: "\n"))
    }

    @Test(arguments: ["---\ntitle: A\n---\n\nBody é\n", "---\n---\nbody", "---\ntitle: A\n...", "---\ntitle: A\n---",
                      "no front matter\n---\n", "---  \ntitle: A\nx: 1\n---   \n\n# H\n", "---\ntitle: never closed\n", "---", "",
                      "---\n\n\n---\n\n"])
    func matchesSplittingIntoLines(text: String) {
        let split = try? FrontMatter.split(text)
        let reference = Self.reference(text)
        #expect(split?.yaml == reference?.yaml)
        #expect(split?.body == reference?.body)
        #expect((split == nil) == (reference == nil))
    }
}
