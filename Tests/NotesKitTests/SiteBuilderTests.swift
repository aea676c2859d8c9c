import Foundation
import Testing
@testable import NotesKit

/// End to end: a fixture notes folder built into a temporary site (runs KaTeX through node).
@Suite("Site builds (end to end, runs KaTeX)", .serialized) struct SiteBuilderTests {
    static var fixture: URL {
        Bundle.module.url(forResource: "Fixtures/site-basic", withExtension: nil)!
    }

    /// A fresh temporary folder holding a copy of the fixture notes and room for the site.
    static func workspace() throws -> (root: URL, notes: URL, site: URL) {
        TestEnvironment.prepare()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("notes-e2e-\(UUID().uuidString)")
        let notes = root.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fixture, to: notes)
        return (root, notes, root.appendingPathComponent("site"))
    }

    static func build(_ notes: URL, _ site: URL) throws -> BuildSummary {
        try SiteBuilder(options: BuildOptions(notes: notes, output: site, title: "Fixture Course")).build()
    }

    static func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    @Test func buildsPagesWithMathReferencesAndTOC() throws {
        let (root, notes, site) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let summary = try Self.build(notes, site)
        #expect(summary.notes == 2)
        #expect(summary.pages == 5) // two notes, index, 404, verification report
        #expect(summary.equations == 2)

        // Each published page holds exactly its golden body (math, references, anchors, callouts,
        // highlighting: see Fixtures/site-basic/expected), inside the theme's page.
        let golden = GoldenTests.source.appendingPathComponent("site-basic/expected")
        for page in ["chain.html", "errors.html"] {
            let html = try Self.read(site.appendingPathComponent(page))
            #expect(html.contains(try Self.read(golden.appendingPathComponent(page))), "\(page) lost its golden body")
        }
        #expect(try Self.read(site.appendingPathComponent("chain.html")).contains("rel=\"next\" href=\"errors.html\""))

        let index = try Self.read(site.appendingPathComponent("index.html"))
        #expect(index.contains("The Chain Rule") && index.contains("Error Signals") && index.contains("T-02"))
        #expect(index.contains("Calculus"))

        let search = try SearchIndex.entries(inScript: Data(contentsOf: site.appendingPathComponent("search-index.js")))
        #expect(search.map(\.href) == ["chain.html", "errors.html"])
        #expect(search[1].text.contains("zanzibar"))
        #expect(search[1].headings.map(\.anchor) == ["definition", "a-detail"])
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("404.html").path))
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("assets/katex/katex.min.css").path))
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("assets/notes.css").path))
    }

    @Test("A note's `</script>` cannot end the search index script early")
    func searchIndexEscapesScriptEnds() throws {
        let (root, notes, site) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        try "---\ntitle: Tags </script> <b>\n---\n\nWrite `</script><script>alert(1)</script>` with care.\n"
            .write(to: notes.appendingPathComponent("tags.md"), atomically: true, encoding: .utf8)
        _ = try Self.build(notes, site)
        let script = try Data(contentsOf: site.appendingPathComponent("search-index.js"))
        #expect(!String(decoding: script, as: UTF8.self).lowercased().contains("</script"))
        let entry = try #require(try SearchIndex.entries(inScript: script).first { $0.href == "tags.html" })
        #expect(entry.title == "Tags </script> <b>")
        #expect(entry.text.contains("</script><script>alert(1)</script>"))
    }

    @Test("The search text leaves out math and the source of inline values")
    func searchTextHasNoInlineValueSource() throws {
        var warnings: [Diagnostic] = []
        let note = try NoteLoader.parse("---\ntitle: T\n---\n\nThe rate is `{swift} String(format: \"%.2f\", rate)` per $x^2$ second, `plain code` too.\n",
                                        file: "notes/t.md", slug: "t", warnings: &warnings)
        let text = SearchIndex.plainText(of: note.document)
        #expect(text == "The rate is per second, plain code too.")
    }

    @Test func failedBuildLeavesThePreviousSiteUntouched() throws {
        let (root, notes, site) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try Self.build(notes, site)
        let before = try Self.snapshot(site)

        try "---\ntitle: Broken\n---\n\nSee @eq-nowhere.\n".write(to: notes.appendingPathComponent("broken.md"), atomically: true, encoding: .utf8)
        let error = #expect(throws: DiagnosticsError.self) { try Self.build(notes, site) }
        #expect(error?.diagnostics.first?.message.contains("unknown equation label 'eq-nowhere'") == true)
        #expect(try Self.snapshot(site) == before)

        try "---\ntitle: Bad TeX\n---\n\n$\\frac{1}{$ here\n".write(to: notes.appendingPathComponent("broken.md"), atomically: true, encoding: .utf8)
        let texError = #expect(throws: DiagnosticsError.self) { try Self.build(notes, site) }
        #expect(texError?.diagnostics.first?.line == 5)
        #expect(texError?.diagnostics.first?.message.hasPrefix("TeX error") == true)
        #expect(try Self.snapshot(site) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func deletedNotesDisappearAndBuildsAreDeterministic() throws {
        let (root, notes, site) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try Self.build(notes, site)
        let first = try Self.snapshot(site)
        _ = try Self.build(notes, site)
        #expect(try Self.snapshot(site) == first)

        try FileManager.default.removeItem(at: notes.appendingPathComponent("errors.md"))
        try "---\ntitle: Only\n---\n\nSee @eq-chain.\n".write(to: notes.appendingPathComponent("errors.md"), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: notes.appendingPathComponent("chain.md"))
        #expect(throws: DiagnosticsError.self) { try Self.build(notes, site) }
        try "---\ntitle: Only\n---\n\nAlone.\n".write(to: notes.appendingPathComponent("errors.md"), atomically: true, encoding: .utf8)
        _ = try Self.build(notes, site)
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("chain.html").path))
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("errors.html").path))
    }

    @Test func notesLoadInParallelButReportInFileOrder() throws {
        let (root, notes, site) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        // Sixteen notes, every other one broken in its front matter or its math.
        for index in 0..<16 {
            let name = String(format: "bulk-%02d.md", index)
            let text = switch index % 4 {
            case 1: "---\ntitle: Bad order\norder: first\n---\n\nText.\n"
            case 3: "---\ntitle: Open math\n---\n\nText\n\n$$\nx = 1\n"
            default: "---\ntitle: Fine \(index)\n---\n\nSome $x_\(index)$ here.\n"
            }
            try text.write(to: notes.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        func reported() -> [String] {
            let error = #expect(throws: DiagnosticsError.self) { try Self.build(notes, site) }
            return error?.diagnostics.map { "\($0.file):\($0.line ?? 0)" } ?? []
        }
        let first = reported()
        #expect(first.count == 8)
        #expect(first == first.sorted())
        #expect(first.first?.hasSuffix("bulk-01.md:3") == true)
        #expect(reported() == first)
    }

    @Test func refusesToReplaceAFolderItDidNotMake() throws {
        let (root, notes, _) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let error = #expect(throws: DiagnosticsError.self) { try Self.build(notes, notes) }
        #expect(error?.diagnostics.first?.message.contains("refusing to replace") == true)
        #expect(FileManager.default.fileExists(atPath: notes.appendingPathComponent("chain.md").path))
    }

    @Test func missingNotesFolderIsAClearError() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("notes-missing-\(UUID().uuidString)")
        let error = #expect(throws: DiagnosticsError.self) {
            try Self.build(root.appendingPathComponent("nope"), root.appendingPathComponent("site"))
        }
        #expect(error?.diagnostics.first?.message.contains("cannot read the notes folder") == true)
    }

    /// Every file of a site with its bytes, to compare two states of the output folder.
    static func snapshot(_ site: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: site, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            files[String(url.path.dropFirst(site.path.count))] = try Data(contentsOf: url)
        }
        return files
    }
}
