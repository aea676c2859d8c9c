import Foundation

/// The stages that `notes build` and `notes check` share: load the notes, resolve references,
/// run the cells, typeset the math, and judge every cell.
struct Pipeline {
    let options: BuildOptions
    let log: @Sendable (String) -> Void
    let makeMathRenderer: @Sendable () throws -> any MathRenderer

    /// Everything known about the notes before pages are rendered.
    struct Prepared {
        var notes: [Note]
        var index: EquationIndex
        var execution: Executor.Report
        var verdicts: [String: NotebookVerdict]
        var verification: EquationVerification
        var math: [MathRequest: String]
        var mathCached: Int
        var warnings: [Diagnostic]
        var timings: [String: Double] = [:]

        /// Every failed cell, expected output or expectation, in note and line order.
        var failures: [CellFailure] {
            notes.flatMap { verdicts[$0.slug]?.failures ?? [] }
        }
    }

    func prepare(runCells: Bool = true) throws(DiagnosticsError) -> Prepared {
        let clock = ContinuousClock()
        var timings: [String: Double] = [:]
        var started = clock.now
        var warnings: [Diagnostic] = []
        let notes = try NoteFolder(options: options, log: log).load(warnings: &warnings)
        let index = try EquationIndex(notes: notes)
        timings["load"] = (clock.now - started).seconds

        started = clock.now
        var execution = Executor.Report()
        if runCells {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("notes-build-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: scratch) }
            execution = try Executor(notesFolder: options.notes, cache: options.cache.map { $0.appendingPathComponent("cells") },
                                     scratch: scratch, log: log).run(notes)
            warnings += execution.warnings
        }
        var verdicts: [String: NotebookVerdict] = [:]
        for note in notes {
            verdicts[note.slug] = NotebookVerdict(note: note, result: execution.results[note.slug])
        }
        timings["execute"] = (clock.now - started).seconds

        started = clock.now
        let math = try MathTypesetter(options: options, log: log, makeMathRenderer: makeMathRenderer)
            .typeset(notes, warnings: &warnings)
        timings["math"] = (clock.now - started).seconds
        return Prepared(notes: notes, index: index, execution: execution, verdicts: verdicts,
                        verification: EquationVerification(notes: notes, verdicts: verdicts),
                        math: math.html, mathCached: math.cached, warnings: warnings, timings: timings)
    }
}
