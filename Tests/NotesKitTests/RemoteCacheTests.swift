import Foundation
import Testing
@testable import NotesKit

/// The shared cell cache against a server that misbehaves on purpose (`CacheTestServer`): every
/// fault gives the same site as a build without a server, with the affected notes run locally
/// and a warning; and the pieces underneath (entries, keys, shards, options).
@Suite("Remote cell cache (faults, keys, shards)", .serialized) struct RemoteCacheTests {
    /// A course of three notes with one cell and one inline value each.
    static func course(random: Bool = false) -> [String: String] {
        var notes: [String: String] = [:]
        for (index, name) in ["alpha", "beta", "gamma"].enumerated() {
            let value = random && name == "gamma" ? "Int.random(in: 0..<1_000_000_000)" : "\(index + 1) * 7"
            notes[name + ".md"] = """
                ---
                title: Note \(name)
                order: \(index)
                ---

                ```swift
                var generator = Random(seed: \(index + 1))
                print("\(name)", generator.uniform(in: 0, 1), \(value))
                ```

                The value is `{swift} \(index + 1) * 6`.
                """
        }
        return notes
    }

    /// One machine: its own notes checkout, cache folder and site.
    struct Machine {
        let root: URL
        var notes: URL { root.appendingPathComponent("notes") }
        var site: URL { root.appendingPathComponent("site") }
        var cache: URL { root.appendingPathComponent("cache") }

        init(_ notes: [String: String]) throws {
            TestEnvironment.prepare()
            root = FileManager.default.temporaryDirectory.appendingPathComponent("notes-remote-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: self.notes, withIntermediateDirectories: true)
            for (name, text) in notes {
                try text.write(to: self.notes.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        }

        func build(remote: RemoteCacheOptions? = nil, shard: Shard? = nil, requireCache: Bool = false,
                   mathRenderer: (@Sendable () throws -> any MathRenderer)? = nil) throws -> BuildSummary {
            var options = BuildOptions(notes: notes, output: site, title: "Course", cache: cache)
            options.remoteCache = remote
            options.shard = shard
            options.requireCache = requireCache
            return try SiteBuilder(options: options, mathRenderer: mathRenderer).build()
        }

        /// Every file of the site, by path.
        func siteFiles() throws -> [String: Data] {
            try Self.files(in: site)
        }

        static func files(in folder: URL) throws -> [String: Data] {
            var files: [String: Data] = [:]
            for case let path as String in FileManager.default.enumerator(atPath: folder.path) ?? .init() {
                let url = folder.appendingPathComponent(path)
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue {
                    files[path] = try Data(contentsOf: url)
                }
            }
            return files
        }
    }

    /// The warnings of `summary` that are about the remote cache.
    static func remoteWarnings(_ summary: BuildSummary) -> [String] {
        summary.warnings.map(\.message).filter { $0.contains("remote cache") }
    }

    /// A server filled by one machine's build, and the site that build made.
    static func filledServer() throws -> (server: CacheTestServer, reference: [String: Data]) {
        let server = try CacheTestServer()
        let first = try Machine(course())
        let summary = try first.build(remote: RemoteCacheOptions(url: server.url))
        #expect(summary.cells.notesRun == 3)
        #expect(remoteWarnings(summary).isEmpty, "\(summary.warnings)")
        return (server, try first.siteFiles())
    }

    @Test func aSecondMachineRunsNothingAndBuildsTheSameSite() throws {
        let (server, reference) = try Self.filledServer()
        let puts = server.requests.filter { $0.method == "PUT" }.map(\.path)
        #expect(puts.filter { $0.hasPrefix("ac/") }.count == 4, "three notes and the run times: \(puts)")
        let second = try Machine(Self.course())
        let summary = try second.build(remote: RemoteCacheOptions(url: server.url))
        #expect(summary.cells.notesRun == 0)
        #expect(summary.cells.notesFromRemote == 3)
        #expect(try second.siteFiles() == reference)
        // Found remotely, kept locally: a third build needs no server.
        let again = try second.build()
        #expect(again.cells.notesRun == 0 && again.cells.notesFromRemote == 0 && again.cells.notesCached == 3)
    }

    @Test func serverErrorsMeanLocalRunsAndOneWarning() throws {
        let (server, reference) = try Self.filledServer()
        server.mode = .failing(500)
        let second = try Machine(Self.course())
        let summary = try second.build(remote: RemoteCacheOptions(url: server.url))
        #expect(summary.cells.notesRun == 3)
        let warnings = Self.remoteWarnings(summary)
        #expect(warnings.count == 1, "\(warnings)")
        #expect(warnings.first?.contains("HTTP 500") == true)
        #expect(try second.siteFiles() == reference)
    }

    @Test func aHangingServerIsGivenUpAfterItsTimeOut() throws {
        let (server, reference) = try Self.filledServer()
        server.mode = .hanging
        let second = try Machine(Self.course())
        let summary = try second.build(remote: RemoteCacheOptions(url: server.url, timeout: 1))
        #expect(summary.cells.notesRun == 3)
        let warnings = Self.remoteWarnings(summary)
        #expect(warnings.count == 1, "\(warnings)")
        #expect(warnings.first?.contains("did not answer within 1 s") == true)
        #expect(try second.siteFiles() == reference)
        server.stop()
    }

    @Test func tamperedBytesAreNeverTrusted() throws {
        let (server, reference) = try Self.filledServer()
        server.mode = .tampering
        let second = try Machine(Self.course())
        let summary = try second.build(remote: RemoteCacheOptions(url: server.url))
        #expect(summary.cells.notesRun == 3)
        #expect(summary.cells.notesFromRemote == 0)
        let warnings = Self.remoteWarnings(summary)
        // The three notes' blobs and the run times'.
        #expect(warnings.count == 4 && warnings.allSatisfy { $0.contains("does not match its digest") }, "\(warnings)")
        #expect(try second.siteFiles() == reference)
    }

    @Test func aServerThatStopsMidBuildLeavesACorrectSite() throws {
        let server = try CacheTestServer()
        // The durations record and three lookups are answered; then the server is gone.
        server.stop(afterRequests: 4)
        let machine = try Machine(Self.course())
        let summary = try machine.build(remote: RemoteCacheOptions(url: server.url))
        #expect(summary.cells.notesRun == 3)
        let warnings = Self.remoteWarnings(summary)
        #expect(warnings.count == 1 && warnings[0].contains("cannot be reached"), "\(warnings)")
        #expect(server.requests.count == 4)
        let reference = try Machine(Self.course())
        _ = try reference.build()
        #expect(try machine.siteFiles() == reference.siteFiles())
        // The results were kept locally all the same.
        #expect(try machine.build().cells.notesRun == 0)
    }

    @Test func readOnlyLooksUpAndUploadsNothing() throws {
        let server = try CacheTestServer()
        let machine = try Machine(Self.course())
        let summary = try machine.build(remote: RemoteCacheOptions(url: server.url, readOnly: true))
        #expect(summary.cells.notesRun == 3)
        #expect(server.requests.filter { $0.method == "GET" }.count == 4)
        #expect(server.requests.allSatisfy { $0.method == "GET" })
        #expect(server.store.isEmpty)
    }

    @Test func credentialsComeFromTheEnvironmentAndAreNeverPrinted() throws {
        let server = try CacheTestServer()
        server.mode = .requiring(authorization: "Bearer s3cret-token")
        let options = try #require(try RemoteCacheOptions.resolve(
            flag: server.url.absoluteString, readOnly: false, environment: [RemoteCacheOptions.tokenVariable: "s3cret-token"]))
        let machine = try Machine(Self.course())
        let summary = try machine.build(remote: options)
        #expect(Self.remoteWarnings(summary).isEmpty, "\(summary.warnings)")
        #expect(server.store.count == 8)
        #expect(server.requests.allSatisfy { $0.authorization == "Bearer s3cret-token" })

        // A wrong token: refused, one warning, which names the server but not the token.
        let wrong = try #require(try RemoteCacheOptions.resolve(
            flag: server.url.absoluteString, readOnly: false,
            environment: [RemoteCacheOptions.basicAuthVariable: "ci:hunter2"]))
        let other = try Machine(Self.course())
        let refused = try other.build(remote: wrong)
        #expect(refused.cells.notesRun == 3)
        let warnings = Self.remoteWarnings(refused)
        #expect(warnings.count == 1 && warnings[0].contains("HTTP 401"), "\(warnings)")
        #expect(!warnings[0].contains("hunter2") && !warnings[0].contains(Data("ci:hunter2".utf8).base64EncodedString()))
    }

    @Test func differentResultsUnderOneKeyAreReportedAsNotDeterministic() throws {
        let server = try CacheTestServer()
        let first = try Machine(Self.course(random: true))
        #expect(try first.build(remote: RemoteCacheOptions(url: server.url)).cells.notesRun == 3)
        // The second machine misses every note (the entries appear only after the lookups: the
        // run times' and three notes'), runs them, and finds before uploading that gamma's result
        // differs from the one under the same key.
        let second = try Machine(Self.course(random: true))
        server.hideEntries(4)
        let summary = try second.build(remote: RemoteCacheOptions(url: server.url))
        #expect(summary.cells.notesRun == 3)
        let reports = summary.warnings.filter { $0.message.contains("not deterministic") }
        #expect(reports.count == 1 && reports.first?.file.hasSuffix("gamma.md") == true, "\(summary.warnings)")
    }

    // MARK: - Shards and --require-cache, in process

    @Test func shardsSplitTheNotesAndTheMergeRendersFromTheCacheOnly() throws {
        let server = try CacheTestServer()
        var ran = 0
        for index in 1...3 {
            let shard = try Machine(Self.course())
            let summary = try shard.build(remote: RemoteCacheOptions(url: server.url), shard: Shard(index: index, count: 3))
            #expect(summary.cells.notesRun == 1 && summary.cells.notesInOtherShards == 2)
            #expect(!FileManager.default.fileExists(atPath: shard.site.path), "a shard writes no site")
            ran += summary.cells.notesRun
        }
        #expect(ran == 3)
        let merge = try Machine(Self.course())
        let summary = try merge.build(remote: RemoteCacheOptions(url: server.url), requireCache: true)
        #expect(summary.cells.notesRun == 0 && summary.cells.notesFromRemote == 3)
        let reference = try Machine(Self.course())
        _ = try reference.build()
        #expect(try merge.siteFiles() == reference.siteFiles())
    }

    /// The split of the course's three notes that a record of these run times gives: gamma,
    /// then beta, then alpha, the reverse of the split by count.
    static let reversingTimes = RunDurations(seconds: ["alpha": 1, "beta": 5, "gamma": 10])

    @Test func shardsKeepTheFirstShardsSplitWhenTheRecordedTimesChangeMidRun() throws {
        let server = try CacheTestServer()
        let first = try Machine(Self.course())
        let one = try first.build(remote: RemoteCacheOptions(url: server.url), shard: Shard(index: 1, count: 3))
        #expect(one.cells.notesRun == 1)
        // An unsharded build elsewhere records run times that would split the notes the other
        // way round, before shards 2 and 3 start.
        CellResultCache(local: nil, remote: RemoteCache(options: RemoteCacheOptions(url: server.url)))
            .save(Self.reversingTimes, replacing: RunDurations())
        for index in 2...3 {
            let shard = try Machine(Self.course())
            let summary = try shard.build(remote: RemoteCacheOptions(url: server.url), shard: Shard(index: index, count: 3))
            #expect(summary.cells.notesRun == 1)
        }
        let merge = try Machine(Self.course())
        let summary = try merge.build(remote: RemoteCacheOptions(url: server.url), requireCache: true)
        #expect(summary.cells.notesRun == 0 && summary.cells.notesFromRemote == 3)
    }

    @Test func theMergeTellsShardsThatSplitDifferentlyFromAShardThatFailed() throws {
        // Shard 1 starts from an empty cache folder and splits by count; shards 2 and 3 restored
        // a folder holding run times that split the other way: each shard works alone.
        let shards = try (1...3).map { index in
            let machine = try Machine(Self.course())
            if index > 1 {
                CellResultCache(local: LocalResultStore(folder: machine.cache.appendingPathComponent("cells")), remote: nil)
                    .save(Self.reversingTimes, replacing: RunDurations())
            }
            _ = try machine.build(shard: Shard(index: index, count: 3))
            return machine
        }
        let merge = try Machine(Self.course())
        for machine in shards { try Self.copyFolder(machine.cache, into: merge.cache) }
        do {
            _ = try merge.build(requireCache: true)
            Issue.record("the merge succeeded with a note no shard ran")
        } catch let error as DiagnosticsError {
            let messages = error.diagnostics.map { "\($0.file): \($0.message)" }
            #expect(messages.contains { $0.hasPrefix("shards:") && $0.contains("split the notes differently") }, "\(messages)")
            #expect(error.diagnostics.contains { $0.file.hasSuffix(".md") && $0.message.contains("was to run it") }, "\(messages)")
        }
        // The same shards, all from one restored folder, agree: the merge succeeds.
        let agreed = try (1...3).map { index in
            let machine = try Machine(Self.course())
            CellResultCache(local: LocalResultStore(folder: machine.cache.appendingPathComponent("cells")), remote: nil)
                .save(Self.reversingTimes, replacing: RunDurations())
            _ = try machine.build(shard: Shard(index: index, count: 3))
            return machine
        }
        let good = try Machine(Self.course())
        for machine in agreed { try Self.copyFolder(machine.cache, into: good.cache) }
        #expect(try good.build(requireCache: true).cells.notesRun == 0)
    }

    @Test func theMergeNamesTheShardThatLeftNoResult() throws {
        var shards: [Machine] = []
        for index in 1...3 {
            let machine = try Machine(Self.course())
            _ = try machine.build(shard: Shard(index: index, count: 3))
            shards.append(machine)
        }
        // Shard 2's folder never arrives.
        let merge = try Machine(Self.course())
        for machine in [shards[0], shards[2]] { try Self.copyFolder(machine.cache, into: merge.cache) }
        do {
            _ = try merge.build(requireCache: true)
            Issue.record("the merge succeeded without shard 2")
        } catch let error as DiagnosticsError {
            #expect(error.diagnostics.count == 1, "\(error.diagnostics)")
            #expect(error.diagnostics.first?.message.contains("shard 2/3 was to run it, and nothing of that shard is in the cache") == true,
                    "\(error.diagnostics)")
        }
        // Notes the shards never saw (here: another version of one note) are told apart.
        let edited = Self.course().mapValues { $0.replacingOccurrences(of: "uniform(in: 0, 1)", with: "uniform(in: 0, 3)") }
        let other = try Machine(edited)
        for machine in shards { try Self.copyFolder(machine.cache, into: other.cache) }
        do {
            _ = try other.build(requireCache: true)
            Issue.record("the merge succeeded for notes no shard ran")
        } catch let error as DiagnosticsError {
            #expect(error.diagnostics.count == 3 && error.diagnostics.allSatisfy { $0.message.contains("no shard has run these notes") },
                    "\(error.diagnostics)")
        }
    }

    /// Copies the contents of `folder` into `target`, as a CI job merges artifacts.
    static func copyFolder(_ folder: URL, into target: URL) throws {
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let copy = Process()
        copy.executableURL = URL(fileURLWithPath: "/bin/cp")
        copy.arguments = ["-R", folder.path + "/.", target.path]
        try copy.run()
        copy.waitUntilExit()
        #expect(copy.terminationStatus == 0)
    }

    /// `course()` with formulas: one of its own in each note, and one they share.
    static func courseWithMath() -> [String: String] {
        Self.course().mapValues { text in
            let name = text.components(separatedBy: "title: Note ")[1].prefix { $0 != "\n" }
            return text + "\n\nThe loss is $L_{\\text{\(name)}} = \\tfrac12 \\lVert y - a \\rVert^2$, and\n\n$$\\sigma(z) = \\frac{1}{1 + e^{-z}}$$\n"
        }
    }

    @Test func typesetMathIsSharedSoAFreshMachineTypesetsNone() throws {
        let server = try CacheTestServer()
        let first = try Machine(Self.courseWithMath())
        let made = PreviewWatchTests.Locked(0)
        let counting: @Sendable () throws -> any MathRenderer = { made.value += 1; return try KaTeXRenderer() }
        let summary = try first.build(remote: RemoteCacheOptions(url: server.url), mathRenderer: counting)
        #expect(made.value == 1 && summary.mathCached == 0)
        let puts = server.requests.filter { $0.method == "PUT" && $0.path.hasPrefix("ac/") }
        #expect(puts.count == 3 + 1 + 3, "three notes' cells, the run times and three notes' math: \(puts.map(\.path))")
        let reference = try first.siteFiles()
        #expect(reference.values.contains { String(decoding: $0, as: UTF8.self).contains("class=\"katex") })

        // A fresh machine typesets nothing, and builds the same site.
        let second = try Machine(Self.courseWithMath())
        let fresh = try second.build(remote: RemoteCacheOptions(url: server.url), mathRenderer: counting)
        #expect(made.value == 1, "the second machine typeset formulas the server had")
        #expect(fresh.cells.notesRun == 0 && fresh.mathCached == 4, "\(fresh.mathCached) formulas from the cache")
        #expect(Self.remoteWarnings(fresh).isEmpty, "\(fresh.warnings)")
        #expect(try second.siteFiles() == reference)
        // Kept locally: after a clean, a build without the server typesets nothing either.
        try FileManager.default.removeItem(at: second.site)
        let third = try second.build(mathRenderer: counting)
        #expect(third.mathCached == 4 && made.value == 1, "\(third.mathCached) cached, \(made.value) typesetters")
    }

    @Test func sharedMathThatIsNotKaTeXsIsTypesetAgain() throws {
        let server = try CacheTestServer()
        let first = try Machine(Self.courseWithMath())
        _ = try first.build(remote: RemoteCacheOptions(url: server.url))
        let reference = try first.siteFiles()
        // A hostile writer replaces each note's formulas with script, under valid digests.
        var store = server.store
        var forged = 0
        for (path, data) in store where path.hasPrefix("ac/") {
            guard let entry = ActionResultMessage(decoding: data), let blob = store["cas/" + entry.result.hash],
                  let formulas = MathCache.decoded(blob, fingerprint: KaTeXRenderer.fingerprint) else { continue }
            let hostile = MathCache.encoded(formulas.mapValues { _ in "<span class=\"katex\"><script>alert(1)</script></span>" },
                                            fingerprint: KaTeXRenderer.fingerprint)
            let digest = ActionResultMessage.BlobDigest(of: hostile)
            store["cas/" + digest.hash] = hostile
            store[path] = ActionResultMessage(path: entry.path, result: digest, worker: entry.worker,
                                              started: entry.started, finished: entry.finished).encoded()
            forged += 1
        }
        #expect(forged == 3)
        server.store = store
        let second = try Machine(Self.courseWithMath())
        let summary = try second.build(remote: RemoteCacheOptions(url: server.url))
        #expect(summary.mathCached == 0, "formulas that are not KaTeX's HTML were used")
        let site = try second.siteFiles()
        #expect(!site.values.contains { String(decoding: $0, as: UTF8.self).contains("alert(1)") })
        #expect(site == reference)
    }

    @Test func requireCacheNamesTheMissingNotesAndKeepsTheSite() throws {
        var notes = Self.course()
        let machine = try Machine(notes)
        _ = try machine.build()
        let before = try machine.siteFiles()
        for name in ["alpha.md", "gamma.md"] {
            notes[name] = notes[name]!.replacingOccurrences(of: "generator.uniform(in: 0, 1)", with: "generator.uniform(in: 0, 2)")
            try notes[name]!.write(to: machine.notes.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        do {
            _ = try machine.build(requireCache: true)
            Issue.record("a build with misses and --require-cache succeeded")
        } catch let error as DiagnosticsError {
            let named = error.diagnostics.map { ($0.file as NSString).lastPathComponent }.sorted()
            #expect(named == ["alpha.md", "gamma.md"], "\(error.diagnostics)")
            #expect(error.diagnostics.allSatisfy { $0.message.contains("--require-cache") })
        }
        #expect(try machine.siteFiles() == before)
    }

    // MARK: - Pieces

    @Test func entriesHaveTheFieldNumbersOfBazelsActionResult() {
        // Written out by hand from remote_execution.proto: ActionResult.output_files = 2
        // (OutputFile.path = 1, .digest = 2; Digest.hash = 1, .size_bytes = 2) and
        // .execution_metadata = 9 (worker = 1, execution start and completion = 7 and 8).
        let entry = ActionResultMessage(result: .init(hash: String(repeating: "ab", count: 32), size: 1234),
                                        worker: "w", started: 1.5, finished: 3)
        let expected = "125d0a146e6f7465626f6f6b2d726573756c742e6a736f6e12450a40" + String(repeating: "6162", count: 32)
            + "10d2094a110a01773a0808011080cab5ee0142020803" // nanos 0 left out, as proto3 writes it
        #expect(entry.encoded().map { String(format: "%02x", $0) }.joined() == expected)
    }

    @Test func entriesRoundTripAndSkipFieldsTheyDoNotKnow() throws {
        let digest = ActionResultMessage.BlobDigest(hash: String(repeating: "ab", count: 32), size: 1234)
        let entry = ActionResultMessage(result: digest, worker: "notes", started: 1_764_000_000.25, finished: 1_764_000_003.5)
        let bytes = entry.encoded()
        #expect(ActionResultMessage(decoding: bytes) == entry)
        #expect(abs(entry.seconds - 3.25) < 1e-9)
        // Fields another writer adds (exit code 4, stdout digest 6, a fixed64 somewhere) are skipped.
        var writer = ProtoWriter()
        writer.varint(4, 0)
        writer.varint(4, 1)
        writer.message(6, [10, 2, 0x61, 0x62])
        var extended = Array(bytes)
        extended += writer.bytes
        extended += [0x51] + Array(repeating: 0, count: 8) // field 10, wire type 1
        #expect(ActionResultMessage(decoding: Data(extended))?.result == digest)
        // Truncated, garbage, or naming no result: not an entry.
        #expect(ActionResultMessage(decoding: bytes.dropLast(3)) == nil)
        #expect(ActionResultMessage(decoding: Data("<html>not found</html>".utf8)) == nil)
        #expect(ActionResultMessage(decoding: Data()) == nil)
        var badHash = ProtoWriter()
        var file = ProtoWriter()
        var inner = ProtoWriter()
        inner.string(1, "../../etc/passwd")
        file.string(1, ActionResultMessage.resultPath)
        file.message(2, inner.bytes)
        badHash.message(2, file.bytes)
        #expect(ActionResultMessage(decoding: Data(badHash.bytes)) == nil)
    }

    @Test func theKeyIsACanonicalDocumentOfWhatTheRunDependsOn() throws {
        let machine = try Machine(Self.course())
        let loaded = try NoteLoader(folder: machine.notes, paths: PathDisplay(workingDirectory: machine.root), log: { _ in }).load()
        let note = try #require(loaded.notes.first { $0.slug == "alpha" })
        let environment = CacheKey.Environment(toolchain: "Swift version 6.3.1", flags: ["-Onone"], sandboxed: true,
                                               engine: String(repeating: "0", count: 64))
        let key = try CacheKey(note: note, environment: environment, notesFolder: machine.notes)
        let lines = key.document.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.prefix(6) == [CacheKey.format, "toolchain Swift version 6.3.1", "host \(CacheKey.Environment.host)",
                                   "flags -Onone", "sandboxed true", "engine " + String(repeating: "0", count: 64)])
        #expect(lines.contains("inline 0 after=1 5") && lines.contains("1 * 6"))
        #expect(key.digest == Digest.sha256Hex(key.document))
        // Another engine, toolchain or sandbox setting is another key.
        for changed in [CacheKey.Environment(toolchain: "Swift version 6.4", flags: ["-Onone"], sandboxed: true,
                                             engine: environment.engine),
                        CacheKey.Environment(toolchain: environment.toolchain, flags: ["-Onone"], sandboxed: false,
                                             engine: environment.engine),
                        CacheKey.Environment(toolchain: environment.toolchain, flags: ["-Onone"], sandboxed: true,
                                             engine: String(repeating: "1", count: 64))] {
            #expect(try CacheKey(note: note, environment: changed, notesFolder: machine.notes).digest != key.digest)
        }
    }

    @Test func shardsAreDisjointCompleteAndBalancedByRecordedTimes() throws {
        let slugs = (1...10).map { "note-\($0)" }
        let split = { (slugs: [String], count: Int, durations: [String: Double]) in
            ShardPlan(splitting: slugs, into: count, durations: durations)
        }
        // By count when nothing is recorded: 4, 3, 3.
        let byCount = split(slugs, 3, [:])
        #expect(!byCount.byRunTimes)
        let parts = (1...3).map { byCount.notes(of: $0) }
        #expect(parts.map(\.count).sorted() == [3, 3, 4])
        #expect(parts.reduce(Set<String>()) { $0.union($1) } == Set(slugs))
        #expect(parts[0].isDisjoint(with: parts[1]) && parts[1].isDisjoint(with: parts[2]))
        // One long note gets a shard to itself; the rest share the other.
        var durations = Dictionary(uniqueKeysWithValues: slugs.map { ($0, 5.0) })
        durations["note-3"] = 60
        let two = split(slugs, 2, durations)
        #expect(two.byRunTimes && [two.notes(of: 1), two.notes(of: 2)].contains(["note-3"]))
        // The same inputs, the same split, whatever the order of the list.
        #expect(split(slugs.reversed(), 2, durations) == two)
        // A note without a recorded time counts as the mean of the others, 10.5 s: with nine of
        // 5 s it still weighs less than note-3 alone.
        let grown = split(slugs + ["note-11"], 2, durations)
        #expect([grown.notes(of: 1), grown.notes(of: 2)].contains(["note-3"]) && grown.parts["note-11"] != two.parts["note-3"])
        #expect(two.fits(slugs, count: 2) && !two.fits(slugs, count: 3) && !two.fits(slugs + ["note-11"], count: 2))
        // The stored form reads back, and a plan naming a shard outside 1...n is refused.
        #expect(ShardPlan(json: two.json()) == two)
        #expect(ShardPlan(json: ShardPlan(count: 2, parts: ["a": 3], byRunTimes: false).json()) == nil)
        // Parsing follows Playwright's i/n.
        #expect(try Shard.parse("2/3").get() == Shard(index: 2, count: 3))
        for bad in ["0/3", "4/3", "1", "a/b", "1/0", "-1/2", "1/2/3"] {
            #expect((try? Shard.parse(bad).get()) == nil, "\(bad)")
        }
    }

    @Test func remoteOptionsRefuseCredentialsInTheURL() throws {
        #expect(try RemoteCacheOptions.resolve(flag: nil, readOnly: false, environment: [:]) == nil)
        let fromEnvironment = try #require(try RemoteCacheOptions.resolve(
            flag: nil, readOnly: true, environment: [RemoteCacheOptions.urlVariable: "https://cache.example.org/course/"]))
        #expect(fromEnvironment.displayURL == "https://cache.example.org/course/" && fromEnvironment.readOnly)
        #expect(fromEnvironment.authorization == nil)
        for bad in ["https://user:pw@cache.example.org/", "ftp://cache.example.org/", "cache.example.org", "http:///x"] {
            #expect(throws: RemoteCacheOptions.Invalid.self) { try RemoteCacheOptions.resolve(flag: bad, readOnly: false, environment: [:]) }
        }
        // Read-only without a server does nothing: the README's fork expression also serves
        // workflows that share results through artifacts only.
        #expect(try RemoteCacheOptions.resolve(flag: nil, readOnly: true, environment: [:]) == nil)
        let basic = try #require(try RemoteCacheOptions.resolve(
            flag: "http://127.0.0.1:9/", readOnly: false,
            environment: [RemoteCacheOptions.basicAuthVariable: "ci:pw", RemoteCacheOptions.timeoutVariable: "0.5"]))
        #expect(basic.authorization == "Basic " + Data("ci:pw".utf8).base64EncodedString() && basic.timeout == 0.5)
        for timeout in ["soon", "0", "3000000"] {
            #expect(throws: RemoteCacheOptions.Invalid.self) {
                try RemoteCacheOptions.resolve(flag: "http://127.0.0.1:9/", readOnly: false,
                                               environment: [RemoteCacheOptions.timeoutVariable: timeout])
            }
        }
    }

    @Test func secretsAreTrimmedAndNeverEchoed() throws {
        // A token pasted with its newline works; one with a line break inside is refused.
        let pasted = try #require(try RemoteCacheOptions.resolve(
            flag: "http://127.0.0.1:9/", readOnly: false, environment: [RemoteCacheOptions.tokenVariable: "s3cret\n"]))
        #expect(pasted.authorization == "Bearer s3cret")
        #expect(throws: RemoteCacheOptions.Invalid.self) {
            try RemoteCacheOptions.resolve(flag: "http://127.0.0.1:9/", readOnly: false,
                                           environment: [RemoteCacheOptions.tokenVariable: "s3cret\nX-Injected: 1"])
        }
        // A mistyped address holding a password is refused without printing it.
        for typo in ["https//ci:hunter2@cache.example.org/", "ftp://ci:hunter2@cache.example.org/"] {
            do {
                _ = try RemoteCacheOptions.resolve(flag: typo, readOnly: false, environment: [:])
                Issue.record("\(typo) was accepted")
            } catch {
                #expect(!"\(error)".contains("hunter2"))
            }
        }
        // The path goes on the wire as it was written, escapes included.
        let escaped = try #require(try RemoteCacheOptions.resolve(flag: "http://127.0.0.1:9/my%20cache", readOnly: false, environment: [:]))
        #expect(RemoteCache(options: escaped).basePath == "/my%20cache/")
    }
}
