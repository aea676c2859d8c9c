import Foundation
import Testing
@testable import NotesKit

/// The page cache: a rebuild renders only the note pages whose inputs changed, and the site it
/// publishes is byte for byte the site a build from nothing makes (runs KaTeX).
@Suite("Incremental builds (page cache, runs KaTeX)", .serialized) struct IncrementalBuildTests {
    /// A course of three notes: `b` refers to an equation of `a`, `c` to one of `b`.
    static let notes: [String: String] = [
        "a.md": """
        ---
        title: First Note
        order: 1
        ---

        ## Start

        The first note, with $x^2$ inline and a labelled equation:

        $$
        y = w x + b
        $$ {#eq-line}

        ```swift no-run
        let y = w * x + b
        ```
        """,
        "b.md": """
        ---
        title: Second Note
        order: 2
        ---

        ## Middle

        Builds on @eq-line with another result:

        $$
        C = \\frac{1}{2} (y - t)^2
        $$ {#eq-cost}
        """,
        "c.md": """
        ---
        title: Third Note
        order: 3
        ---

        ## End

        Uses @eq-cost only. Nothing here reads the first note.
        """,
    ]

    /// A temporary folder with the notes, a cache and room for the site.
    struct Workspace {
        let root: URL
        var notes: URL { root.appendingPathComponent("notes") }
        var site: URL { root.appendingPathComponent("site") }
        var cache: URL { root.appendingPathComponent("cache") }

        init() throws {
            TestEnvironment.prepare()
            root = FileManager.default.temporaryDirectory.appendingPathComponent("notes-incremental-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root.appendingPathComponent("notes"), withIntermediateDirectories: true)
            for (name, text) in IncrementalBuildTests.notes { try write(name, text) }
        }

        func write(_ name: String, _ text: String) throws {
            try text.write(to: notes.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }

        func edit(_ name: String, _ old: String, _ new: String) throws {
            let text = try String(contentsOf: notes.appendingPathComponent(name), encoding: .utf8)
            #expect(text.contains(old), "\(name) does not contain \(old)")
            try write(name, text.replacingOccurrences(of: old, with: new))
        }

        func build(theme: URL? = nil, memo: BuildMemo? = nil) throws -> BuildSummary {
            try SiteBuilder(options: BuildOptions(notes: notes, output: site, theme: theme, title: "Course", cache: cache),
                            memo: memo).build()
        }

        /// The site a build with no cache and no previous site makes of the same notes.
        func buildFromNothing(theme: URL? = nil) throws -> [String: Data] {
            let fresh = root.appendingPathComponent("fresh-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: fresh) }
            _ = try SiteBuilder(options: BuildOptions(notes: notes, output: fresh, theme: theme, title: "Course")).build()
            return try SiteBuilderTests.snapshot(fresh)
        }

        func page(_ name: String) throws -> String {
            try String(contentsOf: site.appendingPathComponent(name), encoding: .utf8)
        }

        func inode(_ name: String) -> UInt64? { FileIdentity(path: site.appendingPathComponent(name).path)?.inode }
    }

    /// Builds, and checks that the site is the one a build from nothing makes.
    static func buildAndCompare(_ work: Workspace, theme: URL? = nil, memo: BuildMemo? = nil) throws -> BuildSummary {
        let summary = try work.build(theme: theme, memo: memo)
        let site = try SiteBuilderTests.snapshot(work.site)
        let fresh = try work.buildFromNothing(theme: theme)
        #expect(site.keys.sorted() == fresh.keys.sorted())
        for path in fresh.keys.sorted() where site[path] != fresh[path] {
            Issue.record("\(path) differs from the page a build from nothing makes")
        }
        return summary
    }

    @Test func unchangedRebuildKeepsEveryNotePageUnread() throws {
        let work = try Workspace()
        defer { try? FileManager.default.removeItem(at: work.root) }
        let first = try work.build()
        #expect(first.pagesKept == 0)
        let inodes = ["a.html", "b.html", "c.html"].map(work.inode)
        let second = try Self.buildAndCompare(work)
        #expect(second.pagesKept == 6) // three notes, the index, the 404 page and the report
        #expect(second.pages == first.pages)
        #expect(second.mathSpans == 0) // no page to render: the math cache is not even opened
        #expect(["a.html", "b.html", "c.html"].map(work.inode) == inodes)
    }

    @Test func proseEditRendersOnlyThatNote() throws {
        let work = try Workspace()
        defer { try? FileManager.default.removeItem(at: work.root) }
        _ = try work.build()
        try work.edit("c.md", "Nothing here reads", "Nothing at all here reads")
        let summary = try Self.buildAndCompare(work)
        #expect(summary.pagesKept == 5) // all but c: the index, 404 and report show nothing that changed
        #expect(try work.page("c.html").contains("Nothing at all here reads"))
        // The search index is rebuilt from the kept pages' entries and the new one.
        let search = try SearchIndex.entries(inScript: Data(contentsOf: work.site.appendingPathComponent("search-index.js")))
        #expect(search.map(\.href) == ["a.html", "b.html", "c.html"])
        #expect(search[2].text.contains("Nothing at all here reads"))
        #expect(search[0].text.contains("The first note"))
    }

    @Test func anEquationNumberChangeRendersThePagesThatReferToIt() throws {
        let work = try Workspace()
        defer { try? FileManager.default.removeItem(at: work.root) }
        _ = try work.build()
        #expect(try work.page("c.html").contains(">(1)<"))
        // A labelled equation before eq-cost renumbers it: c refers to it, so c changes; a does not.
        try work.edit("b.md", "Builds on", "$$\nz = 1\n$$ {#eq-first}\n\nBuilds on")
        let inodeA = work.inode("a.html")
        let summary = try Self.buildAndCompare(work)
        #expect(try work.page("c.html").contains(">(2)<"))
        // b changed and c reads b's equation; a reads neither, and its neighbour b kept its title.
        #expect(work.inode("a.html") == inodeA)
        #expect(summary.pagesKept == 1) // a; the site pages show the number of equations
    }

    @Test func aTitleChangeRendersTheNeighboursAndTheIndex() throws {
        let work = try Workspace()
        defer { try? FileManager.default.removeItem(at: work.root) }
        _ = try work.build()
        try work.edit("b.md", "title: Second Note", "title: The Middle Note")
        let summary = try Self.buildAndCompare(work)
        #expect(summary.pagesKept == 1) // a and c link to b as their next and previous note; the 404 page is kept
        #expect(try work.page("a.html").contains("The Middle Note"))
        #expect(try work.page("index.html").contains("The Middle Note"))
        try work.write("d.md", "---\ntitle: Fourth Note\norder: 4\n---\n\nA new last note.\n")
        let added = try Self.buildAndCompare(work)
        // d is new and c gains a next link; a and b are as they were.
        #expect(try work.page("c.html").contains("Fourth Note"))
        #expect(added.pagesKept == 2) // a and b (the site pages count the notes)
    }

    @Test func anEditKeepsThePagesWhoseReadsGetTheSameAnswers() throws {
        let work = try Workspace()
        defer { try? FileManager.default.removeItem(at: work.root) }
        _ = try work.build()
        // The displayed name of eq-line does not change: b's reference reads the same answer.
        try work.edit("a.md", "The first note", "The very first note")
        let summary = try Self.buildAndCompare(work)
        #expect(summary.pagesKept == 5)
        // Moving eq-line's label to another equation changes what b's @eq-line shows.
        try work.edit("a.md", "$$\ny = w x + b\n$$ {#eq-line}", "$$\ny = 0\n$$ {#eq-zero}\n\n$$\ny = w x + b\n$$ {#eq-line}")
        let renumbered = try Self.buildAndCompare(work)
        #expect(try work.page("b.html").contains(">(2)<"))
        #expect(renumbered.pagesKept == 1) // c reads nothing of a (the site pages count equations)

        // A theme that shows the number of equations on note pages makes every page read it.
        let theme = work.root.appendingPathComponent("theme/templates")
        try FileManager.default.createDirectory(at: theme, withIntermediateDirectories: true)
        try "{{<base}}{{$main}}<p class=\"count\">{{site.equationCount}} equations</p>{{{bodyHTML}}}{{/main}}{{/base}}\n"
            .write(to: theme.appendingPathComponent("note.mustache"), atomically: true, encoding: .utf8)
        _ = try work.build(theme: theme.deletingLastPathComponent())
        try work.edit("a.md", "$$\ny = 0\n$$ {#eq-zero}\n\n", "")
        let counted = try Self.buildAndCompare(work, theme: theme.deletingLastPathComponent())
        #expect(counted.pagesKept == 0)
        #expect(try work.page("c.html").contains("<p class=\"count\">2 equations</p>"))
    }

    @Test func aThemeChangeRendersEveryPage() throws {
        let work = try Workspace()
        defer { try? FileManager.default.removeItem(at: work.root) }
        let theme = work.root.appendingPathComponent("theme/templates")
        try FileManager.default.createDirectory(at: theme, withIntermediateDirectories: true)
        try "{{<base}}{{$main}}<article>{{{bodyHTML}}}</article>{{/main}}{{/base}}\n"
            .write(to: theme.appendingPathComponent("note.mustache"), atomically: true, encoding: .utf8)
        _ = try work.build(theme: theme.deletingLastPathComponent())
        #expect(try work.build(theme: theme.deletingLastPathComponent()).pagesKept == 6)
        try "{{<base}}{{$main}}<article class=\"changed\">{{{bodyHTML}}}</article>{{/main}}{{/base}}\n"
            .write(to: theme.appendingPathComponent("note.mustache"), atomically: true, encoding: .utf8)
        let summary = try Self.buildAndCompare(work, theme: theme.deletingLastPathComponent())
        #expect(summary.pagesKept == 0)
        #expect(try work.page("c.html").contains("class=\"changed\""))
    }

    @Test func aPageChangedInTheSiteIsRenderedAgain() throws {
        let work = try Workspace()
        defer { try? FileManager.default.removeItem(at: work.root) }
        _ = try work.build()
        let page = work.site.appendingPathComponent("b.html")
        try "defaced".write(to: page, atomically: false, encoding: .utf8)
        let summary = try Self.buildAndCompare(work)
        #expect(summary.pagesKept == 5)
        #expect(try work.page("b.html").contains("Second Note"))

        // A lost site, or a broken page cache, renders everything (with a warning for the cache).
        try FileManager.default.removeItem(at: work.site)
        #expect(try Self.buildAndCompare(work).pagesKept == 0)
        try Data("notes-page-cache-v1 but not really".utf8).write(to: work.cache.appendingPathComponent("pages.cache"))
        let broken = try Self.buildAndCompare(work)
        #expect(broken.pagesKept == 0)
        #expect(broken.warnings.contains { $0.message.contains("discarded unreadable page cache") })
        #expect(try work.build().pagesKept == 6)
    }

    @Test func aFailedBuildKeepsTheCacheOfTheSiteThatIsServed() throws {
        let work = try Workspace()
        defer { try? FileManager.default.removeItem(at: work.root) }
        _ = try work.build()
        try work.edit("c.md", "Uses @eq-cost", "Uses @eq-nowhere")
        #expect(throws: DiagnosticsError.self) { try work.build() }
        try work.edit("c.md", "Uses @eq-nowhere", "Uses @eq-cost")
        #expect(try Self.buildAndCompare(work).pagesKept == 6)
    }

    @Test func aChangedCellResultRendersItsPageThoughTheNoteIsTheSame() throws {
        let work = try Workspace()
        defer { try? FileManager.default.removeItem(at: work.root) }
        try FileManager.default.createDirectory(at: work.notes.appendingPathComponent("data"), withIntermediateDirectories: true)
        try work.write("data/values.txt", "12345")
        try work.write("d.md", """
            ---
            title: Fourth Note
            order: 4
            data: [data/values.txt]
            ---

            Counts the characters of a data file.

            ```swift
            let text = try! String(contentsOfFile: "data/values.txt", encoding: .utf8)
            print("count", text.count)
            ```
            """)
        _ = try work.build()
        #expect(try work.page("d.html").contains("count 5"))
        #expect(try work.build().pagesKept == 7)
        // The note's bytes are the same; its cell's output is not.
        try work.write("data/values.txt", "1234567")
        let summary = try Self.buildAndCompare(work)
        #expect(summary.cells.notesRun == 1)
        #expect(summary.pagesKept == 6)
        #expect(try work.page("d.html").contains("count 7"))
    }

    @Test("A build reports the files it wrote, not those it linked from the site before")
    func summaryNamesTheChangedFiles() throws {
        let work = try Workspace()
        defer { try? FileManager.default.removeItem(at: work.root) }
        let first = try work.build()
        #expect(first.changed == first.files)
        #expect(first.files.contains("a.html") && first.files.contains("search-index.js") && first.files.contains("assets/notes.css"))
        #expect(!first.files.contains(SitePublisher.marker))
        let unchanged = try work.build()
        #expect(unchanged.changed.isEmpty)
        #expect(unchanged.files == first.files)
        try work.edit("c.md", "Nothing here reads", "Nothing at all here reads")
        #expect(try work.build().changed == ["c.html", "search-index.js"])
        try FileManager.default.removeItem(at: work.notes.appendingPathComponent("c.md"))
        let removed = try work.build()
        #expect(!removed.files.contains("c.html"))
        // The previous note's next link, the index and the search index lose it; the report
        // showed none of its equations (it has no labelled one), so it is the same file.
        #expect(removed.changed == ["b.html", "index.html", "search-index.js"])
    }

    @Test("Through a memo, the caches are written after the build, and a later process finds them")
    func memoWritesTheCachesAfterTheBuild() throws {
        let work = try Workspace()
        defer { try? FileManager.default.removeItem(at: work.root) }
        let memo = BuildMemo()
        _ = try work.build(memo: memo)
        try work.edit("c.md", "Nothing here reads", "Nothing at all here reads")
        _ = try work.build(memo: memo)
        #expect(memo.finishWrites().isEmpty)
        // A new process (no memo) parses no note again and keeps every page.
        let later = try work.build()
        #expect(later.pagesKept == 6)
        // A write that fails is a warning of the next build.
        let pages = work.cache.appendingPathComponent("pages.cache")
        try FileManager.default.removeItem(at: pages)
        try FileManager.default.createDirectory(at: pages.appendingPathComponent("blocked"), withIntermediateDirectories: true)
        try work.edit("c.md", "Nothing at all here reads", "Nothing here reads")
        #expect(!(try work.build(memo: memo)).warnings.contains { $0.message.contains("cannot write the page cache") })
        #expect(try work.build(memo: memo).warnings.contains { $0.message.contains("cannot write the page cache") })
    }

    @Test func buildsThroughOneMemoMakeTheSiteABuildFromNothingMakes() throws {
        let work = try Workspace()
        defer { try? FileManager.default.removeItem(at: work.root) }
        let memo = BuildMemo()
        _ = try work.build(memo: memo)
        try work.edit("c.md", "Nothing here reads", "Nothing at all here reads")
        #expect(try Self.buildAndCompare(work, memo: memo).pagesKept == 5)
        try work.edit("b.md", "Builds on", "$$\nz = 1\n$$ {#eq-first}\n\nBuilds on")
        _ = try Self.buildAndCompare(work, memo: memo)
        #expect(try work.page("c.html").contains(">(2)<"))
        // A math cache file replaced on disk is read again, not taken from memory.
        try Data("not a math cache".utf8).write(to: work.cache.appendingPathComponent("math/a.math"))
        try work.edit("a.md", "The first note", "The very first note")
        let summary = try Self.buildAndCompare(work, memo: memo)
        #expect(summary.warnings.contains { $0.message.contains("discarded unreadable math cache") })
        #expect(try work.page("a.html").contains("The very first note"))
        // A note deleted and written again with other text is parsed again.
        try FileManager.default.removeItem(at: work.notes.appendingPathComponent("c.md"))
        _ = try Self.buildAndCompare(work, memo: memo)
        try work.write("c.md", IncrementalBuildTests.notes["c.md"]!.replacingOccurrences(of: "Third Note", with: "Third Again"))
        _ = try Self.buildAndCompare(work, memo: memo)
        #expect(try work.page("c.html").contains("Third Again"))
        // Rewritten in place (same inode, another size and time): read again, not taken from memory.
        let handle = try FileHandle(forWritingTo: work.notes.appendingPathComponent("c.md"))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(IncrementalBuildTests.notes["c.md"]!.replacingOccurrences(of: "Third Note", with: "Third, in place").utf8))
        try handle.close()
        _ = try Self.buildAndCompare(work, memo: memo)
        #expect(try work.page("c.html").contains("Third, in place"))
    }

    @Test func theNoteCacheSparesParsingUnchangedNotesAndGivesTheSameFacts() throws {
        let work = try Workspace()
        defer { try? FileManager.default.removeItem(at: work.root) }
        try work.write("d.md", "---\ntitle: Fourth\ncolour: red\ntimeout: 2.5\ndata: [x.csv]\n---\n\nA <b onclick=\"x()\">bold</b> word "
                       + "and `{swift} 1 + 1`. Ünïcode: 12:3 ~ ;\n\n```swift hide timeout=0.5 id=two expect=crash\nprint(2)\n```\n\n"
                       + "```output rtol=1e-6 atol=0\n2\n```\n\n```swift no-run output=hide\nlet s = \"9:\"\n```\n")
        func load(cache: Bool) throws -> NoteLoader.Loaded {
            try NoteLoader(folder: work.notes, paths: PathDisplay(workingDirectory: work.root), log: { _ in },
                           cache: cache ? work.cache : nil).load()
        }
        let first = try load(cache: true)
        #expect(first.notes.allSatisfy { $0.source.isParsed })
        let cached = try load(cache: true)
        #expect(cached.notes.allSatisfy { !$0.source.isParsed })
        let fresh = try load(cache: false)
        #expect(cached.warnings == fresh.warnings)
        #expect(cached.warnings.contains { $0.file == "notes/d.md" && $0.message.contains("colour") })
        #expect(cached.warnings.contains { $0.file == "notes/d.md" && $0.line == 8 && $0.message.contains("onclick") })
        for (note, parsed) in zip(cached.notes, fresh.notes) {
            #expect(note.file == parsed.file && note.slug == parsed.slug && note.sourceDigest == parsed.sourceDigest)
            #expect(note.frontMatter == parsed.frontMatter && note.equations == parsed.equations)
            #expect(note.references == parsed.references && note.notebook == parsed.notebook && note.wordCount == parsed.wordCount)
        }
        try NoteDocument.parse(cached.notes)
        #expect(cached.notes.map(\.document) == fresh.notes.map(\.document))
        // An edited note is parsed again, the others are not.
        try work.edit("b.md", "another result", "a second result")
        let edited = try load(cache: true)
        #expect(edited.notes.filter { $0.source.isParsed }.map(\.slug) == ["b"])
        // A broken cache file is a warning, and every note is parsed.
        try Data("broken".utf8).write(to: work.cache.appendingPathComponent("notes.cache"))
        let afterBreak = try load(cache: true)
        #expect(afterBreak.notes.allSatisfy { $0.source.isParsed })
        #expect(afterBreak.warnings.contains { $0.message.contains("discarded unreadable note cache") })
        // Notes read under another raw-HTML policy are parsed again: the policy changes their warnings.
        #expect(try load(cache: true).notes.allSatisfy { !$0.source.isParsed })
        try "raw-html: trusted\n".write(to: work.notes.appendingPathComponent("course.yml"), atomically: true, encoding: .utf8)
        let trusted = try load(cache: true)
        #expect(trusted.notes.allSatisfy { $0.source.isParsed })
        #expect(!trusted.warnings.contains { $0.message.contains("onclick") })
    }

    @Test func eachNoteHasItsOwnMathCacheFileAndOnlyThoseOfRenderedPagesAreTouched() throws {
        let work = try Workspace()
        defer { try? FileManager.default.removeItem(at: work.root) }
        let math = work.cache.appendingPathComponent("math")
        func identity(_ slug: String) -> FileIdentity? { FileIdentity(path: math.appendingPathComponent(slug + ".math").path) }
        // The single file of earlier versions is removed.
        try FileManager.default.createDirectory(at: work.cache, withIntermediateDirectories: true)
        try Data("old".utf8).write(to: work.cache.appendingPathComponent("math.cache"))
        _ = try work.build()
        #expect(!FileManager.default.fileExists(atPath: work.cache.appendingPathComponent("math.cache").path))
        let (a, b) = (identity("a"), identity("b"))
        #expect(a != nil && b != nil)
        #expect(identity("c") == nil) // no formulas, no file
        // A prose edit in a renders its page from its file and rewrites nothing.
        try work.edit("a.md", "The first note", "The opening note")
        var summary = try Self.buildAndCompare(work)
        #expect(summary.mathCached == summary.mathSpans && summary.mathSpans == 2)
        #expect(identity("a") == a && identity("b") == b)
        // A new formula in a rewrites a's file only.
        try work.edit("a.md", "$x^2$", "$x^3$")
        summary = try Self.buildAndCompare(work)
        #expect(summary.mathSpans == 2 && summary.mathCached == 1)
        #expect(identity("a") != a && identity("b") == b)
        #expect(try MathCacheFileTests.formulas(in: math.appendingPathComponent("a.math")).contains("x^3"))
        #expect(!(try MathCacheFileTests.formulas(in: math.appendingPathComponent("a.math")).contains("x^2")))
        // A deleted note's file goes with it.
        try FileManager.default.removeItem(at: work.notes.appendingPathComponent("c.md"))
        try work.edit("b.md", "@eq-line", "the line")
        _ = try Self.buildAndCompare(work)
        try FileManager.default.removeItem(at: work.notes.appendingPathComponent("b.md"))
        _ = try Self.buildAndCompare(work)
        #expect(identity("b") == nil && identity("a") != nil)
    }
}

/// Reads a math cache file's TeX, for tests.
enum MathCacheFileTests {
    static func formulas(in file: URL) throws -> [String] {
        let cache = MathCache(folder: file.deletingLastPathComponent(), fingerprint: KaTeXRenderer.fingerprint)
        return cache.entries(of: file.deletingPathExtension().lastPathComponent).keys.map(\.tex)
    }
}

@Suite("Field text (the note cache's record form)") struct FieldTextTests {
    @Test func fieldsReadBackAsWritten() throws {
        var out = FieldWriter()
        let strings = ["", "12:34", "~", "a;b", "Ünïcode ∑ 🙂", String(repeating: "x", count: 1000)]
        out.list(strings) { $0.string($1) }
        out.string(nil as String?)
        out.int(-42)
        out.int(nil as Int?)
        out.int(0)
        out.bool(true)
        out.double(1e-9)
        out.double(0.1 + 0.2)
        out.double(nil)
        let text = out.text
        let read = try FieldReader.read(text) { (input: inout FieldReader) throws(FieldReader.Damaged) in
            (try input.list { (input: inout FieldReader) throws(FieldReader.Damaged) in try input.string() },
             try input.optionalString(), try input.int(), try input.optionalInt(), try input.int(), try input.bool(),
             try input.double(), try input.double(), try input.double())
        }
        #expect(read.0 == strings)
        #expect(read.1 == nil && read.2 == -42 && read.3 == nil && read.4 == 0 && read.5)
        #expect(read.6 == 1e-9 && read.7 == 0.1 + 0.2 && read.8 == nil)
    }

    @Test func damagedTextIsAnErrorNeverAnotherValue() {
        func readString(_ text: String) -> String? {
            try? FieldReader.read(text) { (input: inout FieldReader) throws(FieldReader.Damaged) in try input.string() }
        }
        #expect(readString("3:abc") == "abc")
        #expect(readString("4:abc") == nil)     // truncated
        #expect(readString("2:abc") == nil)     // left over
        #expect(readString("1:é") == nil)       // cuts a character
        #expect(readString("x:abc") == nil)
        #expect(readString("") == nil)
        #expect((try? FieldReader.read("12") { (input: inout FieldReader) throws(FieldReader.Damaged) in try input.int() }) == nil)
        #expect((try? FieldReader.read("2;") { (input: inout FieldReader) throws(FieldReader.Damaged) in try input.bool() }) == nil)
    }
}
