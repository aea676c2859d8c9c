import Foundation

/// How paths are shown in diagnostics: relative to the working directory when they are inside it.
struct PathDisplay: Sendable {
    /// The working directory's standardised path.
    private let base: String

    init(workingDirectory: URL) {
        base = workingDirectory.standardizedFileURL.path
    }

    /// `url`'s path as the user would write it.
    func callAsFunction(_ url: URL) -> String { self(path: url.path) }

    /// An absolute path as the user would write it.
    func callAsFunction(path: String) -> String {
        var path = path
        // Most paths have no `.` or `..` segment and no doubled slash: no need to standardise them.
        if TextScan.contains(path, "/.") || TextScan.contains(path, "//") {
            path = URL(fileURLWithPath: path).standardizedFileURL.path
        }
        // Compared byte for byte: a name in another Unicode normal form is another name on disk.
        let (bytes, prefix) = (path.utf8, base.utf8)
        if bytes.count > prefix.count, bytes.starts(with: prefix),
           bytes[bytes.index(bytes.startIndex, offsetBy: prefix.count)] == UInt8(ascii: "/") {
            return String(bytes.dropFirst(prefix.count + 1))!
        }
        return path
    }
}
