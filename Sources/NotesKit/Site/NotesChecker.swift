import Foundation

/// `notes check`: the build's stages without rendering or publishing, for CI.
public struct NotesChecker {
    public let options: BuildOptions
    private let log: @Sendable (String) -> Void
    private let makeMathRenderer: @Sendable () throws -> any MathRenderer

    public init(options: BuildOptions, log: @escaping @Sendable (String) -> Void = { _ in },
                mathRenderer: (@Sendable () throws -> any MathRenderer)? = nil) {
        self.options = options
        self.log = log
        self.makeMathRenderer = mathRenderer ?? { try KaTeXRenderer() }
    }

    /// What a check found.
    public struct Report: Sendable {
        public var failures: [Diagnostic]
        public var warnings: [Diagnostic]
        public var cells: CellCounts
        public var seconds: Double
        var notes: [Note]
        var verdicts: [String: NotebookVerdict]
        var verification: EquationVerification
        /// Whether only one shard's cells ran, so other equations' tests may not have.
        var sharded = false

        public var noteCount: Int { notes.count }

        /// `; 24 of 24 equations verified` (with the failed ones), or nothing without labelled equations.
        public var equationSummary: String {
            guard !verification.entries.isEmpty else { return "" }
            if sharded {
                return "; \(verification.verifiedCount) of \(verification.entries.count) equations verified by this shard "
                    + "(the rest are judged by the unsharded check)"
            }
            return "; \(verification.verifiedCount) of \(verification.entries.count) equations verified"
                + (verification.failedCount > 0 ? ", \(verification.failedCount) failed" : "")
        }

        /// The check as a JUnit XML report: one test suite per note, one test case per cell.
        public func junitXML() -> String {
            JUnitReport.xml(notes: notes, verdicts: verdicts, seconds: seconds)
        }
    }

    /// Runs every note's cells (from the cache where valid) and judges them; with
    /// `requireVerified`, every labelled equation without a test block is a failure too.
    ///
    /// Errors in the notes themselves (syntax, references, TeX) are thrown; failed cells are
    /// in the report.
    public func check(requireVerified: Bool = false) throws(DiagnosticsError) -> Report {
        let clock = ContinuousClock()
        let started = clock.now
        let pipeline = Pipeline(options: options, log: log, makeMathRenderer: makeMathRenderer)
        var prepared = try pipeline.prepare()
        // A shard checks its notes' cells; math, and which equations are verified (tests may sit in
        // other shards' notes), are the final unsharded check's.
        if options.shard == nil { try pipeline.typeset(prepared.notes, into: &prepared) }
        let verification = prepared.course.verification
        var failures = prepared.failures.map(\.diagnosticWithDetail)
        if requireVerified && options.shard == nil {
            for entry in verification.entries where entry.status == .unverified {
                failures.append(.error(entry.file, line: entry.line,
                                       "equation \(entry.displayName) {#\(entry.label)} is not verified: no test block refers to it "
                                        + "(add a ```swift test=\(entry.label) block)"))
            }
        }
        failures.sort { ($0.file, $0.line ?? 0) < ($1.file, $1.line ?? 0) }
        return Report(failures: failures, warnings: prepared.warnings, cells: CellCounts(prepared),
                      seconds: (clock.now - started).seconds, notes: prepared.notes, verdicts: prepared.course.verdicts,
                      verification: verification, sharded: options.shard != nil)
    }
}
