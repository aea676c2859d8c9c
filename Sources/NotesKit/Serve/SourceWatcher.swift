import Foundation

/// Something that blocks until the watched folders may have changed: inotify, or polling.
///
/// A watcher only wakes the preview up after a burst of events has gone quiet; what changed,
/// if anything, is decided by comparing `SourceSnapshot`s. Events that arrive while a build runs
/// wait in the watcher until the build asks for the next burst, so none is lost.
protocol SourceWatcher: AnyObject, Sendable {
    /// Waits until something under the roots may have changed and then nothing has for `quiet`;
    /// false once the watcher is closed.
    func waitForChange(quiet: Duration) -> Bool
    /// Stops the watcher: a waiting or later `waitForChange` returns false.
    func close()
    /// How it watches, for the log: "inotify" or "polling every 300 ms".
    var method: String { get }
}

/// The watcher for `roots`: inotify, unless `poll` is set or inotify cannot watch them (the
/// watch limit reached, or no inotify); then polling, with the reason in `fallback`.
func makeSourceWatcher(roots: [URL], poll: Bool) -> (watcher: any SourceWatcher, fallback: String?) {
    if !poll {
        do {
            return (try InotifyWatcher(roots: roots), nil)
        } catch {
            return (PollingWatcher(roots: roots), "\(error); polling instead")
        }
    }
    return (PollingWatcher(roots: roots), nil)
}

/// Why inotify cannot watch: the message says what to do about it.
struct WatchError: Error, CustomStringConvertible {
    var description: String
}
