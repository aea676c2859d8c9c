import Foundation

/// The content of every file a preview build reads: path → SHA-256, over the watched folders.
///
/// Watchers only say that something may have changed; the snapshot says what did. Two
/// snapshots that are equal mean no rebuild, whatever events arrived: an editor that rewrites a
/// file with the same bytes, touches it, or saves through a temporary file and a rename changes
/// nothing here. Hidden files and folders and editors' temporary files are left out.
struct SourceSnapshot: Equatable, Sendable {
    /// Absolute path → digest of the file's bytes.
    var files: [String: String] = [:]
    /// Per path, what the last digest was computed from (size, modification time, inode), so an
    /// unchanged file is not read again.
    private var stamps: [String: Stamp] = [:]

    struct Stamp: Equatable, Sendable {
        var size: Int64
        var modified: timespec
        var inode: UInt64

        static func == (a: Stamp, b: Stamp) -> Bool {
            a.size == b.size && a.inode == b.inode && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
        }
    }

    static func == (a: SourceSnapshot, b: SourceSnapshot) -> Bool { a.files == b.files }

    /// Whether a file or folder named `name` is one a build reads: not hidden (`.git`, `.#x`,
    /// `.x.swp`), not an editor's backup or temporary file (`x~`, `x.swp`, `x.tmp`, vim's `4913`).
    static func counts(_ name: String) -> Bool {
        if name.hasPrefix(".") || name.hasPrefix("#") || name.hasSuffix("~") || name == "4913" { return false }
        for suffix in [".swp", ".swx", ".tmp", ".temp", ".part", ".crdownload"] where name.hasSuffix(suffix) { return false }
        return true
    }

    /// The files under `roots` now, reusing `previous`'s digests of files whose stamp is unchanged.
    static func take(_ roots: [URL], reusing previous: SourceSnapshot? = nil) -> SourceSnapshot {
        var snapshot = SourceSnapshot()
        for root in roots { snapshot.scan(root.standardizedFileURL.path, previous: previous) }
        return snapshot
    }

    /// Paths added, removed or changed between `self` and `newer`.
    func changes(to newer: SourceSnapshot) -> Set<String> {
        var changed = Set<String>()
        for (path, digest) in newer.files where files[path] != digest { changed.insert(path) }
        for path in files.keys where newer.files[path] == nil { changed.insert(path) }
        return changed
    }

    private mutating func scan(_ path: String, previous: SourceSnapshot?) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
            for name in names.sorted() where Self.counts(name) { scan(path + "/" + name, previous: previous) }
        case S_IFREG, S_IFLNK:
            // A link is followed for its content, as the build reads it.
            var target = info
            if info.st_mode & S_IFMT == S_IFLNK {
                guard stat(path, &target) == 0, target.st_mode & S_IFMT == S_IFREG else { return }
            }
            let stamp = Stamp(size: Int64(target.st_size), modified: target.st_mtim, inode: UInt64(target.st_ino))
            // A file changed in the last two seconds is read again even with the same stamp: a
            // file system's clock may not tick between two quick writes of the same size.
            if let previous, previous.stamps[path] == stamp, let digest = previous.files[path],
               Double(time(nil)) - Double(target.st_mtim.tv_sec) > 2 {
                files[path] = digest
            } else if let data = FileManager.default.contents(atPath: path) {
                files[path] = Digest.sha256Hex(data)
            } else {
                return
            }
            stamps[path] = stamp
        default:
            return
        }
    }
}
