import Foundation

/// Note results looked up in the local cache folder, then on the shared cache server, and stored
/// in both after a run.
///
/// A result is a blob, the note's `NotebookResult` as JSON with sorted keys (`cas/`), named by an
/// `ActionResultMessage` under the note's `CacheKey` (`ac/`), which also holds when the run started
/// and ended. A result found only remotely is checked against its digest, then kept locally.
/// Before uploading a new result, the server's entry under the same key is read: a different
/// result there means the note's cells are not deterministic, which is reported, and the entry
/// is left as it is.
struct CellResultCache: Sendable {
    let local: LocalResultStore?
    let remote: RemoteCache?

    /// Who ran a result, as the entry's `worker` says.
    static let worker = "notes"

    /// A result from the cache.
    struct Hit: Sendable {
        var result: NotebookResult
        var entry: ActionResultMessage
        var fromRemote: Bool
    }

    /// The stored result for `key`; `warning` hears of broken local entries.
    func lookup(_ key: CacheKey, warning: (String) -> Void) -> Hit? {
        guard let (entry, data, fromRemote) = record(key.digest, warning: warning) else { return nil }
        guard let result = Self.decode(data) else {
            // A blob that matches its digest but is no result of this format: damage, or another writer.
            warning("discarded unreadable cache entry ac/\(key.digest.prefix(12))…")
            return nil
        }
        return Hit(result: result, entry: entry, fromRemote: fromRemote)
    }

    /// The entry under `key` and the blob it names, checked against its digest: from the local
    /// folder, else from the server (and then kept locally).
    private func record(_ key: String, warning: (String) -> Void) -> (ActionResultMessage, Data, fromRemote: Bool)? {
        if let local, let entry = local.entry(key, warning: warning), let data = local.blob(entry.result, warning: warning) {
            return (entry, data, false)
        }
        return remoteRecord(key).map { ($0.0, $0.1, true) }
    }

    /// The entry under `key` on the server and the blob it names, checked against its digest,
    /// and then kept locally.
    private func remoteRecord(_ key: String) -> (ActionResultMessage, Data)? {
        guard let remote, case .bytes(let bytes) = remote.entry(key) else { return nil }
        guard let entry = ActionResultMessage(decoding: bytes) else {
            remote.warn("remote cache entry ac/\(key) is not an ActionResult naming a blob: ignored")
            return nil
        }
        guard case .bytes(let data) = remote.blob(entry.result.hash) else { return nil }
        guard data.count == entry.result.size, Digest.sha256Hex(data) == entry.result.hash else {
            remote.warn("remote cache blob cas/\(entry.result.hash) does not match its digest: not trusted, counted as a miss")
            return nil
        }
        if let local {
            try? local.putBlob(data, entry.result)
            try? local.putEntry(entry, key)
        }
        return (entry, data)
    }

    /// Stores `result`, run from `started` to `finished` (seconds since 1970), under `key`;
    /// returns the problems, for warnings on the note.
    func store(_ result: NotebookResult, key: CacheKey, started: Double, finished: Double) -> [String] {
        guard let data = Self.encode(result) else { return ["cannot encode the note's result for the cache"] }
        let entry = ActionResultMessage(result: .init(of: data), worker: Self.worker, started: started, finished: finished)
        var problems: [String] = []
        do {
            try local?.putBlob(data, entry.result)
            try local?.putEntry(entry, key.digest)
        } catch {
            problems.append("cannot write the cell cache: \(error.localizedDescription)")
        }
        guard let remote, !remote.options.readOnly, remote.isAvailable else { return problems }
        if case .bytes(let bytes) = remote.entry(key.digest), let existing = ActionResultMessage(decoding: bytes),
           existing.result != entry.result {
            problems.append("the note's cells are not deterministic: this run's result (\(entry.result.hash.prefix(12))…) "
                            + "differs from the one the remote cache holds under the same key (\(existing.result.hash.prefix(12))…); "
                            + "seed every random number and avoid clocks, addresses and hash order in outputs")
            return problems
        }
        upload(data, entry, key.digest)
        return problems
    }

    /// Uploads the blob, then the entry naming it.
    private func upload(_ data: Data, _ entry: ActionResultMessage, _ key: String) {
        guard let remote, !remote.options.readOnly else { return }
        if remote.putBlob(data, hash: entry.result.hash) { remote.putEntry(entry.encoded(), key: key) }
    }

    // MARK: - Records: run times, shard plans and claims

    /// Where a record is looked for.
    enum Source {
        /// The local folder, else the server: for what any copy of will do.
        case localThenRemote
        /// The server when there is one, else the local folder: for what every shard of a run
        /// must read alike, whatever cache folder each machine restored.
        case sharedFirst
    }

    /// The bytes of the record under `key`, checked against the digest its entry names.
    func document(_ key: String, from source: Source = .localThenRemote) -> (digest: ActionResultMessage.BlobDigest, data: Data)? {
        if source == .sharedFirst, remote != nil {
            return remoteRecord(key).map { ($0.0.result, $0.1) }
        }
        return record(key, warning: { _ in }).map { ($0.0.result, $0.1) }
    }

    /// Stores `data` as the record `path` under `key`, locally and (unless read-only) remotely.
    func putDocument(_ data: Data, path: String, key: String) {
        let now = Date().timeIntervalSince1970
        let entry = ActionResultMessage(path: path, result: .init(of: data), worker: Self.worker, started: now, finished: now)
        try? local?.putBlob(data, entry.result)
        try? local?.putEntry(entry, key)
        upload(data, entry, key)
    }

    /// The run times recorded by the last unsharded build.
    func durations(from source: Source = .localThenRemote) -> RunDurations {
        document(RunDurations.key, from: source).flatMap { RunDurations(json: $0.data) } ?? RunDurations()
    }

    /// Records `durations` locally and remotely, when they differ from `previous` as stored
    /// (to the millisecond: a merge build that ran nothing stores nothing).
    func save(_ durations: RunDurations, replacing previous: RunDurations) {
        guard durations.json() != previous.json() else { return }
        putDocument(durations.json(), path: RunDurations.path, key: RunDurations.key)
    }

    // MARK: - Encoding

    static func encode(_ result: NotebookResult) -> Data? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try? encoder.encode(result)
    }

    static func decode(_ data: Data) -> NotebookResult? {
        try? JSONDecoder().decode(NotebookResult.self, from: data)
    }
}
