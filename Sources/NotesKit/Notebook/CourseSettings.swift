import Foundation
import Yams

/// The course's own settings, from `course.yml` in the notes folder (optional).
///
/// Today it holds one setting, what becomes of raw HTML in notes:
///
/// ```yaml
/// raw-html: trusted   # default: sanitized
/// ```
///
/// `trusted` is for courses whose every author is trusted: it is announced with a warning on
/// every build, since notes can then put script on the pages.
struct CourseSettings: Sendable, Equatable {
    static let fileName = "course.yml"
    static let knownKeys: Set<String> = ["raw-html"]

    var rawHTML: RawHTMLPolicy = .sanitized

    /// Reads `course.yml` from `folder` (defaults when there is none); unknown keys and values are errors.
    static func load(from folder: URL, paths: PathDisplay, warnings: inout [Diagnostic]) throws(DiagnosticsError) -> CourseSettings {
        let url = folder.appendingPathComponent(fileName)
        let file = paths(url)
        guard FileManager.default.fileExists(atPath: url.path) else { return CourseSettings() }
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw DiagnosticsError([.error(file, line: nil, "cannot read the course settings as UTF-8 text")])
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw DiagnosticsError([.error(file, line: nil, "not valid YAML: \(error)")])
        }
        var settings = CourseSettings()
        guard let root else { return settings }
        guard let mapping = root.mapping else {
            throw DiagnosticsError([.error(file, line: root.mark.map { $0.line } ?? 1, "the course settings must be a mapping of setting: value")])
        }
        var errors: [Diagnostic] = []
        for (key, value) in mapping {
            let line = key.mark?.line ?? 1
            guard let name = key.string, knownKeys.contains(name) else {
                errors.append(.error(file, line: line, "unknown setting '\(key.string ?? "?")' (known: \(knownKeys.sorted().joined(separator: ", ")))"))
                continue
            }
            switch value.string {
            case "sanitized": settings.rawHTML = .sanitized
            case "trusted":
                settings.rawHTML = .trusted
                warnings.append(.warning(file, line: line, "raw-html: trusted: raw HTML and link addresses in notes reach the pages as written "
                                           + "(only GFM's tag filter applies), so a note can put script, event handlers and forms on them; "
                                           + "keep this only if you trust every note's author"))
            default:
                errors.append(.error(file, line: line, "raw-html must be 'sanitized' (the default) or 'trusted', not '\(value.string ?? "?")'"))
            }
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        return settings
    }
}
