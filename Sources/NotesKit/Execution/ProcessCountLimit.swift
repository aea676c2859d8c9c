import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A pids cgroup of its own for one program run: at most `limit` processes and threads in it.
///
/// `RLIMIT_NPROC` counts processes per user and is not enforced for root, so a fork bomb in a
/// cell run by root (as in CI) would not be stopped by it. Where the tool may create cgroups
/// (cgroup v1's pids hierarchy, or cgroup v2 with the pids controller delegated to its own
/// group), the program starts inside a new one whose `pids.max` is the limit. Elsewhere `make`
/// returns nil and the rlimit is the only bound.
struct ProcessCountLimit {
    /// The cgroup's folder.
    let folder: URL

    /// Creates the cgroup, or returns nil when this machine does not let the tool.
    static func make(limit: Int) -> ProcessCountLimit? {
        guard let parent = parentFolder else { return nil }
        let folder = parent.appendingPathComponent("notes-\(getpid())-\(UUID().uuidString.prefix(8))")
        guard mkdir(folder.path, 0o755) == 0 else { return nil }
        let group = ProcessCountLimit(folder: folder)
        guard (try? "\(limit)\n".write(to: folder.appendingPathComponent("pids.max"), atomically: false, encoding: .utf8)) != nil else {
            group.remove()
            return nil
        }
        return group
    }

    /// The command that joins the cgroup and then executes `command`.
    func wrapping(_ command: (executable: URL, arguments: [String])) -> (executable: URL, arguments: [String]) {
        (URL(fileURLWithPath: "/bin/sh"),
         ["-c", "echo $$ > \"$0\" && exec \"$@\"", folder.appendingPathComponent("cgroup.procs").path,
          command.executable.path] + command.arguments)
    }

    /// Kills whatever is left in the cgroup and removes it.
    func remove() {
        for _ in 0..<200 {
            let members = (try? String(contentsOf: folder.appendingPathComponent("cgroup.procs"), encoding: .utf8))?
                .split(separator: "\n").compactMap { pid_t($0) } ?? []
            for member in members { kill(member, SIGKILL) }
            if rmdir(folder.path) == 0 || errno == ENOENT { return }
            usleep(5_000)
        }
    }

    /// Where this process's own pids cgroup is, if the tool may create groups in it.
    private static let parentFolder: URL? = {
        guard let lines = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8).split(separator: "\n") else { return nil }
        let fields = lines.map { $0.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init) }
        let root = URL(fileURLWithPath: "/sys/fs/cgroup")
        var candidates: [URL] = []
        if let v1 = fields.first(where: { $0.count == 3 && $0[1].split(separator: ",").contains("pids") }) {
            candidates.append(root.appendingPathComponent("pids").appendingPathComponent(v1[2]))
        }
        if let v2 = fields.first(where: { $0.count == 3 && $0[0] == "0" && $0[1].isEmpty }) {
            let own = root.appendingPathComponent(v2[2])
            let delegated = (try? String(contentsOf: own.appendingPathComponent("cgroup.subtree_control"), encoding: .utf8))?
                .split(separator: " ").contains { $0.trimmingCharacters(in: .whitespacesAndNewlines) == "pids" } ?? false
            if delegated { candidates.append(own) }
        }
        return candidates.first { access($0.path, W_OK) == 0 && FileManager.default.fileExists(atPath: $0.appendingPathComponent("cgroup.procs").path) }
    }()
}
