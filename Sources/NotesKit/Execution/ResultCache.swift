import Foundation

/// Note results kept between builds, one file per note, keyed by everything the run depends on.
///
/// The key is a SHA-256 of the note's runnable cells with their attributes, its inline
/// expressions and time limit, the engine and support sources, the compiler version and flags,
/// and the bytes of the data files the note declares. Prose is not in the key: editing it
/// re-renders without re-running. An unreadable entry is discarded with a warning.
struct ResultCache {
    let folder: URL

    /// One stored entry: the key it was made under and the result.
    private struct Entry: Codable {
        var key: String
        var result: NotebookResult
    }

    /// An entry's key alone, read when the whole entry cannot be: an entry made under another key
    /// (another version of the tool, whose results may be shaped differently) is out of date.
    private struct StoredKey: Codable {
        var key: String
    }

    /// Changes whenever `NotebookResult`'s stored form does.
    static let format = "notebook-result 3"

    /// The cache key of `note` under `environment` (compiler, flags and engine fingerprint).
    static func key(for note: Note, environment: Data, notesFolder: URL) throws(DiagnosticsError) -> String {
        var data = Data("\(format)\n".utf8)
        data.append(environment)
        for cell in note.notebook.runnableCells {
            // What changes how the cell runs; how it is shown (hide, output=, id=, test=) does not.
            let options = cell.options
            data.append(Data("cell \(cell.index) expect=\(options.expectation.rawValue) timeout=\(options.timeout.map { "\($0)" } ?? "none")\n".utf8))
            data.append(Data(cell.code.utf8))
            data.append(0)
        }
        for cell in note.notebook.liveCells {
            data.append(Data("live \(cell.index) \(cell.widget ?? "-")\n".utf8))
            data.append(Data(cell.code.utf8))
            data.append(0)
        }
        for value in note.notebook.inlineValues {
            data.append(Data("inline \(value.index) \(value.cellsBefore) \(value.expression)\n".utf8))
        }
        data.append(Data("timeout \(note.frontMatter.timeout ?? 0)\n".utf8))
        for path in note.frontMatter.data {
            let url = notesFolder.appendingPathComponent(path)
            guard let contents = try? Data(contentsOf: url) else {
                throw DiagnosticsError([.error(note.file, line: 1, "data file '\(path)' named in the front matter cannot be read")])
            }
            data.append(Data("data \(path) \(contents.count)\n".utf8))
            data.append(contents)
        }
        return Digest.sha256Hex(data)
    }

    private func file(for note: Note) -> URL {
        folder.appendingPathComponent(note.slug + ".json")
    }

    /// The stored result for `note` if it was made under `key`; `warning` hears about broken entries.
    func load(_ note: Note, key: String, warning: (String) -> Void) -> NotebookResult? {
        let url = file(for: note)
        guard let data = try? Data(contentsOf: url) else { return nil }
        let decoder = JSONDecoder()
        guard let entry = try? decoder.decode(Entry.self, from: data) else {
            // An entry of another format under another key is out of date, not broken.
            if let stored = try? decoder.decode(StoredKey.self, from: data), stored.key != key { return nil }
            warning("discarded unreadable cache entry \(url.path)")
            try? FileManager.default.removeItem(at: url)
            return nil
        }
        guard entry.key == key else { return nil }
        return entry.result
    }

    /// Stores `result` for `note` atomically.
    func store(_ result: NotebookResult, for note: Note, key: String) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(Entry(key: key, result: result)).write(to: file(for: note), options: .atomic)
    }
}
