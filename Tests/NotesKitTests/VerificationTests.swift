import Foundation
import Testing
@testable import NotesKit

/// Equation-linked tests: badges, the report, `--require-verified` (slow: compiles the notes once).
@Suite("Verification (slow: compiles notes)", .serialized) struct VerificationTests {
    static let fixtures = Bundle.module.url(forResource: "Fixtures/verify", withExtension: nil)!

    /// The fixture course built once, with failures kept on the pages.
    static let built: Result<(root: URL, summary: BuildSummary), DiagnosticsError> = {
        TestEnvironment.prepare()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("notes-verify-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: fixtures, to: root.appendingPathComponent("notes"))
        } catch {
            return .failure(DiagnosticsError([.error(root.path, line: nil, "\(error)")]))
        }
        var options = BuildOptions(notes: root.appendingPathComponent("notes"), output: root.appendingPathComponent("site"),
                                   cache: root.appendingPathComponent(".cache"))
        options.keepGoing = true
        do throws(DiagnosticsError) {
            return .success((root, try SiteBuilder(options: options).build()))
        } catch {
            return .failure(error)
        }
    }()

    static func page(_ name: String) throws -> String {
        let (root, _) = try built.get()
        return try String(contentsOf: root.appendingPathComponent("site/\(name)"), encoding: .utf8)
    }

    @Test func passingEquationsAreVerifiedWithTheirEvidence() throws {
        let html = try Self.page("equations.html")
        #expect(html.contains("<div class=\"equation\" id=\"eq-sigma\">"))
        #expect(html.contains("<span class=\"eq-badge eq-verified\"><span class=\"eq-badge-status\">✓ verified</span> "
                              + "<span class=\"eq-badge-facts\">1 test · 10 expectations · max rel. error"))
        #expect(html.contains("<a href=\"#cell-sigma-tests\" class=\"\">test 1</a>"))
        // One test block verifies two equations, and links back to both.
        #expect(html.contains("Tests <a class=\"eq-ref\" href=\"#eq-sigma\">(1)</a>, <a class=\"eq-ref\" href=\"#eq-sigma-prime\">(2)</a> · 10 of 10 expectations held"))
    }

    @Test func failingEquationShowsTheFailureAndLinksToItsTest() throws {
        let html = try Self.page("equations.html")
        #expect(html.contains("<span class=\"eq-badge eq-failed\" role=\"alert\"><span class=\"eq-badge-status\">✗ failed</span> <a href=\"#cell-3\" title=\"2 of 3 expectations failed"))
        #expect(html.contains("2 of 3 expectations failed; first: σ&#x27; = σ²") || html.contains("2 of 3 expectations failed; first: σ' = σ²"))
        #expect(html.contains("notes/equations.md:46</code>")) // the failing line inside the loop
        #expect(html.contains("<span class=\"eq-badge eq-unverified\">"))
    }

    @Test func reportListsEveryEquationWithTotals() throws {
        let report = try Self.page("verification.html")
        #expect(report.contains("3 of 5 equations verified") == false)
        #expect(report.contains("2 of 5 equations verified"))
        for label in ["eq-sigma", "eq-sigma-prime", "eq-wrong", "eq-euler", "eq-boundary"] {
            #expect(report.contains("<code>\(label)</code>"), "report lacks \(label)")
        }
        #expect(report.contains("<tr class=\"report-failed\">"))
        #expect(report.contains("<tr class=\"report-unverified\">"))
        let index = try Self.page("index.html")
        #expect(index.contains("<a href=\"verification.html\">2 of 5 equations verified</a>"))
    }

    @Test func failuresAreReportedAtTheExpectationLines() throws {
        let (_, summary) = try Self.built.get()
        let lines = summary.failures.map { "\($0.file.split(separator: "/").suffix(2).joined(separator: "/")):\($0.line ?? 0)" }
        #expect(lines.contains("notes/equations.md:46"))
        #expect(lines.filter { $0 == "notes/equations.md:46" }.count == 2) // z = 1 and z = 2 fail, z = 0 holds
        #expect(lines.contains("notes/boundary.md:13")) // just outside
        #expect(lines.contains("notes/boundary.md:15")) // matrix outside
        #expect(!lines.contains("notes/boundary.md:12") && !lines.contains("notes/boundary.md:14"))
        #expect(summary.failures.contains { $0.message.contains("not close at [1][0]: got 3, expected 3.001") })
    }

    @Test func requireVerifiedFailsOnUntestedEquations() throws {
        let (root, _) = try Self.built.get()
        let options = BuildOptions(notes: root.appendingPathComponent("notes"), output: root.appendingPathComponent("unused"),
                                   cache: root.appendingPathComponent(".cache"))
        let relaxed = try NotesChecker(options: options).check()
        #expect(!relaxed.failures.contains { $0.message.contains("is not verified") })
        let strict = try NotesChecker(options: options).check(requireVerified: true)
        let untested = strict.failures.filter { $0.message.contains("is not verified") }
        #expect(untested.count == 1)
        #expect(untested.first?.line == 25)
        #expect(untested.first?.message == "equation (3) {#eq-euler} is not verified: no test block refers to it (add a ```swift test=eq-euler block)")
    }

    @Test func testOfAnUnknownLabelIsAnErrorAtTheBlock() throws {
        var warnings: [Diagnostic] = []
        let note = try NoteLoader.parse("---\ntitle: T\n---\n\n$$x$$ {#eq-x}\n\n```swift test=eq-y\nexpect(true)\n```\n",
                                        file: "notes/t.md", slug: "t", warnings: &warnings)
        let error = #expect(throws: DiagnosticsError.self) { try EquationIndex(notes: [note]) }
        #expect(error?.diagnostics.map(\.description) == ["notes/t.md:7: error: test block refers to unknown equation label 'eq-y' (test=eq-y)"])
    }
}
