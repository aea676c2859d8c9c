/// Reads a crashed note program's stderr: what it printed itself, the fatal error, and the
/// cell line where it crashed (from the Swift runtime's backtrace).
///
/// The backtrace itself (addresses, registers, temporary paths) is dropped: it differs between
/// runs and machines, and pages must not.
struct CrashReport: Equatable {
    /// What the program wrote to stderr before the crash (without the runtime's `Fatal error:` line).
    var ownOutput: String
    /// The runtime's fatal error message, e.g. `Fatal error: Index out of range`.
    var fatalError: String?
    /// The crash location in placeholder form, e.g. `@cell-7@:3:14` (or `@inline-2@:1:5`).
    var location: String?

    init(stderr: String) {
        let markers = ["\n*** Signal ", "*** Signal ", "\n*** Program crashed"]
        var own = stderr[...]
        var trace = ""[...]
        for marker in markers {
            if let range = stderr.range(of: marker) {
                own = stderr[..<range.lowerBound]
                trace = stderr[range.lowerBound...]
                break
            }
        }
        let lines = own.split(separator: "\n", omittingEmptySubsequences: false)
        let fatalLine = lines.lastIndex { $0.contains("Fatal error:") }
        fatalError = fatalLine.map { index in
            let line = lines[index]
            return line.range(of: "Fatal error:").map { String(line[$0.lowerBound...]) } ?? String(line)
        }
        ownOutput = lines.indices.filter { $0 != fatalLine }.map { String(lines[$0]) }
            .joined(separator: "\n").trimmingTrailingNewlines()
        location = trace.split(separator: "\n").lazy.compactMap { line -> String? in
            guard let start = line.range(of: "@cell-") ?? line.range(of: "@inline-") else { return nil }
            let tail = line[start.lowerBound...]
            return String(tail.prefix { !$0.isWhitespace })
        }.first
    }

    /// The cell's stderr as shown: its own output, then what crashed and where.
    var shownOutput: String {
        ownOutput.isEmpty ? summary : ownOutput + "\n" + summary
    }

    /// The failure message for the page and the diagnostics.
    var summary: String {
        let what = fatalError ?? "crashed"
        return location.map { "\(what) (at \($0))" } ?? what
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
