import Foundation

/// How paths are shown in diagnostics: relative to the working directory when they are inside it.
struct PathDisplay: Sendable {
    var workingDirectory: URL

    /// `url`'s path as the user would write it.
    func callAsFunction(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let base = workingDirectory.standardizedFileURL.path
        if path.hasPrefix(base + "/") { return String(path.dropFirst(base.count + 1)) }
        return path
    }
}
