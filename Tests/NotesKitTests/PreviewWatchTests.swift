import Foundation
import Testing
@testable import NotesKit

/// `notes serve`'s watchers and snapshots: editors' saves, bursts, new folders, changes during a build.
@Suite("Preview: watching the notes", .serialized) struct PreviewWatchTests {
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notes-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "---\ntitle: A\n---\n\nOne.\n".write(to: folder.appendingPathComponent("a.md"), atomically: false, encoding: .utf8)
        return folder
    }

    /// Whether `watcher` wakes within `seconds` (then closes it, so the waiting thread ends).
    static func wakes(_ watcher: any SourceWatcher, within seconds: Double) -> Bool {
        let done = DispatchSemaphore(value: 0)
        let woke = Locked(false)
        Thread.detachNewThread {
            woke.value = watcher.waitForChange(quiet: .milliseconds(120))
            done.signal()
        }
        let inTime = done.wait(timeout: .now() + seconds) == .success
        watcher.close()
        if !inTime { done.wait() } // the closed watcher returns false
        return inTime && woke.value
    }

    final class Locked<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: T
        init(_ value: T) { stored = value }
        var value: T {
            get { lock.lock(); defer { lock.unlock() }; return stored }
            set { lock.lock(); stored = newValue; lock.unlock() }
        }
    }

    /// Both kinds of watcher on `folder`, each made when its turn comes (after the last one's changes).
    static func watchers(_ folder: URL) -> [(String, () throws -> any SourceWatcher)] {
        [("inotify", { try InotifyWatcher(roots: [folder]) }), ("polling", { PollingWatcher(roots: [folder]) })]
    }

    @Test func anAtomicSaveIsSeenAndTheSnapshotNamesTheNote() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, make) in Self.watchers(folder) {
            let watcher = try make()
            let before = SourceSnapshot.take([folder])
            // As vim or VS Code save: a temporary file, then a rename over the note.
            let temporary = folder.appendingPathComponent(".a.md.swp")
            try "---\ntitle: A\n---\n\nTwo (\(name)).\n".write(to: temporary, atomically: false, encoding: .utf8)
            #expect(rename(temporary.path, folder.appendingPathComponent("a.md").path) == 0)
            #expect(Self.wakes(watcher, within: 5), "\(name): the rename was not seen")
            let after = SourceSnapshot.take([folder], reusing: before)
            #expect(before.changes(to: after) == [folder.appendingPathComponent("a.md").standardizedFileURL.path], "\(name)")
        }
    }

    @Test func aBurstOfFiftyWritesWakesOnce() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, make) in Self.watchers(folder) {
            let watcher = try make()
            let note = folder.appendingPathComponent("a.md")
            let writer = Thread {
                for k in 0..<50 {
                    try? "---\ntitle: A\n---\n\nWrite \(k) (\(name)).\n".write(to: note, atomically: false, encoding: .utf8)
                    Thread.sleep(forTimeInterval: 0.005)
                }
            }
            writer.start()
            #expect(watcher.waitForChange(quiet: .milliseconds(150)), "\(name)")
            // The burst is over: the next wait sees nothing more.
            #expect(!Self.wakes(watcher, within: 1), "\(name): woke again after the burst")
            let text = try String(contentsOf: note, encoding: .utf8)
            #expect(text.contains("Write 49 (\(name))."), "\(name): woke before the burst ended: \(text)")
        }
    }

    @Test func aNewSubfolderIsWatchedToo() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let watcher = try InotifyWatcher(roots: [folder])
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        #expect(watcher.waitForChange(quiet: .milliseconds(100)))
        try "1,2\n".write(to: folder.appendingPathComponent("data/points.csv"), atomically: false, encoding: .utf8)
        #expect(Self.wakes(watcher, within: 5), "a file in the new folder was not seen")
    }

    @Test func hiddenAndTemporaryFilesAreIgnored() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, make) in Self.watchers(folder) {
            let watcher = try make()
            for junk in [".a.md.swp", "a.md~", "4913", "#a.md#", "notes.tmp"] {
                try "junk".write(to: folder.appendingPathComponent(junk), atomically: false, encoding: .utf8)
            }
            #expect(!Self.wakes(watcher, within: 1), "\(name): woke for editors' files")
        }
        #expect(SourceSnapshot.take([folder]).files.count == 1)
    }

    @Test func aChangeDuringABuildIsKeptForTheNextOne() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, make) in Self.watchers(folder) {
            let watcher = try make()
            let before = SourceSnapshot.take([folder])
            // The change arrives while nobody waits (a build is running)…
            try "---\ntitle: A\n---\n\nDuring the build (\(name)).\n".write(to: folder.appendingPathComponent("a.md"), atomically: false, encoding: .utf8)
            Thread.sleep(forTimeInterval: 0.7)
            // …and the next wait returns at once, with the change in the snapshot.
            let started = ContinuousClock.now
            #expect(Self.wakes(watcher, within: 3), "\(name)")
            #expect(ContinuousClock.now - started < .seconds(2))
            #expect(!before.changes(to: SourceSnapshot.take([folder], reusing: before)).isEmpty)
        }
    }

    @Test func rewritingTheSameBytesIsNoChange() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = SourceSnapshot.take([folder])
        let note = folder.appendingPathComponent("a.md")
        try Data(contentsOf: note).write(to: note)
        #expect(before.changes(to: SourceSnapshot.take([folder], reusing: before)).isEmpty)
    }
}
