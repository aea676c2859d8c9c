import Foundation

/// Writes a finished site next to the old one and swaps it in, so a failed build changes nothing.
///
/// The new site is assembled in a hidden sibling folder; only when every file is written does it
/// replace the output folder (Linux `renameat2(RENAME_EXCHANGE)` where available, otherwise two
/// renames). Pages of deleted notes vanish because the whole folder is replaced. A folder that
/// `notes` did not make (no `.notes-site` marker) is never replaced.
///
/// A file whose bytes (and permissions) are the same as in the site being replaced is not written
/// again: the new site gets a hard link to the old file, which keeps its modification time. The
/// old site is never modified — its folder is removed after the swap — so this is invisible
/// except for the time saved; files are written when linking is not possible.
struct SitePublisher {
    /// Marker file that identifies a folder as built by `notes`.
    static let marker = ".notes-site"

    let output: URL
    private let fileManager = FileManager.default

    /// A publisher for `output`; when `output` is a symbolic link, the site goes where it points,
    /// and the link stays.
    init(output: URL) {
        var target = output.standardizedFileURL
        // Follow the link itself even when what it names does not exist yet (then the first
        // build makes it); `resolvingSymlinksInPath` would leave such a link as it is.
        for _ in 0..<40 {
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: target.path) else { break }
            target = URL(fileURLWithPath: destination, relativeTo: target.deletingLastPathComponent()).standardizedFileURL
        }
        self.output = target.resolvingSymlinksInPath()
    }

    /// Refuses outputs that would destroy something that is not a site built by us.
    func checkOutputIsReplaceable() throws(DiagnosticsError) {
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: output.path, isDirectory: &isDirectory) else { return }
        let contents = (try? fileManager.contentsOfDirectory(atPath: output.path)) ?? []
        if !isDirectory.boolValue || (!contents.isEmpty && !contents.contains(Self.marker)) {
            throw DiagnosticsError([.error(output.path, line: nil,
                "refusing to replace this folder: it was not made by 'notes build' (no \(Self.marker) file); choose another --output or remove it")])
        }
    }

    /// Writes `files` (site-relative path → bytes), copies `assets` (site-relative path → source)
    /// and keeps the previous site's files at `kept` (linked unread: the page cache vouches for
    /// them), then swaps.
    ///
    /// A copy replaces a file of the same path, a later copy an earlier one. Files are written on
    /// every core. Returns what the new site holds, and which of its files are not the previous
    /// site's (written, not linked).
    @discardableResult
    func publish(files: [String: Data], copies: [(path: String, source: URL)], kept: [String] = []) throws -> Published {
        try checkOutputIsReplaceable()
        let parent = output.deletingLastPathComponent()
        try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
        removeAbandonedStagingFolders(in: parent)
        let staging = parent.appendingPathComponent(stagingPrefix + String(ProcessInfo.processInfo.processIdentifier))
        let registration = Interruption.register(folder: staging)
        defer { registration.end() }
        try? fileManager.removeItem(at: staging)
        try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            // The marker is written first: a fresh file's permissions are what a reused page must have.
            let marker = staging.appendingPathComponent(Self.marker)
            try Data("built by notes\n".utf8).write(to: marker)
            var contents: [String: Content] = [:]
            for (path, data) in files { contents[path] = .bytes(data) }
            for (path, source) in copies { contents[path] = .copy(source.resolvingSymlinksInPath()) }
            let outputPath = output.path + "/"
            for path in kept { contents[path] = .kept(outputPath + path) }
            contents[Self.marker] = nil
            let paths = contents.keys.sorted()
            let folders = Set(paths.compactMap { path in path.lastIndex(of: "/").map { String(path[..<$0]) } })
            for folder in folders.sorted() where !folder.isEmpty {
                try fileManager.createDirectory(at: staging.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
            let previous = Previous(site: output, freshMode: try Self.permissions(of: marker.path))
            let stagingPath = staging.path + "/"
            let linked = try Parallel.tryMap(paths.count) { [contents] index in
                try Self.place(contents[paths[index]]!, at: stagingPath + paths[index], reusing: previous?.file(paths[index]))
            }
            try Interruption.unlessInterrupted { try swap(staging) }
            return Published(files: paths, written: paths.indices.filter { !linked[$0] }.map { paths[$0] })
        } catch {
            try? fileManager.removeItem(at: staging)
            throw error
        }
    }

    /// What a published site holds.
    struct Published: Sendable {
        /// Every file but the marker, by site-relative path, sorted.
        var files: [String]
        /// The files that are not the previous site's: written or copied, not linked.
        var written: [String]
    }

    /// The name of a staging folder, before the number of the process that writes it.
    private var stagingPrefix: String { ".\(output.lastPathComponent).staging-" }

    /// Removes staging folders whose build was killed (SIGKILL, power loss): their process is gone.
    private func removeAbandonedStagingFolders(in parent: URL) {
        let names = (try? fileManager.contentsOfDirectory(atPath: parent.path)) ?? []
        for name in names where name.hasPrefix(stagingPrefix) {
            guard let pid = pid_t(name.dropFirst(stagingPrefix.count)), pid > 0 else { continue }
            if pid != ProcessInfo.processInfo.processIdentifier, kill(pid, 0) == -1, errno == ESRCH {
                try? fileManager.removeItem(at: parent.appendingPathComponent(name))
            }
        }
    }

    /// What goes into one file of the site.
    private enum Content: Sendable {
        case bytes(Data)
        case copy(URL)
        /// The previous site's file (its path), as it is.
        case kept(String)
    }

    /// The site being replaced, whose unchanged files are linked instead of written.
    private struct Previous: Sendable {
        let folder: String
        /// Permission bits of a file written now (the process's umask applied).
        let freshMode: mode_t

        init?(site: URL, freshMode: mode_t) {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: site.path, isDirectory: &isFolder), isFolder.boolValue else { return nil }
            folder = site.path
            self.freshMode = freshMode
        }

        func file(_ path: String) -> (path: String, freshMode: mode_t) { (folder + "/" + path, freshMode) }
    }

    /// Writes one file of the new site at `path`, or links the previous site's identical file
    /// there; true when it linked.
    private static func place(_ content: Content, at path: String, reusing old: (path: String, freshMode: mode_t)?) throws -> Bool {
        switch content {
        case .bytes(let data):
            if let old, data.withUnsafeBytes({ linkIfEqual(old.path, to: path, bytes: $0, mode: old.freshMode) }) { return true }
            try data.write(to: URL(fileURLWithPath: path, isDirectory: false))
        case .copy(let source):
            if let old, let bytes = FileManager.default.contents(atPath: source.path),
               let mode = try? permissions(of: source.path),
               bytes.withUnsafeBytes({ linkIfEqual(old.path, to: path, bytes: $0, mode: mode) }) { return true }
            try FileManager.default.copyItem(atPath: source.path, toPath: path)
        case .kept(let old):
            if link(old, path) == 0 { return true }
            try FileManager.default.copyItem(atPath: old, toPath: path)
        }
        return false
    }

    /// Hard-links `old` as `new` when `old` is a regular file (not a symbolic link) with permissions
    /// `mode`, no other link, and exactly the bytes `expected`; false (and nothing done) otherwise.
    private static func linkIfEqual(_ old: String, to new: String, bytes expected: UnsafeRawBufferPointer, mode: mode_t) -> Bool {
        let descriptor = open(old, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_nlink == 1,
              info.st_mode & 0o7777 == mode, info.st_size == expected.count else { return false }
        let chunk = 1 << 16
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var offset = 0
        while offset < expected.count {
            let count = read(descriptor, buffer, min(chunk, expected.count - offset))
            if count < 0 && errno == EINTR { continue }
            guard count > 0, memcmp(buffer, expected.baseAddress! + offset, count) == 0 else { return false }
            offset += count
        }
        return link(old, new) == 0
    }

    private static func permissions(of path: String) throws -> mode_t {
        var info = stat()
        guard stat(path, &info) == 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: path]) }
        return info.st_mode & 0o7777
    }

    private func swap(_ staging: URL) throws {
        guard fileManager.fileExists(atPath: output.path) else {
            try fileManager.moveItem(at: staging, to: output)
            return
        }
        if AtomicExchange.exchange(staging.path, output.path) {
            // Now it holds the previous site. The new one is live: failing to remove the old
            // one must not fail the build (the next build removes it: it has this name).
            try? fileManager.removeItem(at: staging)
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
