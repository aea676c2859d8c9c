import Foundation

/// Whether a watcher has been closed, readable from the thread that waits on it.
final class ClosedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var closed = false

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return closed
    }

    func set() {
        lock.lock()
        closed = true
        lock.unlock()
    }
}
