import ArgumentParser
import Foundation

/// Usage errors in where the tool reads and writes, found before any cell runs.
///
/// The site folder is replaced whole by a build and the cache is written during one, so neither
/// may hold the other or the notes; a report must not land on a note.
enum PathChecks {
    /// Throws a usage error for the first problem among these paths (nil: not used by the command).
    static func check(notes: String, output: String? = nil, cache: String? = nil, junit: String? = nil) throws {
        for (flag, path) in [("--notes", notes), ("--output", output), ("--cache", cache), ("--junit", junit)] {
            if let path, path.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("\(flag) needs a path, not an empty string") }
        }
        let notesURL = resolved(notes)
        if let output {
            let site = resolved(output)
            if isFile(site) { throw ValidationError("--output \(output) is a file; the site is a folder") }
            if overlap(site, notesURL) {
                throw ValidationError("--output \(output) and --notes \(notes) overlap: the site folder is replaced whole by every build")
            }
            if let cache, overlap(resolved(cache), site) {
                throw ValidationError("--cache \(cache) and --output \(output) overlap: the site folder is replaced whole, and a failed build must leave it as it was")
            }
        }
        if let cache, isFile(resolved(cache)) { throw ValidationError("--cache \(cache) is a file; the cache is a folder") }
        if let junit {
            let report = resolved(junit)
            if junit.lowercased().hasSuffix(".md") || contains(notesURL, report) {
                throw ValidationError("--junit \(junit) would overwrite a note: write the report outside the notes folder")
            }
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: report.path, isDirectory: &isFolder), isFolder.boolValue {
                throw ValidationError("--junit \(junit) is a folder; give the report's file name")
            }
        }
    }

    /// The absolute, symlink-free form of `path`.
    private static func resolved(_ path: String) -> URL {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
    }

    /// True when `a` and `b` are the same folder or one holds the other.
    private static func overlap(_ a: URL, _ b: URL) -> Bool {
        a == b || contains(a, b) || contains(b, a)
    }

    /// True when `inner` lies inside the folder `outer`.
    private static func contains(_ outer: URL, _ inner: URL) -> Bool {
        inner.path.hasPrefix(outer.path.hasSuffix("/") ? outer.path : outer.path + "/")
    }

    private static func isFile(_ url: URL) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && !isFolder.boolValue
    }
}
