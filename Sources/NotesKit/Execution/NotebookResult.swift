import Foundation
import NotebookSupport

/// What running a note's program produced: per-cell outputs and outcomes, and inline values.
///
/// Cells and inline values are numbered as in the program (their positions among the note's
/// cells and inline values), which prose edits do not change: this is what the cache stores.
/// Locations are values (`ProgramLocation`), never text; the verdict maps them to the note.
/// Holds only deterministic data (no timings, no paths of temporary files).
struct NotebookResult: Codable, Sendable, Equatable {
    /// How one cell ended.
    enum Outcome: Codable, Sendable, Equatable {
        /// Ran to its end (or, for `expect=`, failed in the expected way).
        case passed
        /// Did not do what it should.
        case failed(Failure)
        /// Not run, because an earlier cell stopped the program.
        case notRun
    }

    /// What went wrong, and where in the program, when that is known.
    struct Failure: Codable, Sendable, Equatable {
        var message: String
        var location: ProgramLocation?

        init(_ message: String, at location: ProgramLocation? = nil) {
            self.message = message
            self.location = location
        }
    }

    /// A chart, table, image grid or expectation a cell sent to the page.
    enum RichOutput: Codable, Sendable, Equatable {
        case chart(json: String)
        case table(json: String)
        case images(json: String)
        case expectation(ExpectationRecord)
    }

    /// One cell's result.
    struct CellResult: Codable, Sendable, Equatable {
        var index: Int
        var outcome: Outcome
        var stdout: String = ""
        /// What the program itself wrote to stderr in this cell.
        var stderr: String = ""
        var rich: [RichOutput] = []
        /// The compiler's errors in this cell (for a compile failure or `expect=compile-error`).
        var compilerErrors: [CompilerDiagnostic] = []
        /// How the cell crashed, when it did (or was expected to).
        var crash: CrashReport?

        /// The expectations the cell recorded, in order.
        var expectations: [ExpectationRecord] {
            rich.compactMap { if case .expectation(let record) = $0 { return record } else { return nil } }
        }
    }

    /// An evaluated `{swift} expr`.
    enum InlineValue: Codable, Sendable, Equatable {
        case value(String)
        /// The value itself failed: it does not compile, it threw, or it crashed.
        case error(Failure)
        /// Something else stopped the program before the value (reported on its own).
        case notEvaluated(String)
    }

    /// What the build made of the note's live cells.
    struct Live: Codable, Sendable, Equatable {
        /// The WebAssembly module of the note's widgets, or nil when it could not be built.
        var module: Data?
        /// Why there is no module when the cells are fine (no WebAssembly target here), for one log line.
        var unavailable: String?
        /// Each widget's first frame, from the native run, by its cell's index: the page's static figure.
        var firstFrames: [Int: LiveFrame] = [:]
        /// Each widget's last frame of its scenario, from the native run, by its cell's index.
        var lastFrames: [Int: LiveFrame] = [:]
        /// How many frames of its scenario each widget ran, by its cell's index.
        var scenarioFrames: [Int: Int] = [:]
    }

    var cells: [CellResult]
    /// Inline value index → canonical text (or the error it raised).
    var inlineValues: [Int: InlineValue]
    /// The live cells' module and figures, when the note has live cells.
    var live: Live?

    init(cells: [CellResult], inlineValues: [Int: InlineValue] = [:]) {
        self.cells = cells
        self.inlineValues = inlineValues
    }

    /// SHA-256 of the result's JSON with sorted keys: equal results, equal digests.
    var digest: String? {
        CellResultCache.encode(self).map(Digest.sha256Hex)
    }

    /// The result of cell `index`, if it is a runnable cell.
    func cell(_ index: Int) -> CellResult? { cells.first { $0.index == index } }
}
