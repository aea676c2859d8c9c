/// The judgement of a note's cells: what passed, what failed and why, with file:line.
public struct NotebookVerdict: Sendable {
    /// One cell's final status, combining its run with its expected output.
    public enum Status: Sendable, Equatable {
        case passed
        case failed(String)
        /// Not run because an earlier cell stopped the program, or cells were not run at all.
        case notRun
        /// `no-run`: shown only.
        case skipped
    }

    public struct CellVerdict: Sendable {
        public var cell: Notebook.Cell
        public var status: Status
        public var result: NotebookResult.CellResult?
        /// Set when the cell ran but its output differs from its ```` ```output ```` block.
        public var outputMismatch: OutputMatcher.Mismatch?
    }

    public var cells: [CellVerdict] = []
    public var failures: [CellFailure] = []
    /// Inline value index → its value or error, for rendering.
    public var inlineValues: [Int: NotebookResult.InlineValue] = [:]

    init(note: Note, result: NotebookResult?) {
        inlineValues = result?.inlineValues ?? [:]
        for cell in note.notebook.cells {
            var verdict = CellVerdict(cell: cell, status: cell.options.run ? .notRun : .skipped, result: result?.cell(cell.index))
            if let cellResult = verdict.result {
                switch cellResult.outcome {
                case .passed:
                    verdict.status = .passed
                    let failedExpectations = cellResult.expectations.filter { !$0.passed }
                    if let first = failedExpectations.first {
                        verdict.status = .failed("\(failedExpectations.count) of \(cellResult.expectations.count) expectations failed; first: \(first.message)")
                    }
                    for expectation in failedExpectations {
                        failures.append(CellFailure(file: note.file, line: expectation.line(in: note.file) ?? cell.firstLine, cell: cell,
                                                    message: "expectation failed: \(expectation.message)",
                                                    output: [cellResult.stdout, cellResult.stderr].filter { !$0.isEmpty }.joined(separator: "\n")))
                    }
                    if let expected = cell.expectedOutput,
                       let mismatch = OutputMatcher.compare(expected: expected.text, actual: cellResult.stdout, options: expected.options) {
                        verdict.outputMismatch = mismatch
                        verdict.status = .failed("output differs from the expected output (line \(mismatch.line)): \(mismatch.message)")
                        failures.append(CellFailure(file: note.file, line: expected.fenceLine + mismatch.line, cell: cell,
                                                    message: "cell output differs from the ```output block: \(mismatch.message)",
                                                    output: cellResult.stdout))
                    }
                case .failed(let message):
                    verdict.status = .failed(message)
                    failures.append(CellFailure(file: note.file, line: Self.line(in: message + "\n" + cellResult.stderr, file: note.file) ?? cell.firstLine,
                                                cell: cell, message: message,
                                                output: [cellResult.stdout, cellResult.stderr].filter { !$0.isEmpty }.joined(separator: "\n")))
                case .notRun:
                    verdict.status = .notRun
                }
            }
            cells.append(verdict)
        }
        for value in note.notebook.inlineValues {
            if case .error(let message)? = inlineValues[value.index] {
                failures.append(CellFailure(file: note.file, line: value.line, cell: nil,
                                            message: "inline value `{swift} \(value.expression)` failed: \(message)", output: ""))
            }
        }
        failures.sort { $0.line < $1.line }
    }

    /// The first `file:LINE` named in `text`.
    private static func line(in text: String, file: String) -> Int? {
        guard let range = text.range(of: file + ":") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    /// The verdict of cell `index`.
    public func cell(_ index: Int) -> CellVerdict? { cells.first { $0.cell.index == index } }
}

/// A cell (or inline value) that failed, for `notes check` and a failed build.
public struct CellFailure: Sendable {
    public var file: String
    public var line: Int
    /// The cell, or nil for an inline value.
    public var cell: Notebook.Cell?
    public var message: String
    /// What the cell printed (stdout, then stderr).
    public var output: String

    /// The failure as a diagnostic line.
    public var diagnostic: Diagnostic { .error(file, line: line, message) }

    /// The failure as a diagnostic with the cell's code and output as its detail.
    public var diagnosticWithDetail: Diagnostic {
        var parts: [String] = []
        if let cell { parts.append("code (\(file):\(cell.firstLine)):\n" + cell.code.trimmingTrailingNewlines()) }
        if !output.isEmpty { parts.append("output:\n" + output.trimmingTrailingNewlines()) }
        return Diagnostic(.error, file: file, line: line, message, detail: parts.isEmpty ? nil : parts.joined(separator: "\n"))
    }
}
