/// What running a note produced: per-cell outputs and outcomes, and inline values.
///
/// Stored in the cache as JSON, so it holds only deterministic data (no timings, no paths of
/// temporary files).
public struct NotebookResult: Codable, Sendable, Equatable {
    /// How one cell ended.
    public enum Outcome: Codable, Sendable, Equatable {
        /// Ran to its end (or, for `expect=`, failed in the expected way).
        case passed
        /// Did not do what it should; `message` says what happened.
        case failed(message: String)
        /// Not run, because an earlier cell stopped the program.
        case notRun
    }

    /// A chart, table or expectation record a cell sent to the page.
    public enum RichOutput: Codable, Sendable, Equatable {
        case chart(json: String)
        case table(json: String)
        case expectation(json: String)
    }

    /// One cell's result.
    public struct CellResult: Codable, Sendable, Equatable {
        public var index: Int
        public var outcome: Outcome
        public var stdout: String = ""
        public var stderr: String = ""
        public var rich: [RichOutput] = []
    }

    public var cells: [CellResult]
    /// Inline value index → canonical text (or the error it raised).
    public var inlineValues: [Int: InlineValue]

    /// An evaluated `{swift} expr`.
    public enum InlineValue: Codable, Sendable, Equatable {
        case value(String)
        case error(String)
    }

    public init(cells: [CellResult], inlineValues: [Int: InlineValue] = [:]) {
        self.cells = cells
        self.inlineValues = inlineValues
    }

    /// The result of cell `index`, if it is a runnable cell.
    public func cell(_ index: Int) -> CellResult? { cells.first { $0.index == index } }
}
