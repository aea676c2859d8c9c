/// One of n parts of a course's notes, `--shard i/n` (1-based, as Playwright's), and how the
/// notes are split among the parts.
///
/// The split depends only on the note names and the run times recorded by the last unsharded
/// build (`RunDurations`), never on what other shards have cached meanwhile: shards that start
/// minutes apart still agree on it. Notes go, longest first, to the part with the least time so
/// far (ties to the lower part); a note with no recorded time counts as the mean of the known
/// ones, and when none is known every note counts the same, so the parts get equal numbers of
/// notes.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// From 1.
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// `2/3`, or nil with why not.
    public static func parse(_ text: String) -> Result<Shard, ShardError> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            return .failure(ShardError(description: "--shard must be i/n, as 2/3, not '\(text)'"))
        }
        guard count >= 1, (1...count).contains(index) else {
            return .failure(ShardError(description: "--shard \(text): i must be between 1 and n"))
        }
        return .success(Shard(index: index, count: count))
    }

    public var description: String { "\(index)/\(count)" }

    /// The slugs of `slugs` that fall to this part, given the recorded run times in seconds.
    func select(_ slugs: [String], durations: [String: Double]) -> Set<String> {
        let known = slugs.compactMap { durations[$0] }
        let fallback = known.isEmpty ? 1 : known.reduce(0, +) / Double(known.count)
        let weighted = slugs.map { (slug: $0, seconds: durations[$0] ?? fallback) }
            .sorted { $0.seconds != $1.seconds ? $0.seconds > $1.seconds : $0.slug < $1.slug }
        var totals = Array(repeating: 0.0, count: count)
        var counts = Array(repeating: 0, count: count)
        var mine: Set<String> = []
        for note in weighted {
            // The part with the least time, then the fewest notes, then the lowest number.
            let part = totals.indices.min { (totals[$0], counts[$0], $0) < (totals[$1], counts[$1], $1) }!
            totals[part] += note.seconds
            counts[part] += 1
            if part == index - 1 { mine.insert(note.slug) }
        }
        return mine
    }
}

/// A `--shard` value that cannot be used.
public struct ShardError: Error, CustomStringConvertible {
    public let description: String
}
