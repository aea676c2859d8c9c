/// What a crashed note program said about its crash: the fatal error and the cell line where it
/// happened (from the Swift runtime's backtrace).
///
/// The backtrace itself (addresses, registers, temporary paths) is dropped: it differs between
/// runs and machines, and pages must not.
struct CrashReport: Codable, Sendable, Equatable {
    /// The runtime's fatal error message, e.g. `Fatal error: Index out of range`.
    var fatalError: String?
    /// Where it crashed, when the backtrace names a cell or inline value.
    var location: ProgramLocation?

    /// Splits a crashed cell's stderr into what the program wrote itself and the crash report.
    static func read(stderr: String) -> (ownOutput: String, report: CrashReport) {
        let markers = ["\n*** Signal ", "*** Signal ", "\n*** Program crashed"]
        var own = stderr[...]
        var trace = ""[...]
        for marker in markers {
            if let range = stderr.range(of: marker, options: .backwards) {
                own = stderr[..<range.lowerBound]
                trace = stderr[range.lowerBound...]
                break
            }
        }
        let lines = own.split(separator: "\n", omittingEmptySubsequences: false)
        // `fatalError`, a runtime trap, `precondition` and `assert` announce themselves differently.
        let announcements = ["Fatal error:", "Precondition failed:", "Assertion failed:"]
        let fatalLine = lines.lastIndex { line in announcements.contains { line.contains($0) } }
        let fatalError = fatalLine.map { index in
            let line = lines[index]
            return announcements.lazy.compactMap { line.range(of: $0) }.first.map { String(line[$0.lowerBound...]) } ?? String(line)
        }
        let ownOutput = lines.indices.filter { $0 != fatalLine }.map { String(lines[$0]) }
            .joined(separator: "\n").trimmingTrailingNewlines()
        let location = trace.split(separator: "\n").lazy.compactMap { ProgramLocation.first(in: $0) }.first
        return (ownOutput, CrashReport(fatalError: fatalError, location: location))
    }

    /// The failure: the fatal error (or that it crashed), located where the backtrace says.
    var failure: NotebookResult.Failure {
        NotebookResult.Failure(fatalError ?? "crashed", at: location)
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
