/// The executable parts of a note: its Swift cells, expected outputs and inline values, each tied
/// to its node in the note's Markdown tree.
///
/// This is the only description of a note's cells: execution runs it, the verdict judges it,
/// and the renderer finds each cell's output by the cell's node id. Changing the cell syntax
/// touches `NotebookExtractor` only.
struct Notebook: Sendable, Equatable {
    /// One fenced Swift block.
    struct Cell: Sendable, Equatable {
        /// Position among the note's Swift blocks, from 0: the cell's number in the program.
        var index: Int
        /// The code block's node.
        var node: MarkdownNode.ID
        var options: CellOptions
        var code: String
        /// Line of the opening fence in the Markdown file.
        var fenceLine: Int
        /// Line of the first line of code (the fence line + 1).
        var firstLine: Int { fenceLine + 1 }
        /// The ```` ```output ```` block right after the cell, if any.
        var expectedOutput: ExpectedOutput?
        /// For a live cell, the type it declares that conforms to `LiveWidget` (nil: shared code only).
        var widget: String?

        /// The `id` of the cell's result on the page: `cell-NAME` with `id=NAME`, else `cell-N` from 1;
        /// `live-NAME` or `live-N` for a live cell's widget.
        var anchor: String { (options.live ? "live-" : "cell-") + (options.id ?? String(index + 1)) }
    }

    /// An ```` ```output ```` block: the text a cell must print.
    struct ExpectedOutput: Sendable, Equatable {
        /// The output block's node.
        var node: MarkdownNode.ID
        var text: String
        var options: OutputOptions
        var fenceLine: Int
    }

    /// A `` `{swift} expr` `` code span in prose, replaced by the expression's value.
    struct InlineValue: Sendable, Equatable {
        /// Position among the note's inline values, from 0: its number in the program.
        var index: Int
        /// The code span's node.
        var node: MarkdownNode.ID
        var expression: String
        var line: Int
        /// How many cells stand before it: it is evaluated after them.
        var cellsBefore: Int
    }

    var cells: [Cell] = []
    var inlineValues: [InlineValue] = []

    /// The cells of the note's program, in order (live cells are not among them).
    var runnableCells: [Cell] { cells.filter { $0.options.run && !$0.options.live } }

    /// The live cells, in order: one WebAssembly module of the note's widgets.
    var liveCells: [Cell] { cells.filter(\.options.live) }

    /// The live cells that declare a widget, in order: widget `k` of the module is the `k`-th.
    var widgetCells: [Cell] { liveCells.filter { $0.widget != nil } }

    /// True when nothing in the note needs running.
    var isEmpty: Bool { runnableCells.isEmpty && inlineValues.isEmpty && liveCells.isEmpty }

    /// The Markdown line of the cell, output block or inline value at `node`.
    func line(of node: MarkdownNode.ID) -> Int? {
        for cell in cells {
            if cell.node == node { return cell.fenceLine }
            if let expected = cell.expectedOutput, expected.node == node { return expected.fenceLine }
        }
        return inlineValues.first { $0.node == node }?.line
    }

    /// The Markdown line of a place in the note's program.
    func line(of location: ProgramLocation) -> Int? {
        switch location.unit {
        case .cell(let index):
            guard cells.indices.contains(index) else { return nil }
            return cells[index].firstLine + location.line - 1
        case .inline(let index):
            guard inlineValues.indices.contains(index) else { return nil }
            return inlineValues[index].line
        }
    }
}
