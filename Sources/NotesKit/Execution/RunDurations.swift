import Foundation

/// How long each note's cells took to run, by note slug: what `Shard` balances by.
///
/// Written only by unsharded builds (a plain build, or the final `--require-cache` build of a
/// sharded run), from the times in the cache's entries. Read by the first shard of a run to make
/// its `ShardPlan`, which the other shards then follow. Stored as a JSON blob named by an `ac/`
/// entry under a fixed key, locally and on the remote cache. A record that cannot be read counts
/// as empty: balancing falls back to counts.
struct RunDurations: Sendable, Equatable {
    var seconds: [String: Double] = [:]

    /// The `ac/` key the record is kept under.
    static let key = Digest.sha256Hex("notes run-durations 1\n")
    static let path = "run-durations.json"

    init(seconds: [String: Double] = [:]) {
        self.seconds = seconds
    }

    init?(json: Data) {
        guard let decoded = try? JSONDecoder().decode([String: Double].self, from: json) else { return nil }
        seconds = decoded.filter { $0.value.isFinite && $0.value >= 0 }
    }

    /// The record as JSON, keys sorted, times to the millisecond.
    func json() -> Data {
        let rounded = seconds.mapValues { ($0 * 1000).rounded() / 1000 }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(rounded)) ?? Data("{}".utf8)
    }
}
