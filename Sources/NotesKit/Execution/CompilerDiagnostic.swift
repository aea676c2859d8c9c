import Foundation

/// An error from `swiftc`, read from its output: `@cell-3@:2:5: error: message` and the source
/// excerpt printed under it.
struct CompilerDiagnostic: Codable, Sendable, Equatable {
    /// Where the error points, when it points into a cell or inline value.
    var location: ProgramLocation?
    var message: String
    /// The lines the compiler printed under the error (the source excerpt), without the error line.
    var excerpt: String

    /// The errors in `output`.
    static func parse(_ output: String) -> [CompilerDiagnostic] {
        var found: [CompilerDiagnostic] = []
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            guard let range = line.range(of: ": error: ") else { continue }
            var excerpt: [String] = []
            for next in lines[(index + 1)...] {
                if next.contains(": error: ") || next.contains(": warning: ") || next.contains(": note: ") { break }
                excerpt.append(String(next))
            }
            found.append(CompilerDiagnostic(location: ProgramLocation(line[..<range.lowerBound]),
                                            message: String(line[range.upperBound...]),
                                            excerpt: excerpt.joined(separator: "\n").trimmingTrailingNewlines()))
        }
        return found
    }
}
