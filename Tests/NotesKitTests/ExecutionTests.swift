import Foundation
import Testing
@testable import NotesKit

/// Compiling and running cells (slow: each test compiles Swift programs; they share one cache).
@Suite(.serialized) struct ExecutionTests {
    static let fixtures = Bundle.module.url(forResource: "Fixtures/cells", withExtension: nil)!

    static func load(_ name: String, from folder: URL = fixtures) throws -> Note {
        var warnings: [Diagnostic] = []
        return try NoteLoader.load(folder.appendingPathComponent(name), file: "notes/\(name)", warnings: &warnings)
    }

    static func run(_ notes: [Note], cache: URL?, folder: URL = fixtures) throws -> Executor.Report {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("notes-exec-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        return try Executor(notesFolder: folder, cache: cache, scratch: scratch, log: { _ in }).run(notes)
    }

    @Test func smoke() throws {
        let note = try Self.load("basics.md")
        let report = try Self.run([note], cache: nil)
        let result = try #require(report.results["basics"])
        for cell in result.cells { print(cell) }
        print(result.inlineValues)
    }
}
