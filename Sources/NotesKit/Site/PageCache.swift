import Foundation

/// The note pages of the last build, so that a page whose inputs did not change is not rendered again.
///
/// For each note page the cache holds a digest of everything the page was made from (its note's
/// bytes and cell results, the site's facts, its neighbours, the theme, the typesetter: see
/// `SiteRenderer.inputs`) and of the answers to the questions it asked of other notes while it
/// was rendered (`CourseReads`), the questions themselves, the page's search entry, and the
/// identity of the file published (`FileIdentity`).
///
/// A page is reused when the same questions asked of today's course give a digest equal to the
/// stored one and the previous site still holds the very file published: it is then linked into
/// the new site without being read. The cache is tied to the build of `notes` that wrote it
/// (`ToolIdentity`): another build of the tool renders everything once.
struct PageCache: Sendable {
    private static let magic = "notes-page-cache-v1"
    /// Strings per page in the file: path, digest, questions, search entry, file identity.
    private static let fields = 5

    /// What is known about one published page.
    struct Entry: Sendable, Equatable {
        var digest: String
        /// The questions the page asked of other notes, sorted.
        var reads: [String]
        /// The page's search entry, as JSON.
        var search: String
        /// The file as published; nil until it is.
        var file: FileIdentity?
    }

    /// Entries by the page's site-relative path.
    var entries: [String: Entry] = [:]

    init(entries: [String: Entry] = [:]) {
        self.entries = entries
    }

    /// The cache in `folder`, or an empty one; `warning` hears about a broken file.
    init(folder: URL, warning: (String) -> Void = { _ in }) {
        let file = Self.file(in: folder)
        switch RecordFile.read(file, magic: Self.magic, fingerprint: ToolIdentity.current) {
        case nil, .otherFingerprint?: return
        case .records(let records)? where records.count % Self.fields == 0:
            for start in stride(from: 0, to: records.count, by: Self.fields) {
                let reads = records[start + 2].isEmpty ? [] : records[start + 2].split(separator: "\n").map(String.init)
                entries[records[start]] = Entry(digest: records[start + 1], reads: reads, search: records[start + 3],
                                                file: FileIdentity(text: records[start + 4]))
            }
        default:
            warning("discarded unreadable page cache \(file.path)")
        }
    }

    /// Writes the cache into `folder`, atomically, pages in path order.
    func save(in folder: URL) throws {
        let records = entries.keys.sorted().flatMap { path -> [String] in
            let entry = entries[path]!
            return [path, entry.digest, entry.reads.joined(separator: "\n"), entry.search, entry.file?.text ?? ""]
        }
        try RecordFile.write(records, to: Self.file(in: folder), magic: Self.magic, fingerprint: ToolIdentity.current)
    }

    static func file(in folder: URL) -> URL { folder.appendingPathComponent("pages.cache") }

    /// The digest of a page made from `inputs` whose questions got `answers`.
    static func digest(inputs: String, answers: [(question: String, answer: String)]) -> String {
        var text = inputs
        for (question, answer) in answers.sorted(by: { $0.question < $1.question }) {
            text += "\u{0}" + question + "\u{0}" + answer
        }
        return Digest.sha256Hex(text)
    }
}
