import Foundation
import NotebookSupport

/// The judgement of a note's cells and inline values: what passed, what failed, why and where.
///
/// This is where the program's numbering meets the note: each cell's result is attached to the
/// cell (and so to its node in the Markdown tree), each `ProgramLocation` becomes a
/// `NoteLocation`, and every message the page or the terminal shows is made here, once.
struct NotebookVerdict: Sendable {
    /// One cell's final status, combining its run with its expected output.
    enum Status: Sendable, Equatable {
        case passed
        case failed(String)
        /// Not run because an earlier cell stopped the program, or cells were not run at all.
        case notRun
        /// `no-run`: shown only.
        case skipped
    }

    /// An expectation a cell recorded, and where it stands in the note.
    struct Expectation: Sendable {
        var record: ExpectationRecord
        var location: NoteLocation?

        /// `notes/NAME.md:LINE`, as the page and stderr show it.
        var place: String {
            location.map(DiagnosticFormatter.location) ?? DiagnosticFormatter.location(file: record.file, line: record.line)
        }
    }

    struct CellVerdict: Sendable {
        var cell: Notebook.Cell
        var status: Status
        var result: NotebookResult.CellResult?
        /// Set when the cell ran but its output differs from its ```` ```output ```` block.
        var outputMismatch: OutputMatcher.Mismatch?
        /// What the cell printed to stdout.
        var stdout: String { result?.stdout ?? "" }
        /// Stderr as shown: what the cell wrote, then its compiler errors and crash, located in the note.
        var stderr = ""
        var expectations: [Expectation] = []
        /// For a widget cell: its number in the note's module and its first frame, from the native run.
        var widget: (number: Int, firstFrame: LiveFrame?)?

        /// Stdout, then stderr, for a failure's detail.
        var output: String { [stdout, stderr].filter { !$0.isEmpty }.joined(separator: "\n") }
    }

    /// An inline value as the page shows it.
    enum InlineValue: Sendable, Equatable {
        case value(String)
        case failed(String)
    }

    var cells: [CellVerdict] = []
    var failures: [CellFailure] = []
    /// The note's WebAssembly module of widgets, when it was built.
    var liveModule: Data?
    /// SHA-256 of the result judged (its stored form), or nil when the note did not run: the
    /// verdict is a function of the note and this, so the page cache keys on it.
    var resultDigest: String?
    /// Each inline value's verdict, by its code span's node.
    var inlineValues: [MarkdownNode.ID: InlineValue] = [:]
    private var cellPositions: [MarkdownNode.ID: Int] = [:]

    init(note: Note, result: NotebookResult?) {
        let notebook = note.notebook
        func place(_ location: ProgramLocation?) -> NoteLocation? {
            location.flatMap { location in
                // An inline value's column counts in the generated `return (…)`, not in the prose: dropped.
                let column = if case .cell = location.unit { location.column } else { Int?.none }
                return notebook.line(of: location).map { NoteLocation(file: note.file, line: $0, column: column) }
            }
        }
        func describe(_ failure: NotebookResult.Failure) -> String {
            guard let location = place(failure.location) else { return failure.message }
            return failure.message + " (at \(DiagnosticFormatter.location(location)))"
        }
        liveModule = result?.live?.module
        resultDigest = result?.digest
        let widgetNumbers = Dictionary(uniqueKeysWithValues: notebook.widgetCells.enumerated().map { ($1.index, $0) })
        for cell in notebook.cells {
            var verdict = CellVerdict(cell: cell, status: cell.options.run ? .notRun : .skipped, result: result?.cell(cell.index))
            if let number = widgetNumbers[cell.index] { verdict.widget = (number, result?.live?.firstFrames[cell.index]) }
            if let cellResult = verdict.result {
                verdict.expectations = cellResult.expectations.map { record in
                    Expectation(record: record, location: place(RuntimeProtocol.Unit(fileName: record.file).map {
                        ProgramLocation(unit: $0, line: record.line)
                    }))
                }
                verdict.stderr = Self.stderr(of: cellResult, expectations: verdict.expectations, place: place)
                switch cellResult.outcome {
                case .passed:
                    verdict.status = .passed
                    let failed = verdict.expectations.filter { !$0.record.passed }
                    if let first = failed.first {
                        verdict.status = .failed("\(failed.count) of \(verdict.expectations.count) expectations failed; first: \(first.record.message)")
                    }
                    for expectation in failed {
                        failures.append(CellFailure(file: note.file, line: expectation.location?.line ?? cell.firstLine, cell: cell,
                                                    message: "expectation failed: \(expectation.record.message)", output: verdict.output))
                    }
                    if let expected = cell.expectedOutput,
                       let mismatch = OutputMatcher.compare(expected: expected.text, actual: cellResult.stdout, options: expected.options) {
                        verdict.outputMismatch = mismatch
                        verdict.status = .failed("output differs from the expected output (line \(mismatch.line)): \(mismatch.message)")
                        failures.append(CellFailure(file: note.file, line: expected.fenceLine + mismatch.line, cell: cell,
                                                    message: "cell output differs from the ```output block: \(mismatch.message)",
                                                    output: cellResult.stdout))
                    }
                case .failed(let failure):
                    let message = describe(failure)
                    verdict.status = .failed(message)
                    let line = place(failure.location ?? cellResult.compilerErrors.first?.location)?.line ?? cell.firstLine
                    failures.append(CellFailure(file: note.file, line: line, cell: cell, message: message, output: verdict.output))
                case .notRun:
                    verdict.status = .notRun
                }
            }
            cellPositions[cell.node] = cells.count
            cells.append(verdict)
        }
        for value in notebook.inlineValues {
            switch result?.inlineValues[value.index] {
            case .value(let text)?:
                inlineValues[value.node] = .value(text)
            case .error(let failure)?:
                let message = describe(failure)
                inlineValues[value.node] = .failed(message)
                failures.append(CellFailure(file: note.file, line: value.line, cell: nil,
                                            message: "inline value `{swift} \(value.expression)` failed: \(message)", output: ""))
            case .notEvaluated(let reason)?:
                inlineValues[value.node] = .failed("not evaluated: " + reason)
            case nil:
                if result != nil {
                    // The program ran but never reached the value: something before it stopped the note.
                    inlineValues[value.node] = .failed("not evaluated: an earlier cell or inline value stopped the note")
                }
            }
        }
        failures.sort { $0.line < $1.line }
    }

    /// The verdict of the cell whose code block is `node`.
    func cell(_ node: MarkdownNode.ID) -> CellVerdict? { cellPositions[node].map { cells[$0] } }

    /// A cell's stderr as shown: its own text and a line for each failed expectation, then its
    /// compiler errors, then its crash.
    private static func stderr(of result: NotebookResult.CellResult, expectations: [Expectation],
                               place: (ProgramLocation?) -> NoteLocation?) -> String {
        func located(_ location: ProgramLocation?) -> String {
            place(location).map(DiagnosticFormatter.location) ?? "the generated program"
        }
        var text = result.stderr
        for expectation in expectations where !expectation.record.passed {
            text += "expectation failed at \(expectation.place): \(expectation.record.message)\n"
        }
        if result.crash != nil { text = text.trimmingTrailingNewlines() }
        var parts = [text]
        for error in result.compilerErrors {
            parts.append("\(located(error.location)): error: \(error.message)" + (error.excerpt.isEmpty ? "" : "\n" + error.excerpt))
        }
        if let crash = result.crash {
            let failure = crash.failure
            parts.append(failure.message + (failure.location == nil ? "" : " (at \(located(failure.location)))"))
        }
        return parts.filter { !$0.isEmpty }.joined(separator: "\n")
    }
}

/// A cell (or inline value) that failed, for `notes check` and a failed build.
struct CellFailure: Sendable {
    var file: String
    var line: Int
    /// The cell, or nil for an inline value.
    var cell: Notebook.Cell?
    var message: String
    /// What the cell printed (stdout, then stderr).
    var output: String

    /// The failure as a diagnostic line.
    var diagnostic: Diagnostic { .error(file, line: line, message) }

    /// The failure as a diagnostic with the cell's code and output as its detail.
    var diagnosticWithDetail: Diagnostic {
        var parts: [String] = []
        if let cell {
            parts.append("code (\(DiagnosticFormatter.location(file: file, line: cell.firstLine))):\n" + cell.code.trimmingTrailingNewlines())
        }
        if !output.isEmpty { parts.append("output:\n" + output.trimmingTrailingNewlines()) }
        return Diagnostic(.error, file: file, line: line, message, detail: parts.isEmpty ? nil : parts.joined(separator: "\n"))
    }
}
