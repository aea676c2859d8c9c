/// Writes diagnostics for people (compiler style) or for GitHub Actions (workflow commands), and
/// every `file:line` that the tool shows, on the terminal or on a page.
public enum DiagnosticFormatter {
    public enum Style: String, Sendable, CaseIterable {
        case text, github
    }

    /// `notes/backprop.md:41:5`, or `notes/backprop.md:41` without a column.
    static func location(_ location: NoteLocation) -> String {
        location.column.map { "\(location.file):\(location.line):\($0)" } ?? "\(location.file):\(location.line)"
    }

    /// `notes/backprop.md:41`, or the file alone without a line.
    static func location(file: String, line: Int?) -> String {
        line.map { location(NoteLocation(file: file, line: $0)) } ?? file
    }

    /// The lines to print for `diagnostic` in `style`.
    ///
    /// Control characters that a cell printed are shown as pictures, never sent to the terminal.
    public static func format(_ diagnostic: Diagnostic, style: Style) -> String {
        ControlCharacters.visible(formatRaw(diagnostic, style: style))
    }

    private static func formatRaw(_ diagnostic: Diagnostic, style: Style) -> String {
        switch style {
        case .text:
            guard let detail = diagnostic.detail else { return diagnostic.description }
            let indented = detail.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
            return diagnostic.description + "\n" + indented.joined(separator: "\n")
        case .github:
            var properties = "file=\(escapeProperty(diagnostic.file))"
            if let line = diagnostic.line { properties += ",line=\(line)" }
            var message = diagnostic.message
            if let detail = diagnostic.detail { message += "\n" + detail }
            return "::\(diagnostic.severity == .error ? "error" : "warning") \(properties)::\(escapeData(message))"
        }
    }

    /// GitHub's escaping for a workflow command's message.
    static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// GitHub's escaping for a workflow command's property value.
    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
