import Foundation
import Testing
@testable import NotesKit

/// The `notes` binary against Debian's nginx with WebDAV on loopback: shard processes fill the
/// server, a merge build runs no cell and makes the single-machine site byte for byte, a second
/// machine runs nothing the first ran, read-only mode writes nothing, and shards' cache folders
/// merge by copying.
@Suite("Shared cache over nginx (runs nginx and the notes binary)", .serialized) struct SharedCacheTests {
    /// Six notes, one cell each.
    static let notes: [String: String] = Dictionary(uniqueKeysWithValues: (1...6).map { number in
        ("note-\(number).md", """
            ---
            title: Note \(number)
            order: \(number)
            ---

            ## Part \(number)

            ```swift
            var random = Random(seed: \(number))
            print("note \(number):", random.normal())
            ```

            Twice \(number) is `{swift} 2 * \(number)`.
            """)
    })

    /// One machine: a checkout of the notes, its own cache folder, site and temporary folder.
    struct Machine {
        let root: URL
        var notes: URL { root.appendingPathComponent("notes") }
        var site: URL { root.appendingPathComponent("site") }
        var cache: URL { root.appendingPathComponent("cache") }

        init(_ notes: [String: String] = SharedCacheTests.notes) throws {
            TestEnvironment.prepare()
            root = FileManager.default.temporaryDirectory.appendingPathComponent("notes-shared-\(UUID().uuidString)")
            for folder in [self.notes, root.appendingPathComponent("tmp")] {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            for (name, text) in notes {
                try text.write(to: self.notes.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        }

        /// Starts `notes <command> --notes … --cache …` with `arguments`, its scratch in this
        /// machine's temporary folder. With `authority`, the process sees that certificate as the
        /// system's only certificate authority (in a mount namespace of its own, by bubblewrap),
        /// as a CI machine trusts its organisation's: nothing of the real system changes.
        func start(_ command: String, _ arguments: [String], environment extra: [String: String] = [:],
                   trusting authority: URL? = nil) throws -> (Process, Pipe, Pipe) {
            let process = Process()
            let notes = [command, "--notes", self.notes.path, "--cache", cache.path] + arguments
            if let authority {
                process.executableURL = URL(fileURLWithPath: "/usr/bin/bwrap")
                process.arguments = ["--dev-bind", "/", "/", "--tmpfs", "/etc/ssl/certs",
                                     "--ro-bind", authority.path, "/etc/ssl/certs/ca-certificates.crt",
                                     "--", CommandLineTests.binary.path] + notes
            } else {
                process.executableURL = CommandLineTests.binary
                process.arguments = notes
            }
            process.currentDirectoryURL = root
            var environment = ProcessInfo.processInfo.environment
            environment["TMPDIR"] = root.appendingPathComponent("tmp").path
            environment.removeValue(forKey: RemoteCacheOptions.urlVariable)
            environment.merge(extra) { $1 }
            process.environment = environment
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            return (process, out, err)
        }

        static func finish(_ started: (Process, Pipe, Pipe)) -> CommandLineTests.Run {
            let (process, out, err) = started
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return CommandLineTests.Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                                        stderr: String(decoding: stderr, as: UTF8.self))
        }

        func run(_ command: String, _ arguments: [String] = []) throws -> CommandLineTests.Run {
            Self.finish(try start(command, arguments))
        }

        func build(_ arguments: [String] = [], environment: [String: String] = [:], trusting authority: URL? = nil) throws
            -> CommandLineTests.Run {
            Self.finish(try start("build", ["--output", site.path] + arguments, environment: environment, trusting: authority))
        }

        func siteFiles() throws -> [String: Data] { try RemoteCacheTests.Machine.files(in: site) }
    }

    /// The number before `label` in a summary line: `3 notes run` → 3 for "notes run".
    static func count(_ label: String, in text: String) -> Int? {
        guard let range = text.range(of: " " + label) else { return nil }
        let digits = text[..<range.lowerBound].reversed().prefix { $0.isNumber }
        return Int(String(digits.reversed()))
    }

    @Test func threeShardsFillNginxAndTheMergeRunsNothingAndMatchesOneMachine() throws {
        let nginx = try NginxCacheServer()
        let reference = try Machine()
        let alone = try reference.build()
        #expect(alone.status == 0, "\(alone.stderr)")

        let shards = try (1...3).map { _ in try Machine() }
        let started = try shards.enumerated().map { index, machine in
            try machine.start("build", ["--output", machine.site.path, "--remote-cache", nginx.url.absoluteString,
                                        "--shard", "\(index + 1)/3"])
        }
        let runs = started.map(Machine.finish)
        for run in runs {
            #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
            #expect(!run.stderr.contains("warning"), "\(run.stderr)")
        }
        let ran = runs.map { Self.count("notes run", in: $0.stdout) ?? -1 }
        #expect(ran == [2, 2, 2], "\(runs.map(\.stdout))")
        #expect(shards.allSatisfy { !FileManager.default.fileExists(atPath: $0.site.path) }, "shards write no site")
        // Six results and their entries; one split, made by the first shard to start, and the
        // three shards' claims naming it; no run times yet: only unsharded builds record them.
        #expect(nginx.storedFiles.filter { $0.hasPrefix("ac/") }.count == 6 + 1 + 3, "\(nginx.storedFiles)")
        #expect(nginx.storedFiles.filter { $0.hasPrefix("cas/") }.count == 6 + 1)
        #expect(!nginx.storedFiles.contains("ac/" + RunDurations.key))

        let merge = try Machine()
        let merged = try merge.build(["--require-cache", "--remote-cache", nginx.url.absoluteString])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout.contains("0 notes run, 6 from cache (6 remote)"), "\(merged.stdout)")
        #expect(try merge.siteFiles() == reference.siteFiles())
        // The merge recorded the shards' run times for the next split.
        #expect(nginx.storedFiles.contains("ac/" + RunDurations.key))
        #expect(nginx.requests.allSatisfy { !$0.hasSuffix(" 500") && !$0.hasSuffix(" 409") }, "\(nginx.requests)")
    }

    @Test func aSecondMachineRunsNoCellTheFirstRan() throws {
        let nginx = try NginxCacheServer()
        let first = try Machine()
        let one = try first.build(["--remote-cache", nginx.url.absoluteString])
        #expect(one.status == 0 && Self.count("notes run", in: one.stdout) == 6, "\(one.stdout)\(one.stderr)")
        // The second machine: another checkout, cache folder and temporary folder; the server's
        // address from the environment this time.
        let second = try Machine()
        let check = Machine.finish(try second.start("check", [], environment: [RemoteCacheOptions.urlVariable: nginx.url.absoluteString]))
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("0 notes run, 6 from cache (6 remote)"), "\(check.stdout)")
        // What the check fetched is kept locally: the build needs no server.
        let two = try second.build()
        #expect(two.status == 0, "\(two.stderr)")
        #expect(two.stdout.contains("0 notes run, 6 from cache"), "\(two.stdout)")
        #expect(try second.siteFiles() == first.siteFiles())
    }

    @Test func readOnlyWritesNothingToTheServer() throws {
        let nginx = try NginxCacheServer()
        let first = try Machine()
        #expect(try first.build(["--remote-cache", nginx.url.absoluteString]).status == 0)
        let stored = nginx.storedFiles
        let requestsBefore = nginx.requests.count
        // A pull request from a fork: one note changed, one added, nothing may be uploaded.
        var changed = Self.notes
        changed["note-2.md"] = changed["note-2.md"]!.replacingOccurrences(of: "random.normal()", with: "random.normal() * 2")
        changed["note-7.md"] = changed["note-1.md"]!.replacingOccurrences(of: "Note 1", with: "Note 7")
            .replacingOccurrences(of: "seed: 1", with: "seed: 7")
        let fork = try Machine(changed)
        let run = try fork.build(["--remote-cache", nginx.url.absoluteString, "--remote-cache-read-only"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("2 notes run, 5 from cache (5 remote)"), "\(run.stdout)")
        let later = nginx.requests.dropFirst(requestsBefore)
        #expect(!later.isEmpty && later.allSatisfy { $0.hasPrefix("GET ") }, "\(Array(later))")
        #expect(nginx.storedFiles == stored)
    }

    // MARK: - https

    @Test func overHTTPSWithATrustedAuthorityASecondMachineRunsNothing() throws {
        let nginx = try NginxCacheServer(tls: true)
        let first = try Machine()
        let one = try first.build(["--remote-cache", nginx.url.absoluteString], trusting: nginx.certificate)
        #expect(one.status == 0 && Self.count("notes run", in: one.stdout) == 6, "\(one.stdout)\(one.stderr)")
        #expect(!one.stderr.contains("warning"), "\(one.stderr)")
        #expect(nginx.storedFiles.filter { $0.hasPrefix("cas/") }.count == 6 + 1, "six results and the run times")
        let second = try Machine()
        let two = try second.build(["--remote-cache", nginx.url.absoluteString], trusting: nginx.certificate)
        #expect(two.status == 0, "\(two.stderr)")
        #expect(two.stdout.contains("0 notes run, 6 from cache (6 remote)"), "\(two.stdout)")
        #expect(try second.siteFiles() == first.siteFiles())
    }

    @Test func anUntrustedCertificateIsRefusedWithOneWarning() throws {
        let nginx = try NginxCacheServer(tls: true)
        let machine = try Machine()
        let run = try machine.build(["--remote-cache", nginx.url.absoluteString])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Self.count("notes run", in: run.stdout) == 6, "\(run.stdout)")
        let warnings = run.stderr.split(separator: "\n").filter { $0.contains("warning") }
        #expect(warnings.count == 1 && warnings[0].contains("certificate"), "\(run.stderr)")
        // The handshake failed: no request reached nginx, nothing was stored.
        #expect(nginx.requests.isEmpty && nginx.storedFiles.isEmpty, "\(nginx.requests)")
        let reference = try Machine()
        #expect(try reference.build().status == 0)
        #expect(try machine.siteFiles() == reference.siteFiles())
    }

    @Test func redirectsAreNeverFollowedOverHTTPOrHTTPS() throws {
        // Where a redirect would lead: a server that records what reaches it.
        let elsewhere = try CacheTestServer()
        for tls in [false, true] {
            let nginx = try NginxCacheServer(tls: tls, redirect: URL(string: "http://127.0.0.1:\(elsewhere.url.port!)")!)
            let machine = try Machine()
            let run = try machine.build(["--remote-cache", nginx.url.absoluteString + "moved/"],
                                        environment: [RemoteCacheOptions.tokenVariable: "s3cret"],
                                        trusting: tls ? nginx.certificate : nil)
            #expect(run.status == 0 && Self.count("notes run", in: run.stdout) == 6, "\(run.stdout)\(run.stderr)")
            let warnings = run.stderr.split(separator: "\n").filter { $0.contains("warning") }
            #expect(warnings.count == 1 && warnings[0].contains("redirect (HTTP 307), which is never followed"), "\(run.stderr)")
            #expect(nginx.requests.count == 1 && nginx.requests[0].hasSuffix(" 307"), "\(nginx.requests)")
            #expect(!run.stdout.contains("s3cret") && !run.stderr.contains("s3cret"))
        }
        #expect(elsewhere.requests.isEmpty, "the token was carried to \(elsewhere.requests)")
    }

    @Test func shardCacheFoldersMergeByCopyingThemIntoOne() throws {
        let shards = try (1...3).map { _ in try Machine() }
        for (index, machine) in shards.enumerated() {
            let run = try machine.build(["--shard", "\(index + 1)/3"])
            #expect(run.status == 0 && Self.count("notes run", in: run.stdout) == 2, "\(run.stdout)\(run.stderr)")
        }
        let merge = try Machine()
        // What a CI merge job does with the shards' artifacts: copy the folders into one.
        for machine in shards { try RemoteCacheTests.copyFolder(machine.cache, into: merge.cache) }
        let merged = try merge.build(["--require-cache"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout.contains("0 notes run, 6 from cache"), "\(merged.stdout)")

        // Without one shard's folder, the merge fails and names that shard's notes.
        let partial = try Machine()
        for machine in shards.prefix(2) { try RemoteCacheTests.copyFolder(machine.cache, into: partial.cache) }
        let failed = try partial.build(["--require-cache"])
        #expect(failed.status == 1)
        let named = failed.stderr.split(separator: "\n").filter { $0.contains("--require-cache") }
        #expect(named.count == 2 && named.allSatisfy { $0.contains("note-") && $0.contains(".md") }, "\(failed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: partial.site.path))
    }
}
