import Foundation
import Testing
@testable import NotesKit

/// The course in `notes/` itself, as CI checks it: every cell passes and every labelled equation
/// is verified (`notes check --require-verified`).
@Suite("The course (slow: compiles notes)") struct CourseTests {
    static let notes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("notes")

    @Test func everyCellPassesAndEveryEquationIsVerified() throws {
        TestEnvironment.prepare()
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("notes-course-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let options = BuildOptions(notes: Self.notes, output: cache.appendingPathComponent("site"), cache: cache)
        let report = try NotesChecker(options: options).check(requireVerified: true)
        #expect(report.failures.isEmpty, "\(report.failures.map(\.description).joined(separator: "\n"))")
        #expect(report.verification.entries.count >= 11)
        #expect(report.verification.verifiedCount == report.verification.entries.count)
        let backprop = report.verification.entries.filter { $0.file.hasSuffix("backprop.md") }.map(\.label)
        for label in ["eq-z", "eq-a", "eq-cost", "eq-delta", "eq-bp1", "eq-bp2", "eq-bp3", "eq-bp4", "eq-gd-step"] {
            #expect(backprop.contains(label), "backprop.md lacks \(label)")
        }
        // The extractor and the renderer agree on every note: each notebook node is on its page,
        // and each cell that shows anything has its anchor there.
        for note in report.notes {
            let verdict = report.verdicts[note.slug]
            let body = NotePageRenderer(note: note, index: try EquationIndex(notes: report.notes), math: [:],
                                        verdict: verdict, verification: report.verification).render()
            #expect(body.unplaced.isEmpty, "\(note.file): \(body.unplaced)")
            for cell in verdict?.cells ?? [] where !CellRenderer.render(cell).isEmpty {
                #expect(body.html.contains("id=\"\(cell.cell.anchor)\""), "\(note.file): \(cell.cell.anchor) is not on the page")
            }
        }
    }
}
