import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The processes descended from one process, read from `/proc`, to kill a program together with
/// everything it started even when those left its process group (the Swift driver starts its
/// frontends in groups of their own).
enum ProcessTree {
    /// Every living descendant of `root` (children, their children, …), found before any is killed.
    static func descendants(of root: pid_t) -> [pid_t] {
        var children: [pid_t: [pid_t]] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), let parent = parent(of: pid) else { continue }
            children[parent, default: []].append(pid)
        }
        var found: [pid_t] = []
        var pending = [root]
        while let next = pending.popLast() {
            for child in children[next] ?? [] where !found.contains(child) {
                found.append(child)
                pending.append(child)
            }
        }
        return found
    }

    /// Kills `leader`'s process group and every descendant of `leader` with SIGKILL.
    static func kill(group leader: pid_t) {
        let tree = descendants(of: leader)
        Glibc.kill(-leader, SIGKILL)
        for pid in tree { Glibc.kill(pid, SIGKILL) }
    }

    /// The parent of `pid` from `/proc/PID/stat` (its fourth field, after the parenthesised name).
    private static func parent(of pid: pid_t) -> pid_t? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat"),
              let close = data.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = data[data.index(after: close)...].split(separator: UInt8(ascii: " "))
        guard fields.count > 1 else { return nil }
        return pid_t(String(decoding: fields[1], as: UTF8.self))
    }
}
