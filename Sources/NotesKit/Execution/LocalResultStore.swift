import Foundation

/// Note results on disk, laid out like a Bazel cache: `ac/<key>` holds a note's
/// `ActionResultMessage`, `cas/<sha256>` the bytes it names.
///
/// Every file is named by a hash of what it depends on or holds, so the folders of several
/// machines merge by copying them into one: entries of different keys never collide, and a
/// blob's name is its content. Blobs are checked against their digest when read; one that does
/// not match is removed and counts as a miss.
struct LocalResultStore: Sendable {
    let folder: URL

    private func entryFile(_ key: String) -> URL {
        folder.appendingPathComponent("ac").appendingPathComponent(key)
    }

    private func blobFile(_ hash: String) -> URL {
        folder.appendingPathComponent("cas").appendingPathComponent(hash)
    }

    /// The entry stored under `key`; nil when there is none, and when it is unreadable, which
    /// `warning` hears of and which is removed.
    func entry(_ key: String, warning: (String) -> Void) -> ActionResultMessage? {
        let file = entryFile(key)
        guard let data = try? Data(contentsOf: file) else { return nil }
        guard let entry = ActionResultMessage(decoding: data) else {
            warning("discarded unreadable cache entry \(file.path)")
            try? FileManager.default.removeItem(at: file)
            return nil
        }
        return entry
    }

    /// The blob of `digest`, checked; `warning` hears of one that does not match its name.
    func blob(_ digest: ActionResultMessage.BlobDigest, warning: (String) -> Void) -> Data? {
        let file = blobFile(digest.hash)
        guard let data = try? Data(contentsOf: file) else { return nil }
        guard data.count == digest.size, Digest.sha256Hex(data) == digest.hash else {
            warning("discarded cache blob \(file.path): its bytes do not match its digest")
            try? FileManager.default.removeItem(at: file)
            return nil
        }
        return data
    }

    /// Stores `data` under its digest, atomically.
    func putBlob(_ data: Data, _ digest: ActionResultMessage.BlobDigest) throws {
        let file = blobFile(digest.hash)
        if FileManager.default.fileExists(atPath: file.path) { return }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file, options: .atomic)
    }

    /// Stores `entry` under `key`, atomically.
    func putEntry(_ entry: ActionResultMessage, _ key: String) throws {
        let file = entryFile(key)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try entry.encoded().write(to: file, options: .atomic)
    }
}
