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
        public var verification: EquationVerification
        public var seconds: Double
    }

    /// Runs every note's cells (from the cache where valid) and judges them; with
    /// `requireVerified`, every labelled equation without a test block is a failure too.
    ///
    /// Errors in the notes themselves (syntax, references, TeX) are thrown; failed cells are
    /// in the report.
    public func check(requireVerified: Bool = false) throws(DiagnosticsError) -> Report {
        let clock = ContinuousClock()
        let started = clock.now
        let prepared = try Pipeline(options: options, log: log, makeMathRenderer: { try KaTeXRenderer() }).prepare()
        var failures = prepared.failures.map(\.diagnosticWithDetail)
        if requireVerified {
            for entry in prepared.verification.entries where entry.status == .unverified {
                failures.append(.error(entry.file, line: entry.line,
                                       "equation \(entry.displayName) {#\(entry.label)} is not verified: no test block refers to it "
                                        + "(add a ```swift test=\(entry.label) block)"))
            }
        }
        failures.sort { ($0.file, $0.line ?? 0) < ($1.file, $1.line ?? 0) }
        return Report(notes: prepared.notes, verdicts: prepared.verdicts, failures: failures, warnings: prepared.warnings,
                      cells: CellCounts(prepared), verification: prepared.verification,
                      seconds: (clock.now - started).seconds)
    }
}
