import Foundation

/// An error from `swiftc`, read from its output: `@cell-3@:2:5: error: message`.
struct CompilerDiagnostic: Equatable {
    /// The cell the error points into (from the placeholder file name), or nil for elsewhere.
    var cell: Int?
    var message: String
    /// The diagnostic's whole text, with the source excerpt the compiler printed under it.
    var text: String

    /// The errors in `output`.
    static func parse(_ output: String) -> [CompilerDiagnostic] {
        var found: [CompilerDiagnostic] = []
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            guard let range = line.range(of: ": error: ") else { continue }
            let location = line[..<range.lowerBound]
            var text = [String(line)]
            for next in lines[(index + 1)...] {
                if next.contains(": error: ") || next.contains(": warning: ") || next.contains(": note: ") { break }
                text.append(String(next))
            }
            found.append(CompilerDiagnostic(cell: SourceMap.cell(inLocation: String(location)),
                                            message: String(line[range.upperBound...]),
                                            text: text.joined(separator: "\n").trimmingCharacters(in: .newlines)))
        }
        return found
    }
}
