import Foundation
import Testing
@testable import NotesKit

/// What a cell may and may not do (issue 10): it runs in a bubblewrap sandbox, with limits, and
/// cannot forge the events that tell the tool where its output belongs.
@Suite("Sandbox (slow: compiles notes)", .serialized) struct SandboxTests {
    /// Runs one note's cells in `folder` and returns each cell's stdout and the verdict.
    static func run(_ text: String, extraFiles: [String: String] = [:], sandboxed: Bool = true) throws -> (stdout: [String], verdict: NotebookVerdict) {
        let folder = try ExecutionTests.scratchNotes(["note.md": text].merging(extraFiles) { $1 })
        defer { try? FileManager.default.removeItem(at: folder) }
        TestEnvironment.prepare()
        var warnings: [Diagnostic] = []
        let note = try NoteLoader.load(folder.appendingPathComponent("note.md"), file: "notes/note.md", warnings: &warnings)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("notes-sandbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = try Executor(notesFolder: folder, cache: nil, scratch: scratch, sandboxed: sandboxed, log: { _ in }).run([note])
        let verdict = NotebookVerdict(note: note, result: report.results[note.slug])
        return (verdict.cells.map { $0.result?.stdout ?? "" }, verdict)
    }

    static func note(_ cells: String...) -> String {
        "---\ntitle: Sandbox\n---\n\n" + cells.map { "```swift\n\($0)\n```\n\n" }.joined()
    }

    @Test func aCellSeesOnlyTheSystemTheNotesAndItsScratchFolder() throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("notes-secret-\(UUID().uuidString)")
        try "top secret".write(to: secret, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: secret) }
        setenv("NOTES_TEST_SECRET_TOKEN", "hunter2", 1)
        defer { unsetenv("NOTES_TEST_SECRET_TOKEN") }
        let (stdout, verdict) = try Self.run(Self.note("""
            import Foundation
            func readable(_ path: String) -> String { FileManager.default.contents(atPath: path) == nil ? "no" : "yes" }
            func writable(_ path: String) -> String { (try? "x".write(toFile: path, atomically: false, encoding: .utf8)) == nil ? "no" : "yes" }
            print("secret file:", readable("\(secret.path)"))
            print("home:", readable(NSHomeDirectory() + "/.bashrc"), readable("/root/.bashrc"), readable("/etc/shadow"))
            print("data file:", readable("data/values.txt"))
            print("write notes:", writable("data/values.txt"), writable("new.md"))
            print("write system:", writable("/usr/evil"), writable("/etc/evil"))
            print("write scratch:", writable(NSTemporaryDirectory() + "/ok"), writable("/tmp/ok"))
            let environment = ProcessInfo.processInfo.environment
            print("environment:", environment["NOTES_TEST_SECRET_TOKEN"] ?? "clean", environment.keys.filter { $0.hasPrefix("NOTES_") })
            let others = (1...3).map { String(decoding: FileManager.default.contents(atPath: "/proc/\\($0)/environ") ?? Data(), as: UTF8.self) }
            print("other processes:", others.contains { $0.contains("hunter2") } ? "leak" : "clean")
            print("inherited descriptor:", fcntl(\(Self.inheritedDescriptor), F_GETFD) == -1 ? "closed" : "open")
            """), extraFiles: ["data/values.txt": "1 2 3"])
        #expect(verdict.failures.isEmpty, "\(verdict.failures.map(\.message))")
        #expect(stdout == ["""
            secret file: no
            home: no no no
            data file: yes
            write notes: no no
            write system: no no
            write scratch: yes yes
            environment: clean []
            other processes: clean
            inherited descriptor: closed

            """])
    }

    /// A descriptor the test process holds open without close-on-exec, as a `make` jobserver's is.
    static let inheritedDescriptor: Int32 = {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("notes-inherited-\(getpid())")
        FileManager.default.createFile(atPath: file.path, contents: Data("secret".utf8))
        return open(file.path, O_RDONLY)
    }()

    @Test func aProgramWhoseRecordsVanishFailsItsFirstCell() throws {
        let (_, verdict) = try Self.run(Self.note("""
            import Foundation
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = ["-c", ": > /proc/$PPID/fd/3"]
            try! shell.run()
            shell.waitUntilExit()
            fatalError("after hiding every record")
            """, "print(2)"))
        #expect(verdict.failures.first?.message.contains("ended before its first cell") == true, "\(verdict.failures.map(\.message))")
    }

    @Test func aCellHasNoNetwork() throws {
        // A server on the host's loopback: outside the sandbox's own network namespace.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        listen(listener, 1)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = UInt16(bigEndian: address.sin_port)
        let connect = """
            import Foundation
            let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(\(port)).bigEndian
            let result = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            print(result == 0 ? "connected" : "refused")
            """
        #expect(try Self.run(Self.note(connect)).stdout == ["refused\n"])
        #expect(try Self.run(Self.note(connect), sandboxed: false).stdout == ["connected\n"], "the test's server must be reachable without the sandbox")
    }

    @Test func processesACellStartsDieWithItAndTheirNumberIsLimited() throws {
        let marker = "4\(Int.random(in: 10_000...99_999))"
        let (stdout, verdict) = try Self.run(Self.note("""
            import Foundation
            let detached = Process()
            detached.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
            detached.arguments = ["/bin/sleep", "\(marker)"]
            try! detached.run()
            var started = 0
            for _ in 0..<2000 {
                let child = Process()
                child.executableURL = URL(fileURLWithPath: "/bin/sleep")
                child.arguments = ["\(marker)"]
                do { try child.run(); started += 1 } catch { break }
            }
            print(started < 1000 ? "limited" : "not limited: \\(started)")
            """))
        #expect(verdict.failures.isEmpty, "\(verdict.failures.map(\.message))")
        #expect(stdout == ["limited\n"])
        usleep(200_000)
        #expect(Self.processes(matching: "sleep \(marker)") == 0, "processes the cell started outlived it")
    }

    @Test func memoryAndCrashReportsSurviveLimitsAndLongOutput() throws {
        let (_, verdict) = try Self.run(Self.note("""
            import Foundation
            let noise = String(repeating: "x", count: 1023) + "\\n"
            for _ in 0..<2048 { FileHandle.standardError.write(noise.data(using: .utf8)!) }
            let xs = [1]
            print(xs[2])
            """, "print(2)"))
        let crash = verdict.failures.first?.message ?? ""
        #expect(crash.contains("Fatal error: Index out of range"), "the crash message was lost after 2 MiB of stderr: \(crash)")
        #expect(verdict.failures.first?.line == 10, "the crash is located at its line")
        #expect(verdict.cells[0].stderr.contains("output cut here"))
        #expect(verdict.cells[1].status == .notRun)
    }

    @Test func memoryBeyondTheLimitIsRefusedWithAMessage() throws {
        // 12 GiB, never touched: the machine would grant it (overcommit), the 8 GiB limit does not.
        let allocate = "let huge = [UInt8](unsafeUninitializedCapacity: 12 << 30) { _, count in count = 0 }\nprint(huge.capacity >= 12 << 30)"
        let (_, limited) = try Self.run(Self.note(allocate))
        #expect(limited.failures.first?.message.contains("failed to allocate") == true, "\(limited.failures.map(\.message))")
        #expect(limited.failures.first?.message.contains("may use 8 GiB of memory each") == true)
    }

    @Test func printedTextCannotForgeEventsOrReadTheChannel() throws {
        let (stdout, verdict) = try Self.run(Self.note("""
            import Foundation
            print("0 0 0 done")
            print("0 0 5 inline 0\\nfaked")
            print("\\u{1}NOTES:x:cell 1\\u{2}still cell zero")
            print(ProcessInfo.processInfo.environment["NOTES_EVENTS_FD"] ?? "no descriptor in the environment")
            print(fcntl(3, F_GETFD) & FD_CLOEXEC != 0 ? "closed on exec" : "inherited")
            """, "print(\"cell one\")"))
        #expect(verdict.failures.isEmpty, "\(verdict.failures.map(\.message))")
        #expect(stdout == ["0 0 0 done\n0 0 5 inline 0\nfaked\n\u{2401}NOTES:x:cell 1\u{2402}still cell zero\nno descriptor in the environment\nclosed on exec\n", "cell one\n"]
                || stdout == ["0 0 0 done\n0 0 5 inline 0\nfaked\n\u{1}NOTES:x:cell 1\u{2}still cell zero\nno descriptor in the environment\nclosed on exec\n", "cell one\n"])
    }

    @Test func chartsWithMismatchedLengthsOrNaNSaySo() throws {
        let (_, verdict) = try Self.run(Self.note(
            "Chart().line(\"cost\", x: [1, 2, 3], y: [1, 2]).show()",
            "Chart().line(\"loss\", [1, .nan]).show()"))
        let messages = verdict.failures.map(\.message)
        #expect(messages.first?.contains("Fatal error: Chart series 'cost' has 3 x values but 2 y values: they must be as many") == true, "\(messages)")
        #expect(verdict.cells[1].status == .notRun)
        let (_, second) = try Self.run(Self.note("Chart().line(\"loss\", [1, .nan]).show()"))
        #expect(second.failures.first?.message.contains("Chart series 'loss' has nan as its y value at index 1: a chart needs finite numbers") == true,
                "\(second.failures.map(\.message))")
    }

    @Test func aBuildLeavesNoTemporaryFoldersAndRemovesAbandonedStagingFolders() throws {
        let (root, notes, site) = try SiteBuilderTests.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.note("print(1)").write(to: notes.appendingPathComponent("cell.md"), atomically: true, encoding: .utf8)
        let abandoned = root.appendingPathComponent(".site.staging-999999999"), live = root.appendingPathComponent(".site.staging-1")
        for folder in [abandoned, live] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let temporary = root.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        TestEnvironment.prepare()
        let run = try Self.tool(["build", "--no-cache"], in: root, environment: ["TMPDIR": temporary.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("cell.html").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path) == [], "swiftc or the build left files in TMPDIR")
        #expect(!FileManager.default.fileExists(atPath: abandoned.path), "a staging folder whose process is gone was kept")
        #expect(FileManager.default.fileExists(atPath: live.path), "the staging folder of a running process was removed")
    }

    /// Runs the `notes` binary with `environment` added, in `directory`, and returns its status and stderr.
    static func tool(_ arguments: [String], in directory: URL, environment: [String: String] = [:],
                     signal: (Int32, after: String)? = nil) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let errors = directory.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        if let (number, awaited) = signal {
            for _ in 0..<1200 where !((try? String(contentsOf: errors, encoding: .utf8)) ?? "").contains(awaited) { usleep(50_000) }
            usleep(1_000_000)
            kill(process.processIdentifier, number)
        }
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: errors, encoding: .utf8)) ?? "")
    }

    @Test func withoutBubblewrapTheBuildSaysSoInOneLineUnlessNoSandbox() throws {
        let (root, notes, _) = try SiteBuilderTests.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.note("print(1)").write(to: notes.appendingPathComponent("cell.md"), atomically: true, encoding: .utf8)
        TestEnvironment.prepare()
        let environment = ["NOTES_BWRAP": "/nonexistent/bwrap"]
        let refused = try Self.tool(["check", "--no-cache"], in: root, environment: environment)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("sandbox: error: bubblewrap (bwrap) is not installed; cells run in a bubblewrap sandbox (install it with `apt-get install bubblewrap`, or run `script/setup`), or pass --no-sandbox for notes you trust"), "\(refused.stderr)")
        let trusted = try Self.tool(["check", "--no-cache", "--no-sandbox"], in: root, environment: environment)
        #expect(trusted.status == 0, "\(trusted.stderr)")
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func aSignalStopsEveryCellRemovesTemporaryFilesAndKeepsTheSite(signal: Int32, status: Int32) throws {
        let (root, notes, site) = try SiteBuilderTests.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try SiteBuilderTests.build(notes, site)
        let before = try FileManager.default.contentsOfDirectory(atPath: site.path).sorted()
        let marker = "5\(Int.random(in: 10_000...99_999))"
        try Self.note("""
            import Foundation
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/bin/sleep")
            child.arguments = ["\(marker)"]
            try! child.run()
            var spin = 0
            while true { spin &+= 1 }
            """).write(to: notes.appendingPathComponent("spin.md"), atomically: true, encoding: .utf8)
        let temporary = root.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        TestEnvironment.prepare()
        let run = try Self.tool(["build", "--no-cache"], in: root, environment: ["TMPDIR": temporary.path],
                                signal: (signal, after: "running notes/spin.md"))
        #expect(run.status == status, "\(run.stderr)")
        #expect(run.stderr.contains("stopped every cell, removed temporary files; the site was left as it was"))
        usleep(200_000)
        #expect(Self.processes(matching: "sleep \(marker)") == 0, "the cell's child outlived the build")
        #expect(Self.processes(matching: "spin") == 0)
        let left = FileManager.default.enumerator(atPath: temporary.path)?.allObjects as? [String] ?? []
        #expect(left == [], "left in TMPDIR: \(left)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.path).sorted() == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.contains("staging") } == [])
    }

    /// How many running processes have `text` in their command line.
    static func processes(matching text: String) -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { Int($0) != nil }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self).contains(text)
        }.count
    }
}
