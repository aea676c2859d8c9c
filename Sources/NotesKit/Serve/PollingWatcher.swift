import Foundation

/// Watches by scanning the folders every 300 ms: for network mounts, and where inotify's watch
/// limit is reached. A scan reads only the files whose size, time or inode changed.
final class PollingWatcher: SourceWatcher, @unchecked Sendable {
    static let interval = Duration.milliseconds(300)

    private let roots: [URL]
    private let closed = ClosedFlag()
    private var last: SourceSnapshot

    init(roots: [URL]) {
        self.roots = roots
        last = SourceSnapshot.take(roots)
    }

    var method: String { "polling every \(Self.interval.seconds * 1000) ms" }

    func waitForChange(quiet: Duration) -> Bool {
        while !closed.isSet {
            Thread.sleep(forTimeInterval: Self.interval.seconds)
            let now = SourceSnapshot.take(roots, reusing: last)
            guard now != last else { last = now; continue }
            // Changed: wait until a scan finds nothing new for `quiet`.
            last = now
            var stableSince = ContinuousClock.now
            while !closed.isSet, ContinuousClock.now - stableSince < quiet {
                Thread.sleep(forTimeInterval: min(quiet.seconds, 0.05))
                let again = SourceSnapshot.take(roots, reusing: last)
                if again != last { last = again; stableSince = ContinuousClock.now }
            }
            return !closed.isSet
        }
        return false
    }

    func close() { closed.set() }
}
