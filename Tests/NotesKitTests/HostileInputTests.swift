import Foundation
import Testing
@testable import NotesKit

/// Promises kept under hostile input (issue 10): names that would put script in a link or
/// overwrite a generated page, tests that cannot run, control characters, paths that overlap.
@Suite struct HostileInputTests {
    @Test func noteNamesThatAreNotSafeAddressesAreErrors() {
        for name in ["javascript:document.body.id='PWNED',{}.md", "#x.md", "?x.md", "a b.md", "50%.md", "tab\t.md"] {
            guard case .invalid(let reason) = NoteFileName(name) else {
                Issue.record("\(name) was accepted")
                continue
            }
            #expect(reason.contains("may hold only letters, digits, '-', '_' and '.'"))
        }
        #expect(NoteFileName("über-2.1_a.md") == .note(slug: "über-2.1_a"))
        #expect(NoteFileName("backprop.md") == .note(slug: "backprop"))
        #expect(NoteFileName("README") == .other)
        #expect(NoteFileName("notes.txt") == .other)
    }

    @Test func notesNamedLikeGeneratedPagesAreErrors() {
        for name in ["index.md", "404.md", "verification.md", "Index.md"] {
            guard case .invalid(let reason) = NoteFileName(name) else {
                Issue.record("\(name) was accepted")
                continue
            }
            #expect(reason.contains("would be overwritten by the site's own"))
        }
    }

    @Test func hiddenAndUpperCaseNotesAreWarnedAbout() {
        guard case .skipped(let hidden) = NoteFileName("..md"), case .skipped(let upper) = NoteFileName("Upper.MD") else {
            Issue.record("not warned about")
            return
        }
        #expect(hidden.contains("starts with '.'"))
        #expect(upper.contains("in lower case"))
    }

    @Test func theLoaderReportsEveryUnusableFileAndKeepsItsWarnings() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notes-hostile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("folder.md"), withIntermediateDirectories: true)
        for name in ["good.md", "index.md", "Upper.MD"] {
            try "---\ntitle: T\n---\n\nText.\n".write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let loader = NoteLoader(folder: folder, paths: PathDisplay(workingDirectory: folder), log: { _ in })
        let error = #expect(throws: DiagnosticsError.self) { try loader.load() }
        #expect(error?.diagnostics.map(\.description) == [
            "Upper.MD: warning: not read as a note: note files end in '.md' in lower case",
            "folder.md: error: not a regular file: a note must be a plain Markdown file",
            "index.md: error: a note named 'index.md' would be overwritten by the site's own index.html page: rename the note",
        ])
        try FileManager.default.removeItem(at: folder.appendingPathComponent("folder.md"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("index.md"))
        let loaded = try loader.load()
        #expect(loaded.notes.map(\.slug) == ["good"])
        #expect(loaded.warnings.map(\.file) == ["Upper.MD"])
    }

    @Test func aTestBlockThatCannotRunIsAnErrorAtItsLine() throws {
        let error = #expect(throws: DiagnosticsError.self) {
            var warnings: [Diagnostic] = []
            _ = try NoteLoader.parse("---\ntitle: T\n---\n\n$$x$$ {#eq-x}\n\n```swift test=eq-x no-run\nexpect(true)\n```\n",
                                     file: "notes/t.md", slug: "t", warnings: &warnings)
        }
        #expect(error?.diagnostics.map(\.description)
                == ["notes/t.md:7: error: a test block must run to verify anything: remove no-run (or test=)"])
    }

    @Test func controlCharactersAreShownNotObeyed() throws {
        let printed = "a\u{0}b\u{1}c\u{7}\u{1B}[2J\u{1B}]0;title\u{7}\tend\n\u{7F}"
        #expect(HTML.escape(printed) == "a␀b␁c␇␛[2J␛]0;title␇\tend\n␡")
        let diagnostic = Diagnostic(.error, file: "notes/t.md", line: 3, "bad \u{1B}[31m", detail: "output:\n\u{1B}c")
        let text = DiagnosticFormatter.format(diagnostic, style: .text)
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B })
        #expect(text == "notes/t.md:3: error: bad ␛[31m\n    output:\n    ␛c")
    }

    @Test func junitReportsStayWellFormedWhatEverACellPrints() throws {
        var warnings: [Diagnostic] = []
        let note = try NoteLoader.parse("---\ntitle: T\n---\n\n```swift\nprint(1)\n```\n", file: "notes/t.md", slug: "t", warnings: &warnings)
        let result = NotebookResult(cells: [.init(index: 0, outcome: .failed(.init("bad \u{0}\u{1}\u{7}")), stdout: "\u{0}\u{1}\u{7}<&>")])
        let xml = JUnitReport.xml(notes: [note], verdicts: ["t": NotebookVerdict(note: note, result: result)], seconds: 1)
        // XML 1.0 allows no C0 control but tab, line feed and carriage return, even as a reference.
        #expect(!xml.unicodeScalars.contains { $0.value < 0x20 && ![0x09, 0x0A, 0x0D].contains($0.value) })
        #expect(xml.contains("␀␁␇&lt;&amp;&gt;"))
    }

    @Test(arguments: [
        String(repeating: "- ", count: 2_000) + "deep list",
        String(repeating: ">", count: 4_000) + " deep quote",
        String(repeating: "*", count: 5_000) + "word" + String(repeating: "*", count: 5_000),
    ])
    func nestingTooDeepIsAnErrorNotACrash(markdown: String) throws {
        let error = #expect(throws: MarkdownError.self) { try MarkdownParser.parse("Intro.\n\n" + markdown + "\n") }
        #expect(error?.line == 3)
        #expect(error?.message == "lists, quotes or emphasis are nested more than 256 levels deep here")
    }

    @Test func deepButReasonableNestingStillParses() throws {
        let document = try MarkdownParser.parse(String(repeating: "> ", count: 100) + "quoted\n")
        var depth = 0
        var node = document
        while let child = node.children.first { node = child; depth += 1 }
        #expect(depth == 102) // 100 quotes, a paragraph, its text
    }

    static func errors(_ body: String) -> [String] {
        do {
            var warnings: [Diagnostic] = []
            _ = try NoteLoader.parse("---\ntitle: T\n---\n\n" + body, file: "notes/t.md", slug: "t", warnings: &warnings)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func aDuplicateCellIDIsAnError() {
        #expect(Self.errors("```swift id=train\nlet a = 1\n```\n\n```swift id=train\nlet b = 2\n```\n") == [
            "notes/t.md:9: error: duplicate cell id 'train' (first used at line 5): each id= names one cell's place on the page",
        ])
    }

    @Test func anEmptyEquationLabelSaysWhatALabelMayHold() {
        #expect(Self.errors("$$x$$ {#eq-}\n") == [
            "notes/t.md:5: error: equation label 'eq-' needs a name after 'eq-', made of letters, digits, '-', '_', ':' and '.' (e.g. {#eq-chain-rule})",
        ])
    }

    @Test func labelsWithQuotesSayWhatALabelMayHold() {
        #expect(Self.errors("$$x$$ {#eq-\"a\"}\n\n```math {#eq-'q'}\ny\n```\n") == [
            "notes/t.md:5: error: '{#eq-\"a\"}' is not read as an equation label: a label follows a display equation's closing $$ and is 'eq-' and a name made of letters, digits, '-', '_', ':' and '.' (e.g. {#eq-chain-rule})",
            "notes/t.md:7: error: equation label 'eq-'q'' may not hold that character: a label is 'eq-' and a name made of letters, digits, '-', '_', ':' and '.' (e.g. {#eq-chain-rule})",
        ])
    }

    @Test func dataFilesOutsideTheNotesFolderAreErrors() {
        var warnings: [Diagnostic] = []
        let error = #expect(throws: DiagnosticsError.self) {
            try NoteLoader.parse("---\ntitle: T\ndata: [/etc/shadow, ../secrets.txt, data/ok.csv]\n---\n\nText.\n", file: "notes/t.md", slug: "t", warnings: &warnings)
        }
        #expect(error?.diagnostics.map(\.description) == [
            "notes/t.md:3: error: data file '/etc/shadow' must be inside the notes folder (a relative path without '..'): cells can read nothing else",
            "notes/t.md:3: error: data file '../secrets.txt' must be inside the notes folder (a relative path without '..'): cells can read nothing else",
        ])
    }

    @Test func invalidUTF8IsReportedAtItsLine() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("notes-utf8-\(UUID().uuidString).md")
        defer { try? FileManager.default.removeItem(at: url) }
        var bytes = Array("---\ntitle: Ü\n---\n\nfine\n".utf8)
        bytes += [0x62, 0x61, 0x64, 0xC3, 0x28, 0x0A]
        try Data(bytes).write(to: url)
        var warnings: [Diagnostic] = []
        let error = #expect(throws: DiagnosticsError.self) { try NoteLoader.load(url, file: "notes/t.md", warnings: &warnings) }
        #expect(error?.diagnostics.map(\.description) == [
            "notes/t.md:6: error: not valid UTF-8 text: byte 27 of the file cannot be read (save the note as UTF-8)",
        ])
    }
}
