/// One of n parts of a course's notes, `--shard i/n` (1-based, as Playwright's).
///
/// Which notes fall to which part is a `ShardPlan`, balanced by the run times the last unsharded
/// build recorded (`RunDurations`) and fixed for the run by the first shard that starts.
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
}

/// A `--shard` value that cannot be used.
public struct ShardError: Error, CustomStringConvertible {
    public let description: String
}
