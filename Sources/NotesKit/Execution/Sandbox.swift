import Foundation

/// Where a note's program runs: in a bubblewrap sandbox, or, for trusted notes only, directly.
///
/// In the sandbox the program sees a read-only system (`/usr` and a few files of `/etc`), the
/// Swift toolchain, the compiled engine and its own binary, the notes folder read-only (data files
/// live there), and one writable folder, a 1 GiB tmpfs, as `/tmp` and `$HOME`. It has no
/// network (a new network namespace with only loopback), a new PID namespace (every process it
/// starts dies with it), no capabilities, a new session (it cannot reach the terminal), and a
/// clean environment. `--die-with-parent` ends it if the tool dies. Limits on memory, file size
/// (which bounds output) and open files are set with `prlimit`; the process count is bounded by
/// a pids cgroup where the tool may create one, and by `RLIMIT_NPROC` otherwise.
struct Sandbox: Sendable {
    /// The limits a program runs under, sandboxed or not.
    struct Limits: Sendable, Equatable {
        /// Address space of each process.
        var memory: UInt64 = 8 << 30
        /// Largest file a process may write: stdout and stderr are files, so this bounds output.
        var fileSize: UInt64 = 512 << 20
        /// Processes and threads a note may have at once.
        var processes: Int = 512
        /// Size of the writable `/tmp` (a tmpfs, in memory).
        var scratch: UInt64 = 1 << 30
        var openFiles: Int = 1024
    }

    enum Kind: Sendable, Equatable {
        case bubblewrap(URL)
        /// `--no-sandbox`: the program runs as the user, with the limits only.
        case none
    }

    let kind: Kind
    var limits = Limits()

    /// Finds bubblewrap (`NOTES_BWRAP`, or `bwrap` on `PATH`) and checks once per process that it can make a sandbox here.
    ///
    /// Throws one clear line when it cannot (not installed, or user namespaces are off), naming
    /// `--no-sandbox` as the way out for trusted notes.
    static func make(enabled: Bool) throws(DiagnosticsError) -> Sandbox {
        guard enabled else { return Sandbox(kind: .none) }
        return Sandbox(kind: .bubblewrap(try bubblewrap.get()))
    }

    private static let bubblewrap = findBubblewrap()

    private static func findBubblewrap() -> Result<URL, DiagnosticsError> {
        let fail = { (reason: String) -> Result<URL, DiagnosticsError> in
            .failure(DiagnosticsError([.error("sandbox", line: nil, reason
                + "; cells run in a bubblewrap sandbox (install it with `apt-get install bubblewrap`, or run `script/setup`), or pass --no-sandbox for notes you trust")]))
        }
        let environment = ProcessInfo.processInfo.environment
        let candidates = environment["NOTES_BWRAP"].map { [$0] }
            ?? (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/bwrap" }
        let path = candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else { return fail("bubblewrap (bwrap) is not installed") }
        let bwrap = URL(fileURLWithPath: path)
        let probe = Sandbox(kind: .bubblewrap(bwrap))
        let command = probe.command(URL(fileURLWithPath: "/usr/bin/true"), environment: [:], readOnly: [],
                                    workingDirectory: URL(fileURLWithPath: "/"))
        guard let result = try? ProcessRunner.run(command.executable, command.arguments, timeout: 30) else {
            return fail("bubblewrap could not be started")
        }
        guard result.status == .exited(0) else {
            let said = result.stderr.split(separator: "\n").first.map { ": \($0)" } ?? ""
            return fail("bubblewrap cannot create a sandbox here\(said) (are unprivileged user namespaces turned off?)")
        }
        return .success(bwrap)
    }

    /// The command that runs `program` in the sandbox.
    ///
    /// - Parameters:
    ///   - readOnly: folders and files the program may read, at their own paths (the notes
    ///     folder, the engine, the program's folder).
    ///
    /// The program's only writable folder is `/tmp` (also `$HOME`), a tmpfs of `limits.scratch`
    /// bytes that disappears with the sandbox.
    func command(_ program: URL, arguments: [String] = [], environment: [String: String], readOnly: [URL],
                 workingDirectory: URL) -> (executable: URL, arguments: [String]) {
        let limited = ["/usr/bin/prlimit", "--as=\(limits.memory)", "--fsize=\(limits.fileSize)",
                       "--nproc=\(limits.processes)", "--nofile=\(limits.openFiles)", "--core=0", "--",
                       program.path] + arguments
        guard case .bubblewrap(let bwrap) = kind else {
            return (URL(fileURLWithPath: limited[0]), Array(limited.dropFirst()))
        }
        var options = ["--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--clearenv"]
        let variables = ["PATH": "/usr/bin:/bin", "HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C.UTF-8"]
            .merging(environment) { _, given in given }
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) { options += ["--setenv", name, value] }
        options += ["--ro-bind", "/usr", "/usr"]
        for (link, target) in [("/bin", "usr/bin"), ("/sbin", "usr/sbin"), ("/lib", "usr/lib"), ("/lib64", "usr/lib64")] {
            options += Self.isSymbolicLink(link) ? ["--symlink", target, link] : ["--ro-bind-try", link, link]
        }
        for file in ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/passwd",
                     "/etc/group", "/etc/nsswitch.conf", "/etc/alternatives", "/etc/os-release"] {
            options += ["--ro-bind-try", file, file]
        }
        // A /dev of the few devices programs use, on a tmpfs too small to store anything.
        options += ["--size", "65536", "--tmpfs", "/dev"]
        for device in ["null", "zero", "full", "random", "urandom"] { options += ["--dev-bind", "/dev/\(device)", "/dev/\(device)"] }
        options += ["--symlink", "/proc/self/fd", "/dev/fd", "--symlink", "/proc/self/fd/0", "/dev/stdin",
                    "--symlink", "/proc/self/fd/1", "/dev/stdout", "--symlink", "/proc/self/fd/2", "/dev/stderr"]
        options += ["--proc", "/proc", "--size", String(limits.scratch), "--tmpfs", "/tmp"]
        // After /tmp, so that read-only paths under the host's /tmp are mounted on top of it.
        for path in (Self.toolchainFolders + readOnly.map(\.path)) { options += ["--ro-bind", path, path] }
        options += ["--remount-ro", "/", "--chdir", workingDirectory.path, "--"]
        return (bwrap, options + limited)
    }

    /// How the program itself ended: bubblewrap reports a program killed by signal n as exit
    /// status 128 + n.
    func programStatus(_ status: ProcessRunner.Status) -> ProcessRunner.Status {
        guard case .bubblewrap = kind, case .exited(let code) = status, code > 128, code < 128 + 65 else { return status }
        return .signaled(code - 128)
    }

    /// The Swift toolchain's `usr` folder (runtime libraries and the crash reporter), when it is
    /// not under `/usr` already.
    private static let toolchainFolders: [String] = {
        guard let swiftc = try? Toolchain.find().swiftc.resolvingSymlinksInPath() else { return [] }
        let root = swiftc.deletingLastPathComponent().deletingLastPathComponent().path
        return root == "/usr" || root.hasPrefix("/usr/") ? [] : [root]
    }()

    private static func isSymbolicLink(_ path: String) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
    }
}
