import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Watches folders with Linux's inotify, recursively: every folder gets a watch, and a folder
/// created (or moved in) later gets one as soon as its event is read.
///
/// It listens for writes, creations, deletions and renames, which covers editors that save to a
/// temporary file and rename it over the note. Hidden and temporary names are ignored (see
/// `SourceSnapshot.counts`); a queue overflow counts as a change.
final class InotifyWatcher: SourceWatcher, @unchecked Sendable {
    private let descriptor: Int32
    private let lock = NSLock()
    private let closed = ClosedFlag()
    /// Watch descriptor → the folder it watches.
    private var folders: [Int32: String] = [:]

    private static let mask = UInt32(IN_CLOSE_WRITE | IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO
                                     | IN_DELETE_SELF | IN_MOVE_SELF) | UInt32(IN_ONLYDIR)

    init(roots: [URL]) throws {
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw WatchError(description: "inotify is not available (\(String(cString: strerror(errno))))") }
        do {
            for root in roots { try watchTree(root.standardizedFileURL.path) }
        } catch {
            Glibc.close(descriptor)
            throw error
        }
    }

    deinit { Glibc.close(descriptor) }

    var method: String { "inotify, \(folders.count) folder\(folders.count == 1 ? "" : "s")" }

    func waitForChange(quiet: Duration) -> Bool {
        var changed = false
        var lastEvent = ContinuousClock.now
        while !closed.isSet {
            // Before the first event, wake every 100 ms to notice `close`; after it, until quiet.
            let wait = changed ? max(.zero, quiet - (ContinuousClock.now - lastEvent)) : .milliseconds(100)
            if changed && wait == .zero { return true }
            var target = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&target, 1, Int32(wait.seconds * 1000) + (changed ? 1 : 0))
            if ready < 0 && errno != EINTR { return false }
            if ready > 0 && readEvents() {
                changed = true
                lastEvent = ContinuousClock.now
            }
        }
        return false
    }

    func close() { closed.set() }

    // MARK: - Watches

    /// Adds a watch to `path` and every folder below it that counts.
    private func watchTree(_ path: String) throws {
        let watch = inotify_add_watch(descriptor, path, Self.mask)
        if watch < 0 {
            if errno == ENOSPC {
                throw WatchError(description: "inotify's watch limit is reached (raise fs.inotify.max_user_watches, or use --poll)")
            }
            if errno == ENOTDIR || errno == ENOENT { return }
            throw WatchError(description: "cannot watch \(path): \(String(cString: strerror(errno)))")
        }
        lock.lock()
        folders[watch] = path
        lock.unlock()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names where SourceSnapshot.counts(name) {
            var info = stat()
            if lstat(path + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { try watchTree(path + "/" + name) }
        }
    }

    /// Reads the queued events; true if any of them may change what a build reads.
    private func readEvents() -> Bool {
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        var relevant = false
        while true {
            let count = read(descriptor, buffer, size)
            if count <= 0 { break }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                let nameStart = offset + MemoryLayout<inotify_event>.size
                let name = event.len > 0
                    ? String(cString: buffer.advanced(by: nameStart).assumingMemoryBound(to: CChar.self)) : ""
                offset = nameStart + Int(event.len)
                if event.mask & UInt32(IN_Q_OVERFLOW) != 0 { relevant = true; continue }
                if event.mask & UInt32(IN_IGNORED) != 0 {
                    lock.lock()
                    folders[event.wd] = nil
                    lock.unlock()
                    continue
                }
                lock.lock()
                let folder = folders[event.wd]
                lock.unlock()
                guard let folder else { continue }
                if event.mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0 { relevant = true; continue }
                guard SourceSnapshot.counts(name) else { continue }
                relevant = true
                // A new folder, or one moved in: watch it and what is already inside it.
                if event.mask & UInt32(IN_ISDIR) != 0, event.mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                    try? watchTree(folder + "/" + name)
                }
            }
        }
        return relevant
    }
}
