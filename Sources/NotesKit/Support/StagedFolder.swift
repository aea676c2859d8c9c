import Foundation

/// A folder of build products made once and shared: named after a hash of its inputs, built under
/// a temporary name beside it, and renamed into place when complete, so that concurrent and
/// repeated builds use the same one and an interrupted build leaves nothing half-made.
enum StagedFolder {
    /// The file that marks a folder as complete.
    static let marker = "complete"

    /// Why the folder could not be made (the build's own errors are rethrown as they are).
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `folder`, built by `build` in a staging folder unless it is complete already.
    static func make(_ folder: URL, build: (_ staging: URL) throws -> Void) throws -> URL {
        let manager = FileManager.default
        if manager.fileExists(atPath: folder.appendingPathComponent(marker).path) { return folder }
        let parent = folder.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(folder.lastPathComponent)-\(UUID().uuidString)")
        let registration = Interruption.register(folder: staging)
        defer {
            try? manager.removeItem(at: staging)
            registration.end()
        }
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create a folder in \(parent.path): \(error.localizedDescription)")
        }
        try build(staging)
        try? Data().write(to: staging.appendingPathComponent(marker))
        if (try? manager.moveItem(at: staging, to: folder)) == nil {
            // Another build finished the same folder first: use that one.
            guard manager.fileExists(atPath: folder.appendingPathComponent(marker).path) else {
                throw Failure(description: "cannot store \(folder.lastPathComponent) in \(parent.path)")
            }
        }
        return folder
    }
}
