import Foundation

/// Maps the placeholder locations of generated programs back to the Markdown file and line.
///
/// Cells are compiled as `@cell-K@` with lines counted from 1 at the cell's first code line, and
/// inline values as `@inline-K@`, so that results do not depend on where a cell sits in the file
/// (prose edits then keep cached results valid). Before results are shown, `@cell-3@:2:5`
/// becomes `notes/backprop.md:41:5`.
struct SourceMap {
    let file: String
    private var cellLines: [Int: Int] = [:]
    private var inlineLines: [Int: Int] = [:]

    init(notebook: Notebook, file: String) {
        self.file = file
        for cell in notebook.cells { cellLines[cell.index] = cell.firstLine }
        for value in notebook.inlineValues { inlineLines[value.index] = value.line }
    }

    static func cellFile(_ index: Int) -> String { "@cell-\(index)@" }
    static func inlineFile(_ index: Int) -> String { "@inline-\(index)@" }

    /// The cell index named by a location such as `@cell-3@:2:5`, if any.
    static func cell(inLocation location: String) -> Int? {
        guard let start = location.range(of: "@cell-"), let end = location[start.upperBound...].firstIndex(of: "@") else { return nil }
        return Int(location[start.upperBound..<end])
    }

    /// `text` with every placeholder location replaced by the Markdown file and line.
    func map(_ text: String) -> String {
        guard text.contains("@cell-") || text.contains("@inline-") else { return text }
        var out = ""
        var rest = text[...]
        while let at = rest.firstIndex(of: "@") {
            out += rest[..<at]
            rest = rest[at...]
            if let (replacement, consumed) = replace(rest) {
                out += replacement
                rest = rest[consumed...]
            } else {
                out += "@"
                rest = rest.dropFirst()
            }
        }
        return out + rest
    }

    private func replace(_ text: Substring) -> (String, Substring.Index)? {
        for (prefix, lines) in [("@cell-", cellLines), ("@inline-", inlineLines)] where text.hasPrefix(prefix) {
            let digits = text.dropFirst(prefix.count).prefix(while: \.isNumber)
            guard let index = Int(digits), let base = lines[index] else { return nil }
            var position = digits.endIndex
            guard position < text.endIndex, text[position] == "@" else { return nil }
            position = text.index(after: position)
            var line = base
            if position < text.endIndex, text[position] == ":" {
                let number = text[text.index(after: position)...].prefix(while: \.isNumber)
                if let relative = Int(number) {
                    line = base + relative - 1
                    position = number.endIndex
                }
            }
            return ("\(file):\(line)", position)
        }
        return nil
    }

    /// `result` with every placeholder location mapped.
    func map(_ result: NotebookResult) -> NotebookResult {
        var mapped = result
        for index in mapped.cells.indices {
            mapped.cells[index].stdout = map(mapped.cells[index].stdout)
            mapped.cells[index].stderr = map(mapped.cells[index].stderr)
            mapped.cells[index].rich = mapped.cells[index].rich.map { rich in
                if case .expectation(let json) = rich { return .expectation(json: map(json)) }
                return rich
            }
            if case .failed(let message) = mapped.cells[index].outcome {
                mapped.cells[index].outcome = .failed(message: map(message))
            }
        }
        for (key, value) in mapped.inlineValues {
            if case .error(let message) = value { mapped.inlineValues[key] = .error(map(message)) }
        }
        return mapped
    }
}
