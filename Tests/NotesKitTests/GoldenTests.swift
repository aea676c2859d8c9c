import Foundation
import Testing
@testable import NotesKit

/// Golden files: each fixture notes folder is built through the whole pipeline, and each note's
/// body HTML and the folder's diagnostics are compared byte for byte with the files checked in
/// beside it, in `Fixtures/NAME/expected/` (mdBook's habit). Slow: compiles and runs the notes.
///
/// After an intended change, regenerate them and review the diff:
///
///     NOTES_UPDATE_GOLDEN=1 swift test --filter GoldenTests
@Suite("Golden files (slow: compiles notes)", .serialized) struct GoldenTests {
    /// The fixture folders with golden files.
    static let fixtures = ["cells", "cells-failing", "verify", "site-basic", "inline-values", "broken-syntax", "broken-references"]

    /// The copy of the fixtures the tests run (cells run in their notes folder, so not in the source tree).
    static let bundled = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    /// The checked-in fixtures, where golden files are read from and written to.
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let updating = ProcessInfo.processInfo.environment["NOTES_UPDATE_GOLDEN"] == "1"

    /// What the pipeline makes of a fixture folder: each note's body by page name, and the diagnostics.
    static func outputs(of fixture: String) throws -> [String: String] {
        TestEnvironment.prepare()
        // Paths in diagnostics are relative to the fixtures folder, as `cells-failing/crash.md`.
        let options = BuildOptions(notes: bundled.appendingPathComponent(fixture), output: bundled.appendingPathComponent("unused"),
                                   workingDirectory: bundled)
        var files: [String: String] = [:]
        do {
            let pipeline = Pipeline(options: options, log: { _ in }, makeMathRenderer: { try KaTeXRenderer() })
            var prepared = try pipeline.prepare()
            try pipeline.typeset(prepared.notes, into: &prepared)
            let course = prepared.course
            for note in course.notes {
                let body = NotePageRenderer(note: note, index: course.index, math: course.math,
                                            verdict: course.verdicts[note.slug], verification: course.verification).render()
                #expect(body.unplaced.isEmpty, "\(note.file): the page lost notebook nodes \(body.unplaced)")
                files[note.href] = body.html
            }
            files["diagnostics.txt"] = text(prepared.warnings + prepared.failures.map(\.diagnosticWithDetail))
        } catch {
            files["diagnostics.txt"] = text(error.diagnostics)
        }
        return files
    }

    static func text(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { DiagnosticFormatter.format($0, style: .text) + "\n" }.joined()
    }

    @Test(arguments: fixtures) func matchesItsGoldenFiles(fixture: String) throws {
        let outputs = try Self.outputs(of: fixture)
        let expected = Self.source.appendingPathComponent(fixture).appendingPathComponent("expected")
        if Self.updating {
            try? FileManager.default.removeItem(at: expected)
            try FileManager.default.createDirectory(at: expected, withIntermediateDirectories: true)
            for (name, text) in outputs { try text.write(to: expected.appendingPathComponent(name), atomically: true, encoding: .utf8) }
            return
        }
        let goldenNames = try FileManager.default.contentsOfDirectory(atPath: expected.path).sorted()
        #expect(goldenNames == outputs.keys.sorted(), "the fixture's pages differ from its golden files")
        for (name, text) in outputs.sorted(by: { $0.key < $1.key }) {
            let golden = try? String(contentsOf: expected.appendingPathComponent(name), encoding: .utf8)
            #expect(text == golden, "\(fixture)/expected/\(name) differs (NOTES_UPDATE_GOLDEN=1 swift test --filter GoldenTests regenerates it)")
        }
    }
}
