import Foundation
import NotebookSupport
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program in a process group of its own, with its output in files and a time limit.
///
/// Built on `posix_spawn` so that the child leads a new process group: on a timeout the whole
/// group (the program and anything it forked) is killed, never just the parent.
enum ProcessRunner {
    /// How a process ended.
    enum Status: Sendable, Equatable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)
        /// Killed by us because it ran past its time limit.
        case timedOut

        var description: String {
            switch self {
            case .exited(let code): return "exit status \(code)"
            case .signaled(let signal): return "signal \(signal) (\(Self.signalName(signal)))"
            case .timedOut: return "time limit exceeded"
            }
        }

        static func signalName(_ signal: Int32) -> String {
            switch signal {
            case SIGILL: return "SIGILL: illegal instruction, a Swift runtime trap"
            case SIGTRAP: return "SIGTRAP: a Swift runtime trap"
            case SIGABRT: return "SIGABRT: aborted"
            case SIGSEGV: return "SIGSEGV: invalid memory access"
            case SIGBUS: return "SIGBUS: bus error"
            case SIGFPE: return "SIGFPE: arithmetic error"
            case SIGKILL: return "SIGKILL: killed"
            case SIGXFSZ: return "SIGXFSZ: it wrote more than the sandbox's limit of \(Sandbox.Limits().fileSize >> 20) MiB to one file"
            default: return "signal \(signal)"
            }
        }
    }

    /// A finished run with its output read back.
    struct Result: Sendable {
        var status: Status
        var stdout: String
        var stderr: String
    }

    /// Runs `executable` to completion (or `timeout` seconds) and returns its output.
    ///
    /// Its output files and its `TMPDIR` are in a folder of its own that is removed afterwards
    /// (swiftc leaves empty `TemporaryDirectory.*` folders in `TMPDIR` otherwise).
    static func run(_ executable: URL, _ arguments: [String], timeout: Double,
                    environment: [String: String] = [:]) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notes-run-\(UUID().uuidString)")
        let temporary = folder.appendingPathComponent("tmp")
        let registration = Interruption.register(folder: folder)
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(at: folder)
            registration.end()
        }
        let out = folder.appendingPathComponent("stdout"), err = folder.appendingPathComponent("stderr")
        let status = try spawnAndWait(executable, arguments, environment: ["TMPDIR": temporary.path].merging(environment) { $1 },
                                      stdout: out, stderr: err, timeout: timeout, poll: { false })
        return Result(status: status, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// Spawns the program with stdout and stderr going to files, and waits for it.
    ///
    /// `events`, when given, is opened for writing as the program's descriptor
    /// `RuntimeProtocol.eventsDescriptor`. `poll` is called every few milliseconds while it runs;
    /// returning true kills the group (reported as `.timedOut`), as does passing `timeout`
    /// seconds. The group is killed too if the tool is interrupted (`Interruption`).
    ///
    /// The program gets no other descriptor of the tool's (inherited ones included: a `make`
    /// jobserver's, a redirected file's), and, with `inheritEnvironment` false, only
    /// `environment` and `PATH` as its environment.
    static func spawnAndWait(_ executable: URL, _ arguments: [String], environment: [String: String],
                             inheritEnvironment: Bool = true, stdout: URL, stderr: URL, events: URL? = nil,
                             timeout: Double, poll: () -> Bool) throws -> Status {
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
        // Append-only: a program cannot rewrite what it printed earlier.
        posix_spawn_file_actions_addopen(&fileActions, 1, stdout.path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&fileActions, 2, stderr.path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o644)
        if let events {
            posix_spawn_file_actions_addopen(&fileActions, RuntimeProtocol.eventsDescriptor, events.path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o644)
        }
        guard let closeFrom = Self.closeFrom else { throw ProcessError(message: "this C library cannot close descriptors for a new process") }
        _ = closeFrom(&fileActions, events == nil ? 3 : RuntimeProtocol.eventsDescriptor + 1)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attributes, &noMask)

        var merged = inheritEnvironment ? ProcessInfo.processInfo.environment
            : ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        for (key, value) in environment { merged[key] = value }
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        let (pid, registration) = try Interruption.launch { () throws -> pid_t in
            var pid: pid_t = 0
            let spawned = posix_spawn(&pid, executable.path, &fileActions, &attributes, argv, envp)
            guard spawned == 0 else {
                throw ProcessError(message: "cannot start \(executable.path): \(String(cString: strerror(spawned)))")
            }
            return pid
        }
        defer { registration.end() }
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        var pause: UInt32 = 1_000
        while true {
            let finished = waitpid(pid, &status, WNOHANG)
            if finished == pid { break }
            if finished == -1 && errno != EINTR { throw ProcessError(message: "waitpid failed: \(String(cString: strerror(errno)))") }
            if Date() > deadline || poll() {
                ProcessTree.kill(group: pid)
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                return .timedOut
            }
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
        // The group may hold children the program forked and left behind: end them too.
        ProcessTree.kill(group: pid)
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }
}

extension ProcessRunner {
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc
    /// module does not declare.
    fileprivate static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()
}

/// A process that could not be started or waited for.
struct ProcessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
