import Foundation

/// Writes a report the user asked for, and says so when it could not.
enum ReportFile {
    /// Writes `data` to `url`: a regular file (or a new one) is replaced atomically; anything
    /// else (`/dev/stdout`, a pipe, a device) is written in place, never replaced, with every
    /// write error thrown (`/dev/full` reports "no space").
    static func write(_ data: Data, to url: URL) throws {
        let path = url.path
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        let isRegular = exists && (try? url.resolvingSymlinksInPath().resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
        if !exists || isRegular {
            try data.write(to: url.resolvingSymlinksInPath(), options: .atomic)
            return
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: data)
    }
}
