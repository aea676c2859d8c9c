import NotebookSupport

/// Writes a note's cells as one Swift program, in document order, sharing state like a notebook.
///
/// Each cell is preceded by a runtime event and wrapped in `#sourceLocation` naming a
/// placeholder file for the cell (`@cell-3@`, lines counted from the cell's first line), so that
/// compiler errors and crash locations point into the cell whatever prose moves it; results
/// carry them as `ProgramLocation`s, which the verdict maps to the Markdown line. A cell that
/// must crash runs in a forked child (its state changes are dropped); a cell that must fail to
/// compile is left out here and checked on its own (`program(upTo:)`). Inline values are
/// evaluated right after the cells above them. Live cells are declarations (the widget and its
/// model), included where they stand, so that the cells after them can test the widget's code.
struct ProgramGenerator {
    let notebook: Notebook
    /// Modules every program imports.
    let modules: [String]
    /// Inline values left out of the program (they did not compile).
    var excludedInlineValues: Set<Int> = []

    /// The whole note as one program.
    func program() -> String {
        var source = prologue()
        let cells = notebook.cells.filter { ($0.options.run && $0.options.expectation != .compileError) || $0.options.live }
        var inlineValues = notebook.inlineValues.filter { !excludedInlineValues.contains($0.index) }[...]
        for cell in cells {
            appendInlineValues(&inlineValues, before: cell.index, to: &source)
            if cell.options.live {
                source += located(cell)
                continue
            }
            source += "NotebookRuntime.cellStart(\(cell.index))\n"
            if cell.options.expectation == .crash {
                source += "NotebookRuntime.expectCrash(\(cell.index)) {\n" + located(cell) + "}\n"
            } else {
                source += located(cell)
            }
        }
        appendInlineValues(&inlineValues, before: Int.max, to: &source)
        return source + "NotebookRuntime.end()\n"
    }

    /// The cells before `cell` that the main program runs, followed by `cell` itself: what must
    /// fail to type-check for an `expect=compile-error` cell.
    func program(upTo cell: Notebook.Cell) -> String {
        var source = prologue()
        for earlier in notebook.cells where earlier.index < cell.index
            && ((earlier.options.run && earlier.options.expectation == .success) || earlier.options.live) {
            source += located(earlier)
        }
        return source + located(cell)
    }

    private func prologue() -> String {
        modules.map { "import \($0)\n" }.joined() + "import Foundation\nNotebookRuntime.begin()\n"
    }

    private func located(_ cell: Notebook.Cell) -> String {
        var code = cell.code
        if !code.hasSuffix("\n") { code += "\n" }
        return "#sourceLocation(file: \"\(RuntimeProtocol.Unit.cell(cell.index).fileName)\", line: 1)\n" + code + "#sourceLocation()\n"
    }

    private func appendInlineValues(_ values: inout ArraySlice<Notebook.InlineValue>, before cellIndex: Int, to source: inout String) {
        while let value = values.first, value.cellsBefore <= cellIndex {
            values.removeFirst()
            source += "NotebookRuntime.inlineValue(\(value.index)) { () throws -> Any in\n"
                + "#sourceLocation(file: \"\(RuntimeProtocol.Unit.inline(value.index).fileName)\", line: 1)\n"
                + "return (\(value.expression))\n#sourceLocation()\n}\n"
        }
    }
}
