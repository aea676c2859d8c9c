import Foundation
import Testing
@testable import NotesKit

/// The course in `notes/` itself, as CI checks it: every cell passes and every labelled equation
/// is verified (`notes check --require-verified`).
@Suite struct CourseTests {
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
    }
}
