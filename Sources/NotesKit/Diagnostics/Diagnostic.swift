/// A message about a note, pinned to a file and line: what `notes` prints as `file:line: error: …`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public var severity: Severity
    /// Path of the file as the user named it, e.g. `notes/backprop.md`.
    public var file: String
    /// 1-based line, or nil when the problem is about the whole file.
    public var line: Int?
    public var message: String
    /// More lines to show under the diagnostic: a failed cell's code and output.
    public var detail: String?

    public init(_ severity: Severity, file: String, line: Int?, _ message: String, detail: String? = nil) {
        self.severity = severity
        self.file = file
        self.line = line
        self.message = message
        self.detail = detail
    }

    public static func error(_ file: String, line: Int?, _ message: String) -> Diagnostic {
        Diagnostic(.error, file: file, line: line, message)
    }

    public static func warning(_ file: String, line: Int?, _ message: String) -> Diagnostic {
        Diagnostic(.warning, file: file, line: line, message)
    }

    /// The compiler-style form: `notes/backprop.md:12: error: unknown equation label 'eq-x'`.
    public var description: String {
        "\(DiagnosticFormatter.location(file: file, line: line)): \(severity.rawValue): \(message)"
    }
}

/// A failed step that carries every diagnostic found before it stopped.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
