import Foundation
import Testing
@testable import NotesKit

/// The fuzzer's seed corpus and the inputs it found, replayed through parse → extract → render
/// on every test run (the regression pass of `script/fuzz`).
@Suite struct FuzzCorpusTests {
    static let corpus = Bundle.module.url(forResource: "Fixtures/fuzz-corpus", withExtension: nil)!

    @Test func everyCorpusInputParsesExtractsAndRendersWithoutCrashing() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
        #expect(names.count >= 20)
        var rendered = 0
        for name in names {
            let bytes = try Data(contentsOf: Self.corpus.appendingPathComponent(name))
            if FuzzInput.run(Array(bytes)) != nil { rendered += 1 }
        }
        // Most seeds are valid notes; the hostile ones may stop at their errors.
        #expect(rendered >= names.count / 2, "only \(rendered) of \(names.count) inputs rendered")
    }

    @Test func aValidNoteRendersAndInvalidUTF8IsRejected() {
        let html = FuzzInput.run(Array("---\ntitle: T\n---\n\n$$x$$ {#eq-x}\n\nSee @eq-x.\n".utf8))
        #expect(html?.contains("id=\"eq-x\"") == true, "\(html ?? "nil")")
        #expect(FuzzInput.run([0xC3, 0x28, 0x0A]) == nil)
    }
}
