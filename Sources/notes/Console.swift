import Foundation
import NotesKit

/// Where the command's messages go: progress and diagnostics to standard error, results to standard output.
struct Console: Sendable {
    var quiet: Bool

    func progress(_ line: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    func diagnostic(_ diagnostic: Diagnostic) {
        FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
    }

    func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
