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
        if let local, let entry = local.entry(key.digest), let data = local.blob(entry.result, warning: warning) {
            if let result = Self.decode(data) { return Hit(result: result, entry: entry, fromRemote: false) }
            // A blob of another format under a key of this format cannot happen short of damage.
            warning("discarded unreadable cache entry \(key.digest.prefix(12))…")
        }
        guard let remote, case .bytes(let bytes) = remote.entry(key.digest) else { return nil }
        guard let entry = ActionResultMessage(decoding: bytes) else {
            remote.warn("remote cache entry ac/\(key.digest) is not an ActionResult naming a result: ignored")
            return nil
        }
        guard case .bytes(let data) = remote.blob(entry.result.hash) else { return nil }
        guard data.count == entry.result.size, Digest.sha256Hex(data) == entry.result.hash,
              let result = Self.decode(data) else {
            remote.warn("remote cache blob cas/\(entry.result.hash) does not match its digest: not trusted, the note runs here")
            return nil
        }
        if let local {
            try? local.putBlob(data, entry.result)
            try? local.putEntry(entry, key.digest)
        }
        return Hit(result: result, entry: entry, fromRemote: true)
    }

    /// Stores `result`, run from `started` to `finished` (seconds since 1970), under `key`;
    /// returns the problems, for warnings on the note.
    func store(_ result: NotebookResult, key: CacheKey, started: Double, finished: Double) -> [String] {
        guard let data = Self.encode(result) else { return ["cannot encode the note's result for the cache"] }
        let digest = ActionResultMessage.BlobDigest(hash: Digest.sha256Hex(data), size: data.count)
        let entry = ActionResultMessage(result: digest, worker: Self.worker, started: started, finished: finished)
        var problems: [String] = []
        if let local {
            do {
                try local.putBlob(data, digest)
                try local.putEntry(entry, key.digest)
            } catch {
                problems.append("cannot write the cell cache: \(error.localizedDescription)")
            }
        }
        guard let remote, !remote.options.readOnly, remote.isAvailable else { return problems }
        if case .bytes(let bytes) = remote.entry(key.digest), let existing = ActionResultMessage(decoding: bytes),
           existing.result != digest {
            problems.append("the note's cells are not deterministic: this run's result (\(digest.hash.prefix(12))…) differs from "
                            + "the one the remote cache holds under the same key (\(existing.result.hash.prefix(12))…); "
                            + "seed every random number and avoid clocks, addresses and hash order in outputs")
            return problems
        }
        if remote.putBlob(data, hash: digest.hash) { remote.putEntry(entry.encoded(), key: key.digest) }
        return problems
    }

    // MARK: - Run times, for shards

    /// The run times recorded by the last unsharded build: local record, else the server's.
    func durations() -> RunDurations {
        let ignore: (String) -> Void = { _ in }
        if let local, let entry = local.entry(RunDurations.key), let data = local.blob(entry.result, warning: ignore),
           let record = RunDurations(json: data) {
            return record
        }
        if let remote, case .bytes(let bytes) = remote.entry(RunDurations.key), let entry = ActionResultMessage(decoding: bytes),
           case .bytes(let data) = remote.blob(entry.result.hash), Digest.sha256Hex(data) == entry.result.hash,
           let record = RunDurations(json: data) {
            return record
        }
        return RunDurations()
    }

    /// Records `durations` locally and remotely where they differ from what is there.
    func save(_ durations: RunDurations, replacing previous: RunDurations) {
        guard durations != previous else { return }
        let data = durations.json()
        let digest = ActionResultMessage.BlobDigest(hash: Digest.sha256Hex(data), size: data.count)
        let now = Date().timeIntervalSince1970
        let entry = ActionResultMessage(path: RunDurations.path, result: digest, worker: Self.worker, started: now, finished: now)
        if let local {
            try? local.putBlob(data, digest)
            try? local.putEntry(entry, RunDurations.key)
        }
        if let remote, !remote.options.readOnly, remote.putBlob(data, hash: digest.hash) {
            remote.putEntry(entry.encoded(), key: RunDurations.key)
        }
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
