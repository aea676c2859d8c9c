import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ends the tool cleanly on SIGINT or SIGTERM: every program it started is killed with
/// everything those started, its temporary folders are removed, and it exits 130 or 143.
///
/// The signals are blocked in every thread and taken by one thread of their own with
/// `sigwait`, so the clean-up runs as ordinary code, not in a signal handler. Programs are
/// registered by process group (each cell's program leads one, and its sandbox's PID namespace
/// holds everything it started); folders by path. The site is never touched here: a build that
/// is interrupted before it swaps the new site in leaves the previous one as it was.
public enum Interruption {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var groups: [Int: pid_t] = [:]
    nonisolated(unsafe) private static var processes: [Int: pid_t] = [:]
    nonisolated(unsafe) private static var folders: [Int: URL] = [:]
    nonisolated(unsafe) private static var cleanups: [Int: @Sendable () -> Void] = [:]
    nonisolated(unsafe) private static var nextToken = 0
    nonisolated(unsafe) private static var installed = false
    nonisolated(unsafe) private static var interrupted = false

    /// True once a signal arrived: results of killed programs must not be cached, nor a site published.
    static var isInterrupted: Bool {
        lock.lock()
        defer { lock.unlock() }
        return interrupted
    }

    /// Takes SIGINT and SIGTERM for the whole process; call first in `main`, before any thread starts.
    public static func install() {
        lock.lock()
        defer { lock.unlock() }
        guard !installed else { return }
        installed = true
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        let waited = signals
        let thread = Thread {
            var (set, received) = (waited, Int32(0))
            while sigwait(&set, &received) != 0 {}
            cleanUpAndExit(signal: received)
        }
        thread.name = "notes-signals"
        thread.start()
    }

    /// A registration, undone by `end`.
    public struct Token: Sendable {
        fileprivate let value: Int
        /// Removes the registration (the work finished normally).
        public func end() {
            Interruption.lock.lock()
            defer { Interruption.lock.unlock() }
            Interruption.groups[value] = nil
            Interruption.processes[value] = nil
            Interruption.folders[value] = nil
            Interruption.cleanups[value] = nil
        }
    }

    /// Starts a process group with `spawn` (which returns its leader, or throws) and registers it,
    /// both under the lock, so that no program starts unregistered or after a signal arrived.
    static func launch(_ spawn: () throws -> pid_t) throws -> (leader: pid_t, token: Token) {
        lock.lock()
        defer { lock.unlock() }
        guard !interrupted else { throw ProcessError(message: "the build was interrupted") }
        let leader = try spawn()
        nextToken += 1
        groups[nextToken] = leader
        return (leader, Token(value: nextToken))
    }

    /// Runs `body` unless a signal arrived, holding the clean-up off until it is done: for a step
    /// that must not be cut in half, such as swapping the new site in.
    static func unlessInterrupted<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        guard !interrupted else { throw CancellationError() }
        return try body()
    }

    /// Kill the process `pid` if the tool is interrupted.
    static func register(process pid: pid_t) -> Token {
        add { processes[$0] = pid }
    }

    /// Remove `folder` if the tool is interrupted; register a folder before creating it.
    static func register(folder: URL) -> Token {
        add { folders[$0] = folder }
    }

    /// Run `cleanup` if the tool is interrupted (after the programs are killed).
    static func register(cleanup: @escaping @Sendable () -> Void) -> Token {
        add { cleanups[$0] = cleanup }
    }

    private static func add(_ body: (Int) -> Void) -> Token {
        lock.lock()
        defer { lock.unlock() }
        nextToken += 1
        body(nextToken)
        return Token(value: nextToken)
    }

    /// Kills, removes and exits while holding the lock, so that no thread of the build can start a
    /// program or register (and then create) a folder in between.
    private static func cleanUpAndExit(signal: Int32) {
        lock.lock()
        interrupted = true
        for leader in groups.values { ProcessTree.kill(group: leader) }
        for pid in processes.values { kill(pid, SIGKILL) }
        let remove = Array(folders.values)
        cleanups.values.forEach { $0() }
        // Threads of the build may be removing the same folders as their programs die, or be
        // about to create one inside them before they next reach this lock (where they stop for
        // good): remove, wait a moment, and remove again what reappeared.
        for pass in 0..<3 {
            if pass > 0 { usleep(50_000) }
            for folder in remove {
                for _ in 0..<50 where FileManager.default.fileExists(atPath: folder.path) {
                    try? FileManager.default.removeItem(at: folder)
                    if FileManager.default.fileExists(atPath: folder.path) { usleep(10_000) }
                }
            }
        }
        let name = signal == SIGINT ? "interrupted (SIGINT)" : "terminated (SIGTERM)"
        FileHandle.standardError.write(Data("notes: \(name): stopped every cell, removed temporary files; the site was left as it was\n".utf8))
        exit(128 + signal)
    }
}
