import Foundation

/// `notes check`: the build's stages without rendering or publishing, for CI.
public struct NotesChecker {
    public let options: BuildOptions
    private let log: @Sendable (String) -> Void

    public init(options: BuildOptions, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options
        self.log = log
    }

    /// What a check found.
    public struct Report: Sendable {
        public var notes: [Note]
        public var verdicts: [String: NotebookVerdict]
        public var failures: [Diagnostic]
        public var warnings: [Diagnostic]
        public var cells: CellCounts
        public var seconds: Double
    }

    /// Runs every note's cells (from the cache where valid) and judges them.
    ///
    /// Errors in the notes themselves (syntax, references, TeX) are thrown; failed cells are
    /// in the report.
    public func check() throws(DiagnosticsError) -> Report {
        let clock = ContinuousClock()
        let started = clock.now
        let prepared = try Pipeline(options: options, log: log, makeMathRenderer: { try KaTeXRenderer() }).prepare()
        return Report(notes: prepared.notes, verdicts: prepared.verdicts,
                      failures: prepared.failures.map(\.diagnosticWithDetail), warnings: prepared.warnings,
                      cells: CellCounts(prepared), seconds: (clock.now - started).seconds)
    }
}
