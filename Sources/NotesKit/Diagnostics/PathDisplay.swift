import Foundation

/// How paths are shown in diagnostics: relative to the working directory when they are inside it.
struct PathDisplay: Sendable {
    /// The working directory's standardised path.
    private let base: String

    init(workingDirectory: URL) {
        base = workingDirectory.standardizedFileURL.path
    }

    /// `url`'s path as the user would write it.
    func callAsFunction(_ url: URL) -> String {
        let path = url.path
        // Most paths have no `.` or `..` segment and no doubled slash: no need to standardise them.
        if TextScan.contains(path, "/.") || TextScan.contains(path, "//") { return self(standardizedPath: url.standardizedFileURL.path) }
        return self(standardizedPath: path)
    }

    /// An absolute path without `.` or `..` segments, as the user would write it.
    func callAsFunction(standardizedPath path: String) -> String {
        if path.hasPrefix(base), path.utf8.count > base.utf8.count,
           path.utf8[path.utf8.index(path.utf8.startIndex, offsetBy: base.utf8.count)] == UInt8(ascii: "/") {
            return String(path.utf8.dropFirst(base.utf8.count + 1))!
        }
        return path
    }
}
