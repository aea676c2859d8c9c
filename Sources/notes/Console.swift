import Foundation
import NotesKit

/// Where the command's messages go: progress and diagnostics to standard error, results to standard output.
struct Console: Sendable {
    var quiet: Bool
    var style: DiagnosticFormatter.Style = .text

    func progress(_ line: String) {
        guard !quiet else { return }
        write(line)
    }

    func diagnostic(_ diagnostic: Diagnostic) {
        let text = DiagnosticFormatter.format(diagnostic, style: style)
        // GitHub reads workflow commands from standard output.
        if style == .github { print(text) } else { write(text) }
    }

    func error(_ line: String) {
        write(line)
    }

    private func write(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
