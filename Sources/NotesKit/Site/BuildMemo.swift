import Foundation

/// What one process keeps between its builds: notes already parsed, the math and page caches as read.
///
/// `notes serve` builds again and again in one process. Everything a build can reuse is already
/// on disk (cell results, typeset math, pages), but reading it back costs more than the edit:
/// parsing every note of a large course, decoding a math cache of every formula. The memo keeps
/// them in memory, checked against what is on disk now: a note is reused, without even being
/// read, while its file is the one read last time (`FileIdentity`: device, inode, size and
/// modification time), or else for the very same text (SHA-256), under the same raw-HTML policy;
/// a cache file only while it is the one this process last read or wrote. `notes build` runs once
/// and has none.
///
/// The note and page caches are written after the build that changed them, in the background:
/// a build queues them (`later`), `startWrites` sets them going once the pages have been told of
/// the new site, and the next build waits for them (`finishWrites`) before it reads anything.
public final class BuildMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var notes: [String: (digest: String, identity: FileIdentity?, rawHTML: RawHTMLPolicy, note: Note, warnings: [Diagnostic])] = [:]
    private var pages: (identity: FileIdentity, cache: PageCache)?
    private var noteCache: NoteCache?
    private let writes = DispatchQueue(label: "notes.memo.writes")
    private let pendingWrites = DispatchGroup()
    /// Writes queued by `later` and not yet started.
    private var queuedWrites: [@Sendable () -> Diagnostic?] = []
    /// What failed writes had to say, for the next build.
    private var writeWarnings: [Diagnostic] = []
    /// Math cache files by path.
    private var math: [String: (identity: FileIdentity, fingerprint: String, entries: [MathRequest: String])] = [:]

    public init() {}

    /// The note parsed before at `path` from a text of the same SHA-256 `digest`, with its warnings.
    func note(at path: String, digest: String, rawHTML: RawHTMLPolicy) -> (note: Note, warnings: [Diagnostic])? {
        lock.withLock {
            guard let kept = notes[path], kept.digest == digest, kept.rawHTML == rawHTML else { return nil }
            return (kept.note, kept.warnings)
        }
    }

    /// The note read before at `path` from the file that is there now, unchanged.
    func note(at path: String, identity: FileIdentity, rawHTML: RawHTMLPolicy) -> (note: Note, warnings: [Diagnostic])? {
        lock.withLock {
            guard let kept = notes[path], kept.identity == identity, kept.rawHTML == rawHTML else { return nil }
            return (kept.note, kept.warnings)
        }
    }

    /// Keeps the notes of this build (only these: deleted notes are forgotten), each with the
    /// identity its file had before it was read.
    func keep(_ parsed: [String: (note: Note, warnings: [Diagnostic], identity: FileIdentity?)], rawHTML: RawHTMLPolicy) {
        lock.withLock {
            notes = parsed.mapValues { (digest: $0.note.sourceDigest, identity: $0.identity, rawHTML: rawHTML, note: $0.note, warnings: $0.warnings) }
        }
    }

    /// Queues `write` to run in the background once `startWrites` is called, after earlier
    /// writes; the warning it returns, if any, is the next build's. A write that has started holds
    /// off Ctrl-C until it is done, so that no temporary file is left; writes not yet started
    /// when the tool is stopped are not made (the caches then lack this build's entries).
    func later(_ write: @escaping @Sendable () -> Diagnostic?) {
        lock.withLock { queuedWrites.append(write) }
    }

    /// Starts the writes queued so far, in the background, in order.
    public func startWrites() {
        let started = lock.withLock {
            defer { queuedWrites = [] }
            return queuedWrites
        }
        for write in started {
            writes.async(group: pendingWrites) { [self] in
                let warning = try? Interruption.unlessInterrupted { write() }
                if let warning = warning ?? nil { lock.withLock { writeWarnings.append(warning) } }
            }
        }
    }

    /// Makes the writes queued so far and waits for them; returns their warnings, once.
    public func finishWrites() -> [Diagnostic] {
        startWrites()
        pendingWrites.wait()
        return lock.withLock {
            defer { writeWarnings = [] }
            return writeWarnings
        }
    }

    /// The note cache as last read or written, if its file is still that one (and for `rawHTML`).
    func noteCache(in folder: URL, rawHTML: RawHTMLPolicy) -> NoteCache? {
        lock.withLock {
            guard let noteCache, noteCache.fingerprint == NoteCache.fingerprint(rawHTML),
                  let identity = noteCache.identity, FileIdentity(path: noteCache.file.path) == identity,
                  noteCache.file == NoteCache.file(in: folder) else { return nil }
            return noteCache
        }
    }

    /// Remembers the note cache, which its file holds while that has `cache.identity`.
    func keepNoteCache(_ cache: NoteCache) {
        lock.withLock { noteCache = cache.identity == nil ? nil : cache }
    }

    /// The page cache as last read or written, if its file is still that one.
    func pageCache(in folder: URL) -> PageCache? {
        lock.withLock {
            guard let pages, FileIdentity(path: PageCache.file(in: folder).path) == pages.identity else { return nil }
            return pages.cache
        }
    }

    /// Remembers the page cache now in `folder`'s file.
    func keepPages(_ cache: PageCache, in folder: URL) {
        let identity = FileIdentity(path: PageCache.file(in: folder).path)
        lock.withLock { pages = identity.map { ($0, cache) } }
    }

    /// The formulas of the math cache file `file` as last read or written, if it is still that file.
    func mathEntries(file: URL, fingerprint: String) -> [MathRequest: String]? {
        lock.withLock {
            guard let kept = math[file.path], kept.fingerprint == fingerprint,
                  FileIdentity(path: file.path) == kept.identity else { return nil }
            return kept.entries
        }
    }

    /// Remembers the formulas now in the math cache file `file` (nothing if there is no such file).
    func keepMath(_ entries: [MathRequest: String], file: URL, fingerprint: String) {
        let identity = FileIdentity(path: file.path)
        lock.withLock { math[file.path] = identity.map { ($0, fingerprint, entries) } }
    }
}
