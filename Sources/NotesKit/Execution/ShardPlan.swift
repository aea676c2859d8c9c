import Foundation

/// Which shard runs each note, for one version of a course: made by the first shard of a run
/// and read by the others, so shards that start minutes apart agree on the split even when the
/// run-times record changes in between.
///
/// The plan is kept under a key made from the notes' slugs and cell cache keys (`workKey`), so a
/// new commit, or a machine with another toolchain, gets a new plan, and a re-run of the same
/// shards keeps theirs. Each shard also leaves a claim naming the plan it used, which is what
/// lets the merge tell a shard that failed from shards that split the notes differently.
///
/// The split: notes go, longest first, to the part with the least time so far (then the fewest
/// notes, then the lowest number). A note with no recorded time counts as the mean of the known
/// ones; when none is known every note counts the same, so the parts get equal numbers of notes.
struct ShardPlan: Sendable, Equatable, Codable {
    /// How many shards the notes are split into.
    var count: Int
    /// The shard (from 1) that runs each note, by slug.
    var parts: [String: Int]
    /// Whether the split used recorded run times rather than note counts.
    var byRunTimes: Bool

    init(count: Int, parts: [String: Int], byRunTimes: Bool) {
        self.count = count
        self.parts = parts
        self.byRunTimes = byRunTimes
    }

    /// The split of `slugs` into `count` parts, given the recorded run times in seconds.
    init(splitting slugs: [String], into count: Int, durations: [String: Double]) {
        let known = slugs.compactMap { durations[$0] }
        let fallback = known.isEmpty ? 1 : known.reduce(0, +) / Double(known.count)
        let weighted = slugs.map { (slug: $0, seconds: durations[$0] ?? fallback) }
            .sorted { $0.seconds != $1.seconds ? $0.seconds > $1.seconds : $0.slug < $1.slug }
        var totals = Array(repeating: 0.0, count: count)
        var counts = Array(repeating: 0, count: count)
        var parts: [String: Int] = [:]
        for note in weighted {
            let part = totals.indices.min { (totals[$0], counts[$0], $0) < (totals[$1], counts[$1], $1) }!
            totals[part] += note.seconds
            counts[part] += 1
            parts[note.slug] = part + 1
        }
        self.init(count: count, parts: parts, byRunTimes: !known.isEmpty)
    }

    /// The slugs that `shard` runs.
    func notes(of shard: Int) -> Set<String> {
        Set(parts.filter { $0.value == shard }.keys)
    }

    /// Whether the plan covers exactly `slugs`, in `count` parts.
    func fits(_ slugs: [String], count: Int) -> Bool {
        self.count == count && Set(parts.keys) == Set(slugs)
    }

    // MARK: - Keys and stored form

    /// The `ac/` key of the plan for `work`: the notes with cells, as slug and cell cache key.
    static func workKey(_ work: [(slug: String, key: CacheKey)]) -> String {
        let lines = work.map { "\($0.slug) \($0.key.digest)\n" }.sorted()
        return Digest.sha256Hex("notes shard-plan 1\n" + lines.joined())
    }

    /// The `ac/` key of the claim shard `index` of `count` leaves for the plan under `workKey`.
    static func claimKey(workKey: String, index: Int, count: Int) -> String {
        Digest.sha256Hex("notes shard-claim 1\n\(workKey)\n\(index)/\(count)\n")
    }

    /// The name the plan's blob goes by in its entry.
    static let path = "shard-plan.json"

    /// The plan as JSON, keys sorted.
    func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }

    init?(json: Data) {
        guard let decoded = try? JSONDecoder().decode(ShardPlan.self, from: json), decoded.count >= 1,
              decoded.parts.values.allSatisfy({ (1...decoded.count).contains($0) }) else { return nil }
        self = decoded
    }
}
