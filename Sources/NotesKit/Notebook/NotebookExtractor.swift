import Foundation

/// Finds a note's Swift cells, their expected outputs and its inline values, and ties each to
/// its node in the Markdown tree.
enum NotebookExtractor {
    /// The prefix of an inline value code span: `` `{swift} expr` ``.
    static let inlinePrefix = "{swift} "

    /// Walks `document` in order; malformed info strings are errors at their fence line.
    static func extract(_ document: MarkdownNode, file: String) throws(DiagnosticsError) -> Notebook {
        var notebook = Notebook()
        var errors: [Diagnostic] = []
        var previousWasCell = false
        var cellIDs: [String: Int] = [:]
        func visit(_ node: MarkdownNode) {
            let line = node.range?.start.line ?? 1
            switch node.kind {
            case .codeBlock(let info, let literal, _):
                do {
                    if let options = try CellOptions.parse(info: info) {
                        if let id = options.id {
                            if let first = cellIDs[id] {
                                errors.append(.error(file, line: line, "duplicate cell id '\(id)' (first used at line \(first)): each id= names one cell's place on the page"))
                            } else {
                                cellIDs[id] = line
                            }
                        }
                        var cell = Notebook.Cell(index: notebook.cells.count, node: node.id, options: options,
                                                 code: literal, fenceLine: line)
                        if options.live {
                            do throws(LiveCellInspection.Problem) {
                                cell.widget = try LiveCellInspection.inspect(literal)
                            } catch {
                                errors.append(.error(file, line: line + error.line, error.message))
                            }
                        }
                        notebook.cells.append(cell)
                        previousWasCell = !options.live // a live cell has no printed output to compare
                        return
                    }
                    if let output = try OutputOptions.parse(info: info) {
                        if previousWasCell, notebook.cells[notebook.cells.count - 1].expectedOutput == nil {
                            notebook.cells[notebook.cells.count - 1].expectedOutput = .init(
                                node: node.id, text: literal, options: output, fenceLine: line)
                        } else {
                            errors.append(.error(file, line: line, "an ```output block must come right after a ```swift cell"))
                        }
                    }
                    previousWasCell = false
                    return
                } catch {
                    errors.append(.error(file, line: line, error.message))
                }
            case .image:
                // An image's description is its alt text, plain text without values: nothing to run.
                return
            case .code(let code) where code.hasPrefix(inlinePrefix):
                let expression = String(code.dropFirst(inlinePrefix.count)).trimmingCharacters(in: .whitespaces)
                if expression.isEmpty {
                    errors.append(.error(file, line: line, "an inline value `{swift} …` needs an expression"))
                } else {
                    notebook.inlineValues.append(.init(index: notebook.inlineValues.count, node: node.id, expression: expression,
                                                       line: line, cellsBefore: notebook.cells.count))
                }
            default:
                break
            }
            if node.range != nil, isBlock(node.kind) { previousWasCell = false }
            for child in node.children { visit(child) }
        }
        for child in document.children { visit(child) }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        return notebook
    }

    private static func isBlock(_ kind: MarkdownNode.Kind) -> Bool {
        switch kind {
        case .paragraph, .heading, .blockQuote, .list, .htmlBlock, .thematicBreak, .table, .math: return true
        default: return false
        }
    }
}
