import Foundation
import Testing
import NotebookSupport
@testable import NotesKit

/// Compiling and running cells. Slow: each test compiles Swift programs (the engine is compiled
/// once per test run, see `TestEnvironment`).
@Suite("Execution (slow: compiles notes)", .serialized) struct ExecutionTests {
    static let fixtures = Bundle.module.url(forResource: "Fixtures/cells", withExtension: nil)!
    static let failing = Bundle.module.url(forResource: "Fixtures/cells-failing", withExtension: nil)!

    static func load(_ name: String, from folder: URL = fixtures) throws -> Note {
        var warnings: [Diagnostic] = []
        return try NoteLoader.load(folder.appendingPathComponent(name), file: "notes/\(name)", warnings: &warnings)
    }

    static func run(_ notes: [Note], cache: URL? = nil, folder: URL = fixtures, sources: URL? = nil) throws -> Executor.Report {
        TestEnvironment.prepare()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("notes-exec-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        return try Executor(notesFolder: folder, cache: cache, scratch: scratch, sourcesRoot: sources, log: { _ in }).run(notes)
    }

    static func verdict(_ name: String, from folder: URL) throws -> (Note, NotebookVerdict) {
        let note = try load(name, from: folder)
        let report = try run([note], folder: folder)
        return (note, NotebookVerdict(note: note, result: report.results[note.slug]))
    }

    // MARK: - Passing notebook: every flag

    @Test func cellsShareStateAndEveryFlagWorks() throws {
        let (note, verdict) = try Self.verdict("basics.md", from: Self.fixtures)
        #expect(verdict.failures.isEmpty, "\(verdict.failures.map(\.message))")
        let result = { (index: Int) in verdict.cells[index].result }
        let stderr = { (index: Int) in verdict.cells[index].stderr }
        #expect(result(0)?.stdout == "start\n")
        #expect(result(1)?.stdout == "0.7310585786300049\n") // matches `0.731058578630` within rtol 1e-9
        #expect(result(2)?.stdout == "[1, 0, 2.5]\n[[1, 2],\n [3, 4.5]]\n")
        #expect(result(3)?.stdout == "hidden code, visible output\n")
        #expect(verdict.cells[4].status == .skipped) // no-run: not even Swift
        #expect(result(4) == nil)
        #expect(result(5)?.stdout == "runs, output hidden\n")
        // expect=compile-error: the error, mapped to the Markdown line, is the cell's output.
        #expect(verdict.cells[6].status == .passed)
        #expect(stderr(6).hasPrefix("notes/basics.md:51:14: error: cannot convert value of type 'String' to specified type 'Int'"))
        #expect(result(6)?.compilerErrors.first?.location == ProgramLocation(unit: .cell(6), line: 1, column: 14))
        // expect=crash: runs in a child; its crash is expected and located.
        #expect(verdict.cells[7].status == .passed)
        #expect(result(7)?.stdout == "about to crash\n")
        #expect(stderr(7) == "Fatal error: Index out of range (at notes/basics.md:57:14)")
        #expect(result(7)?.crash?.location == ProgramLocation(unit: .cell(7), line: 3, column: 14))
        // The cell after the crash runs with the state from before it.
        #expect(result(8)?.stdout == "after the crash, x is still 0.5\n")
        #expect(stderr(8) == "to stderr\n")
        #expect(result(8)?.rich.count == 3) // a chart, a table and an image grid
        if case .images(let json)? = result(8)?.rich.last {
            let grid = try JSONDecoder().decode(ImageGrid.self, from: Data(json.utf8))
            #expect(grid.images.map(\.caption) == ["a ramp & <i>more</i>", ""])
            #expect(grid.images[0].pixels == [0, 0.25, 0.5, 1])
        } else {
            Issue.record("the third rich output of cell 8 should be its image grid")
        }
        let inline = note.notebook.inlineValues.map { verdict.inlineValues[$0.node] }
        #expect(inline == [.value("0.6224593312018546"), .value("1")])
        #expect(note.notebook.cells.count == 10)
    }

    @Test func pageShowsOutputsChartTableAndInlineValues() throws {
        let (note, verdict) = try Self.verdict("basics.md", from: Self.fixtures)
        let index = try EquationIndex(notes: [note])
        let html = NotePageRenderer(note: note, index: index, math: [:], verdict: verdict).render().html
        #expect(html.contains("<pre class=\"cell-output\"><code>0.7310585786300049\n</code></pre>"))
        #expect(!html.contains("0.731058578630\n")) // the expected block is hidden when it matches
        #expect(!html.contains("hidden code, visible output\")")) // the hidden cell's code is not shown
        #expect(html.contains("hidden code, visible output\n</code></pre>"))
        #expect(!html.contains("runs, output hidden\n</code></pre>"))
        #expect(html.contains("<span class=\"inline-value\" title=\"history[0]\">0.6224593312018546</span>"))
        #expect(html.contains("<svg class=\"chart\""))
        #expect(html.contains("<polyline class=\"chart-line series-0\""))
        #expect(html.contains("<td>0.7310585786300049</td>"))
        // Outputs are escaped: a printed tag is text on the page.
        #expect(html.contains("&lt;script&gt;alert('not run by the page')&lt;/script&gt; &amp; more"))
        #expect(!html.contains("<script>alert("))
    }

    // MARK: - Inline values

    static let inlineFixtures = Bundle.module.url(forResource: "Fixtures/inline-values", withExtension: nil)!

    @Test func inlineValuesRunInANoteWithoutCellsAndFailAtTheirLines() throws {
        let (note, verdict) = try Self.verdict("prose-only.md", from: Self.inlineFixtures)
        #expect(note.notebook.cells.isEmpty)
        let values = note.notebook.inlineValues.map { verdict.inlineValues[$0.node] }
        #expect(values.count == 4)
        #expect(values[0] == .value("42"))
        #expect(values[1] == .value("0.5"))
        #expect(values[2] == .failed("does not compile: cannot find 'undefinedName' in scope"))
        guard case .failed(let crash)? = values[3] else {
            Issue.record("the crashing inline value did not fail")
            return
        }
        #expect(crash.hasPrefix("crashed with signal 4") && crash.hasSuffix("Fatal error: Index out of range (at notes/prose-only.md:12)"))
        #expect(verdict.failures.map(\.line) == [10, 12])
        #expect(verdict.failures.map(\.message).first
                == "inline value `{swift} undefinedName` failed: does not compile: cannot find 'undefinedName' in scope")
    }

    @Test func aBrokenInlineValueLeavesTheCellsAndOtherValuesRunning() throws {
        let folder = try Self.scratchNotes(["mixed.md": """
            ---
            title: Mixed
            ---

            ```swift
            let n = 3
            print(n)
            ```

            Broken `{swift} n +* 1`, fine `{swift} n * 2`.
            """])
        defer { try? FileManager.default.removeItem(at: folder) }
        let (note, verdict) = try Self.verdict("mixed.md", from: folder)
        #expect(verdict.cells[0].status == .passed)
        #expect(verdict.cells[0].stdout == "3\n")
        let values = note.notebook.inlineValues.map { verdict.inlineValues[$0.node] }
        #expect(values.last == .value("6"))
        #expect(verdict.failures.count == 1)
        #expect(verdict.failures.first?.line == 10)
        #expect(verdict.failures.first?.message.hasPrefix("inline value `{swift} n +* 1` failed: does not compile:") == true)
    }

    // MARK: - Failures

    @Test func compileErrorMarksTheCellAtItsMarkdownLine() throws {
        let (_, verdict) = try Self.verdict("compile.md", from: Self.failing)
        #expect(verdict.failures.count == 1)
        #expect(verdict.failures.first?.diagnostic.description
                == "notes/compile.md:13: error: does not compile: cannot convert value of type 'String' to specified type 'Int'")
        #expect(verdict.cells[1].stderr.hasPrefix("notes/compile.md:13:14: error: cannot convert value"))
        #expect(verdict.cells[1].status == .failed("does not compile: cannot convert value of type 'String' to specified type 'Int'"))
        #expect(verdict.cells[0].status == .notRun)
        #expect(verdict.cells[2].status == .notRun)
    }

    @Test func crashInTheMiddleCellKeepsEarlierOutputs() throws {
        let (_, verdict) = try Self.verdict("crash.md", from: Self.failing)
        #expect(verdict.cells[0].status == .passed)
        #expect(verdict.cells[0].result?.stdout == "first cell ran\n")
        guard case .failed(let message) = verdict.cells[1].status else {
            Issue.record("the crashing cell did not fail")
            return
        }
        #expect(message.hasPrefix("crashed with signal 4"))
        #expect(message.contains("Fatal error: Index out of range (at notes/crash.md:13:"))
        #expect(verdict.cells[1].result?.stdout == "second cell starts\n")
        #expect(verdict.cells[2].status == .notRun)
        #expect(verdict.failures.first?.line == 13)
    }

    @Test func infiniteLoopHitsTheCellTimeout() throws {
        let (_, verdict) = try Self.verdict("loop.md", from: Self.failing)
        #expect(verdict.cells[0].status == .passed)
        #expect(verdict.cells[1].status == .failed("the cell ran longer than its timeout=1 s and was stopped"))
        #expect(verdict.cells[2].status == .notRun)
    }

    @Test func noteTimeLimitKillsTheProcessGroup() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let (_, verdict) = try Self.verdict("noteloop.md", from: Self.failing)
        #expect(verdict.cells[0].status == .failed("the note ran longer than its time limit of 2 s and was stopped"))
        #expect(verdict.cells[0].result?.stdout == "looping\n")
        #expect(clock.now - started < .seconds(30))
    }

    @Test func hugeOutputIsCutAtOneMebibyte() throws {
        let (_, verdict) = try Self.verdict("big.md", from: Self.failing)
        let stdout = try #require(verdict.cells[0].result?.stdout)
        #expect(stdout.utf8.count < (1 << 20) + 200)
        #expect(stdout.hasSuffix("… output cut here: 10000000 bytes in all, only the first 1048576 are kept.\n"))
        #expect(verdict.cells[1].result?.stdout == "still here\n")
    }

    @Test func unmetExpectationsAndTolerances() throws {
        let (_, verdict) = try Self.verdict("expectations.md", from: Self.failing)
        #expect(verdict.cells[0].status == .passed) // 0.3333334 vs 0.333…: inside rtol 1e-6
        guard case .failed(let outside) = verdict.cells[1].status else {
            Issue.record("a difference beyond rtol passed")
            return
        }
        #expect(outside.contains("expected 0.6666680, got 0.6666666666666666"))
        guard case .failed(let text) = verdict.cells[2].status else {
            Issue.record("a text difference passed")
            return
        }
        #expect(text.contains("expected “texts ”, got “text ”"))
        #expect(verdict.cells[3].status == .failed("expected a crash (expect=crash), but the cell ran to its end"))
        #expect(verdict.cells[4].status == .failed("expected a compile error (expect=compile-error), but the cell compiles"))
        #expect(verdict.failures.map(\.line) == [18, 26, 30, 34, 37])
        #expect(verdict.failures.last?.message.hasPrefix("inline value `{swift} [1, 2][5]` failed: crashed with signal 4") == true)
        #expect(verdict.failures.last?.message.contains("Fatal error: Index out of range (at notes/expectations.md:37") == true)
    }

    // MARK: - Cache

    /// A notes folder of its own, for tests that edit notes.
    static func scratchNotes(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notes-cache-\(UUID().uuidString)")
        for (name, text) in files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return folder
    }

    static let cachedNote = """
        ---
        title: Cached
        data: [data/values.txt]
        ---

        Prose.

        ```swift
        let text = try! String(contentsOfFile: "data/values.txt", encoding: .utf8)
        print(text.count)
        ```
        """

    @Test func cacheHitsOnProseEditsAndMissesOnCellDataAndEngineChanges() throws {
        let folder = try Self.scratchNotes(["cached.md": Self.cachedNote, "data/values.txt": "12345"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = folder.appendingPathComponent(".cache")
        func run(sources: URL? = nil) throws -> Executor.Report {
            var warnings: [Diagnostic] = []
            let note = try NoteLoader.load(folder.appendingPathComponent("cached.md"), file: "notes/cached.md", warnings: &warnings)
            return try Self.run([note], cache: cache, folder: folder, sources: sources)
        }
        let first = try run()
        #expect(first.ran == 1 && first.cached == 0)
        #expect(first.results["cached"]?.cells.first?.stdout == "5\n")
        #expect(try run().cached == 1)

        try (Self.cachedNote.replacingOccurrences(of: "Prose.", with: "Prose, edited\nover two lines."))
            .write(to: folder.appendingPathComponent("cached.md"), atomically: true, encoding: .utf8)
        #expect(try run().cached == 1, "a prose edit must not re-run the cell")

        try "1234567".write(to: folder.appendingPathComponent("data/values.txt"), atomically: true, encoding: .utf8)
        let afterData = try run()
        #expect(afterData.ran == 1)
        #expect(afterData.results["cached"]?.cells.first?.stdout == "7\n")

        try (Self.cachedNote.replacingOccurrences(of: "print(text.count)", with: "print(text.count * 2)"))
            .write(to: folder.appendingPathComponent("cached.md"), atomically: true, encoding: .utf8)
        #expect(try run().ran == 1, "a cell edit must re-run the note")
        #expect(try run().cached == 1)

        // The same engine sources with one byte changed: a different engine.
        let sources = folder.appendingPathComponent("Sources")
        let real = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        for module in EngineSources.moduleNames + [EngineSources.headerModuleName] {
            try FileManager.default.copyItem(at: real.appendingPathComponent(module), to: sources.appendingPathComponent(module))
        }
        let canonical = sources.appendingPathComponent("NotebookSupport/Canonical.swift")
        try (String(contentsOf: canonical, encoding: .utf8) + "\n// changed\n").write(to: canonical, atomically: true, encoding: .utf8)
        #expect(try run(sources: sources).ran == 1, "an engine change must re-run the note")
    }

    @Test func corruptedCacheEntryIsDiscardedWithAWarning() throws {
        let folder = try Self.scratchNotes(["cached.md": Self.cachedNote, "data/values.txt": "12345"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = folder.appendingPathComponent(".cache")
        var warnings: [Diagnostic] = []
        let note = try NoteLoader.load(folder.appendingPathComponent("cached.md"), file: "notes/cached.md", warnings: &warnings)
        _ = try Self.run([note], cache: cache, folder: folder)
        // The note's entry, and the run times' (both in ac/): garbage.
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("ac").path)
        #expect(entries.count == 2)
        for entry in entries {
            try Data("{ not protobuf".utf8).write(to: cache.appendingPathComponent("ac/" + entry))
        }
        let report = try Self.run([note], cache: cache, folder: folder)
        #expect(report.ran == 1)
        #expect(report.warnings.contains { $0.message.hasPrefix("discarded unreadable cache entry") })
        #expect(try Self.run([note], cache: cache, folder: folder).cached == 1)

        // A blob whose bytes no longer match its name.
        for blob in try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("cas").path) {
            let file = cache.appendingPathComponent("cas/" + blob)
            var bytes = try Data(contentsOf: file)
            bytes[bytes.startIndex] ^= 1
            try bytes.write(to: file)
        }
        let damaged = try Self.run([note], cache: cache, folder: folder)
        #expect(damaged.ran == 1)
        #expect(damaged.warnings.contains { $0.message.contains("do not match its digest") }, "\(damaged.warnings)")
        #expect(try Self.run([note], cache: cache, folder: folder).cached == 1)
    }

    @Test func parallelRunsGiveTheSameResultsAsOneAtATime() throws {
        let notes = try ["crash.md", "compile.md", "expectations.md"].map { try Self.load($0, from: Self.failing) }
        let together = try Self.run(notes, folder: Self.failing)
        for note in notes {
            let alone = try Self.run([note], folder: Self.failing)
            #expect(alone.results[note.slug] == together.results[note.slug], "\(note.file)")
        }
    }
}
