/// The executable parts of a note: its Swift cells, expected outputs and inline values.
public struct Notebook: Sendable, Equatable {
    /// One fenced Swift block.
    public struct Cell: Sendable, Equatable {
        /// Position among the note's Swift blocks, from 0.
        public var index: Int
        public var options: CellOptions
        public var code: String
        /// Line of the opening fence in the Markdown file.
        public var fenceLine: Int
        /// Line of the first line of code (the fence line + 1).
        public var firstLine: Int { fenceLine + 1 }
        /// The ```` ```output ```` block right after the cell, if any.
        public var expectedOutput: ExpectedOutput?
    }

    /// An ```` ```output ```` block: the text a cell must print.
    public struct ExpectedOutput: Sendable, Equatable {
        public var text: String
        public var options: OutputOptions
        public var fenceLine: Int
    }

    /// A `` `{swift} expr` `` code span in prose, replaced by the expression's value.
    public struct InlineValue: Sendable, Equatable {
        /// Position among the note's inline values, from 0.
        public var index: Int
        public var expression: String
        public var line: Int
        /// How many cells stand before it: it is evaluated after them.
        public var cellsBefore: Int
    }

    public var cells: [Cell] = []
    public var inlineValues: [InlineValue] = []

    /// The cells that run, in order.
    public var runnableCells: [Cell] { cells.filter(\.options.run) }

    /// True when nothing in the note needs running.
    public var isEmpty: Bool { runnableCells.isEmpty && inlineValues.isEmpty }

    public init(cells: [Cell] = [], inlineValues: [InlineValue] = []) {
        self.cells = cells
        self.inlineValues = inlineValues
    }
}
