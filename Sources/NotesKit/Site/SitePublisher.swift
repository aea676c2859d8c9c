import Foundation

/// Writes a finished site next to the old one and swaps it in, so a failed build changes nothing.
///
/// The new site is assembled in a hidden sibling folder; only when every file is written does it
/// replace the output folder (Linux `renameat2(RENAME_EXCHANGE)` where available, otherwise two
/// renames). Pages of deleted notes vanish because the whole folder is replaced. A folder that
/// `notes` did not make (no `.notes-site` marker) is never replaced.
public struct SitePublisher {
    /// Marker file that identifies a folder as built by `notes`.
    public static let marker = ".notes-site"

    public let output: URL
    private let fileManager = FileManager.default

    public init(output: URL) {
        self.output = output.standardizedFileURL
    }

    /// Refuses outputs that would destroy something that is not a site built by us.
    public func checkOutputIsReplaceable() throws(DiagnosticsError) {
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: output.path, isDirectory: &isDirectory) else { return }
        let contents = (try? fileManager.contentsOfDirectory(atPath: output.path)) ?? []
        if !isDirectory.boolValue || (!contents.isEmpty && !contents.contains(Self.marker)) {
            throw DiagnosticsError([.error(output.path, line: nil,
                "refusing to replace this folder: it was not made by 'notes build' (no \(Self.marker) file); choose another --output or remove it")])
        }
    }

    /// Writes `files` (site-relative path → bytes) and copies `assets` (site-relative path → source), then swaps.
    public func publish(files: [String: Data], copies: [(path: String, source: URL)]) throws {
        try checkOutputIsReplaceable()
        let parent = output.deletingLastPathComponent()
        try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = parent.appendingPathComponent(".\(output.lastPathComponent).staging-\(ProcessInfo.processInfo.processIdentifier)")
        try? fileManager.removeItem(at: staging)
        try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            for (path, data) in files.sorted(by: { $0.key < $1.key }) {
                let url = staging.appendingPathComponent(path)
                try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
            for (path, source) in copies {
                let url = staging.appendingPathComponent(path)
                try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? fileManager.removeItem(at: url)
                try fileManager.copyItem(at: source.resolvingSymlinksInPath(), to: url)
            }
            try Data("built by notes\n".utf8).write(to: staging.appendingPathComponent(Self.marker))
            try swap(staging)
        } catch {
            try? fileManager.removeItem(at: staging)
            throw error
        }
    }

    private func swap(_ staging: URL) throws {
        guard fileManager.fileExists(atPath: output.path) else {
            try fileManager.moveItem(at: staging, to: output)
            return
        }
        if AtomicExchange.exchange(staging.path, output.path) {
            try fileManager.removeItem(at: staging) // now holds the previous site
            return
        }
        let previous = output.deletingLastPathComponent()
            .appendingPathComponent(".\(output.lastPathComponent).previous-\(ProcessInfo.processInfo.processIdentifier)")
        try? fileManager.removeItem(at: previous)
        try fileManager.moveItem(at: output, to: previous)
        do {
            try fileManager.moveItem(at: staging, to: output)
        } catch {
            try? fileManager.moveItem(at: previous, to: output)
            throw error
        }
        try? fileManager.removeItem(at: previous)
    }
}
