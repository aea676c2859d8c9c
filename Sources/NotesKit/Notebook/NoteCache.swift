import Foundation

/// What loading found in each note, kept between builds so that an unchanged note is not parsed again.
///
/// Parsing is most of the time an unchanged rebuild spends loading. The file `notes.cache` in
/// the cache folder holds, for each note file (by absolute path), the SHA-256 of its text and
/// its facts (`NoteFacts`): front matter, equations, references, notebook, word count and warnings,
/// everything but the Markdown tree. A note whose text has the same digest is made from its
/// facts, with a tree parsed only if its page is rendered (`NoteDocument`). The file is tied to
/// the build of `notes` (`ToolIdentity`) and the raw-HTML policy, which change what parsing
/// finds; another build of the tool parses everything once.
struct NoteCache: Sendable {
    private static let magic = "notes-note-cache-v1"
    /// Strings per note in the file: path, text digest, facts.
    private static let fields = 3

    /// One note's facts, as stored.
    struct Entry: Sendable, Equatable {
        var digest: String
        /// `NoteFacts` as text.
        var facts: String
    }

    let file: URL
    let fingerprint: String
    /// Entries by the note file's absolute path.
    private(set) var entries: [String: Entry] = [:]
    /// Whether `entries` differ from the file's.
    private(set) var changed = false
    /// The file as read (taken before reading) or as last written; nil if there was none.
    private(set) var identity: FileIdentity?

    /// The cache in `folder` for notes read under `rawHTML`, or an empty one; `warning` hears
    /// about a broken file.
    init(folder: URL, rawHTML: RawHTMLPolicy, warning: (String) -> Void = { _ in }) {
        file = Self.file(in: folder)
        fingerprint = Self.fingerprint(rawHTML)
        identity = FileIdentity(path: file.path)
        switch RecordFile.read(file, magic: Self.magic, fingerprint: fingerprint) {
        case nil, .otherFingerprint?:
            identity = nil // not the facts this build would keep
            return
        case .records(let records)? where records.count % Self.fields == 0:
            for start in stride(from: 0, to: records.count, by: Self.fields) {
                entries[records[start]] = Entry(digest: records[start + 1], facts: records[start + 2])
            }
        default:
            identity = nil
            warning("discarded unreadable note cache \(file.path)")
        }
    }

    /// The cache's file in the cache folder `folder`.
    static func file(in folder: URL) -> URL { folder.appendingPathComponent("notes.cache") }

    /// What the file must have been written by: this build of the tool, under `rawHTML`.
    static func fingerprint(_ rawHTML: RawHTMLPolicy) -> String { ToolIdentity.current + "; raw HTML " + rawHTML.rawValue }

    /// The note at `path` made from its facts, if its text has `digest`; nil if not cached or
    /// unreadable. `file` and `slug` name it as `NoteLoader` does.
    func note(at path: String, text: String, digest: String, file: String, slug: String) -> (note: Note, warnings: [Diagnostic])? {
        guard let entry = entries[path], entry.digest == digest, let facts = try? NoteFacts(text: entry.facts) else { return nil }
        return facts.note(file: file, slug: slug, text: text, digest: digest)
    }

    /// Makes the entries exactly those of `notes` (by absolute path), keeping stored facts of
    /// unchanged notes as they are.
    mutating func update(_ notes: [String: (note: Note, warnings: [Diagnostic])]) {
        var updated: [String: Entry] = [:]
        updated.reserveCapacity(notes.count)
        for (path, (note, warnings)) in notes {
            if let entry = entries[path], entry.digest == note.sourceDigest {
                updated[path] = entry
                continue
            }
            updated[path] = Entry(digest: note.sourceDigest, facts: NoteFacts(note, warnings: warnings).text)
        }
        changed = changed || updated != entries
        entries = updated
    }

    /// Writes the cache, atomically, notes in path order; nothing when it is unchanged.
    mutating func save() throws {
        guard changed else { return }
        let records = entries.keys.sorted().flatMap { [$0, entries[$0]!.digest, entries[$0]!.facts] }
        try RecordFile.write(records, to: file, magic: Self.magic, fingerprint: fingerprint)
        changed = false
        identity = FileIdentity(path: file.path)
    }
}
