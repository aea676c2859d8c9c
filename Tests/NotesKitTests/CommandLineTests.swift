import Foundation
import Testing

/// The `notes` binary end to end: help texts, exit statuses and diagnostics as a user sees them.
@Suite struct CommandLineTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `notes` executable built next to this test bundle.
    static var binary: URL {
        var directory = Bundle.main.bundleURL
        if directory.pathExtension == "xctest" { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("notes")
    }

    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func helpExplainsTheCommands() throws {
        let root = try Self.run(["--help"])
        #expect(root.status == 0)
        #expect(root.stdout.contains("Turn Markdown derivation notes into a static website."))
        #expect(root.stdout.contains("build"))
        #expect(root.stdout.contains("Exit status: 0 on success, 1 when the notes have errors, 2 on usage errors, 130"))
        let build = try Self.run(["build", "--help"])
        #expect(build.status == 0)
        for option in ["--notes <dir>", "--output <dir>", "--theme <dir>", "(default: notes)", "(default: site)"] {
            #expect(build.stdout.contains(option), "build --help lacks \(option)")
        }
    }

    @Test func usageErrorsExitWithTwo() throws {
        let run = try Self.run(["build", "--bogus"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("Unknown option '--bogus'"))
        #expect(try Self.run(["frobnicate"]).status == 2)
    }

    @Test func errorsInNotesExitWithOneAndNameFileAndLine() throws {
        let (root, notes, _) = try SiteBuilderTests.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        try "---\ntitle: Broken\n---\n\nText\n\nSee @eq-missing.\n".write(to: notes.appendingPathComponent("broken.md"),
                                                                        atomically: true, encoding: .utf8)
        let run = try Self.run(["build"], in: root)
        #expect(run.status == 1)
        #expect(run.stderr.contains("notes/broken.md:7: error: unknown equation label 'eq-missing'"))
        #expect(run.stderr.contains("Build failed with 1 error; site/ was left as it was."))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("site").path))
    }

    @Test func successPrintsProgressAndOneSummaryLine() throws {
        let (root, _, site) = try SiteBuilderTests.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try Self.run(["build"], in: root)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("reading notes/chain.md"))
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("Built 5 pages from 2 notes, 2 display equations") == true)
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("index.html").path))
        let quiet = try Self.run(["build", "--quiet"], in: root)
        #expect(quiet.stderr.isEmpty)
        #expect(quiet.stdout.contains("from cache"))
    }
}

/// `notes check` as CI runs it.
@Suite("notes check (slow: compiles notes)") struct CheckCommandTests {
    static func failingWorkspace() throws -> URL {
        TestEnvironment.prepare()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("notes-check-\(UUID().uuidString)")
        let fixtures = Bundle.module.url(forResource: "Fixtures/cells-failing", withExtension: nil)!
        try FileManager.default.createDirectory(at: root.appendingPathComponent("notes"), withIntermediateDirectories: true)
        for name in ["crash.md", "expectations.md"] {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name),
                                             to: root.appendingPathComponent("notes/\(name)"))
        }
        return root
    }

    @Test func failuresExitWithOneAndNameTheLineWithCodeAndOutput() throws {
        let root = try Self.failingWorkspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try CommandLineTests.run(["check", "--junit", "report.xml"], in: root)
        #expect(run.status == 1)
        #expect(run.stderr.contains("notes/crash.md:13: error: crashed with signal 4"))
        #expect(run.stderr.contains("    code (notes/crash.md:11):\n    print(\"second cell starts\")"))
        #expect(run.stderr.contains("    output:\n    second cell starts"))
        #expect(run.stderr.contains("notes/expectations.md:18: error: cell output differs from the ```output block: expected 0.6666680, got 0.6666666666666666"))
        #expect(run.stdout.hasPrefix("Checked 2 notes: 8 cells (5 failed), 2 notes run, 0 from cache"))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("site").path))

        let xml = try String(contentsOf: root.appendingPathComponent("report.xml"), encoding: .utf8)
        #expect(xml.contains("<testsuites name=\"notes check\" tests=\"8\" failures=\"5\""))
        #expect(xml.contains("<testcase classname=\"notes/crash.md\" name=\"cell 3 (line 17)\" file=\"notes/crash.md\" line=\"17\"><skipped"))

        let github = try CommandLineTests.run(["check", "--format", "github", "--quiet"], in: root)
        #expect(github.status == 1)
        #expect(github.stdout.contains("::error file=notes/crash.md,line=13::crashed with signal 4"))
        #expect(github.stdout.contains("%0Acode (notes/crash.md:11):%0Aprint(\"second cell starts\")"))
        #expect(github.stdout.contains("2 notes run, 0 from cache") == false) // the second run used the cache
        #expect(github.stdout.contains("0 notes run, 2 from cache"))
    }

    @Test func buildFailsOnAFailedCellUnlessKeepGoing() throws {
        let root = try Self.failingWorkspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let failed = try CommandLineTests.run(["build", "--quiet"], in: root)
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("Build failed with 6 errors; site/ was left as it was."))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("site").path))

        let kept = try CommandLineTests.run(["build", "--quiet", "--keep-going"], in: root)
        #expect(kept.status == 0)
        #expect(kept.stderr.contains("Published with 6 failures marked on the pages (--keep-going)."))
        let page = try String(contentsOf: root.appendingPathComponent("site/crash.html"), encoding: .utf8)
        #expect(page.contains("<div class=\"cell-result cell-failed\" id=\"cell-2\">"))
        #expect(page.contains("<strong>Failed:</strong> crashed with signal 4"))
        #expect(page.contains("Not run: an earlier cell stopped the note."))
    }
}

/// Where the command line may read and write: usage errors before anything runs (issue 10).
@Suite struct OutputPathTests {
    static func workspace() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("notes-paths-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("notes"), withIntermediateDirectories: true)
        try "---\ntitle: A\n---\n\nText.\n".write(to: root.appendingPathComponent("notes/a.md"), atomically: true, encoding: .utf8)
        return root
    }

    @Test func aCacheInsideTheSiteIsAUsageErrorAndTheSiteIsUntouched() throws {
        let root = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try CommandLineTests.run(["build", "-q"], in: root).status == 0)
        let before = try SiteBuilderTests.snapshot(root.appendingPathComponent("site"))
        for arguments in [["--cache", "site"], ["--cache", "site/cache"], ["--output", "notes"], ["--output", "notes/site"]] {
            let run = try CommandLineTests.run(["build"] + arguments, in: root)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("overlap"), "\(arguments): \(run.stderr)")
        }
        #expect(try SiteBuilderTests.snapshot(root.appendingPathComponent("site")) == before)
    }

    @Test func aJUnitReportNeverOverwritesANoteAndWriteErrorsFail() throws {
        let root = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let note = try String(contentsOf: root.appendingPathComponent("notes/a.md"), encoding: .utf8)
        let onNote = try CommandLineTests.run(["check", "--junit", "notes/a.md"], in: root)
        #expect(onNote.status == 2)
        #expect(try String(contentsOf: root.appendingPathComponent("notes/a.md"), encoding: .utf8) == note)
        let full = try CommandLineTests.run(["check", "--junit", "/dev/full"], in: root)
        #expect(full.status == 1)
        #expect(full.stderr.contains("cannot write /dev/full"))
        #expect(FileManager.default.fileExists(atPath: "/dev/full"))
    }

    @Test func aSymlinkedOutputStaysALinkToTheNewSite() throws {
        let root = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("site").path, withDestinationPath: "public")
        #expect(try CommandLineTests.run(["build", "-q"], in: root).status == 0)
        #expect(try CommandLineTests.run(["build", "-q"], in: root).status == 0)
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: root.appendingPathComponent("site").path)
        #expect(link == "public")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("public/a.html").path))
    }
}
