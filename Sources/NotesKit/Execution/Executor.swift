import Foundation

/// Runs the notebooks of all notes: from the cache where nothing changed (the local folder, then
/// the shared server), otherwise compiled and run in parallel, up to one note per core.
///
/// With a `shard`, only that part's notes are looked at; with `requireCache`, a note whose result
/// is in neither cache is an error and nothing runs. An unsharded run records each note's run
/// time for the next sharded one (`RunDurations`).
///
/// The compiled engine goes to the cache folder, or to `NOTES_ENGINE_CACHE` when set (for
/// sharing it between checkouts or test runs).
struct Executor: Sendable {
    /// What the execution stage produced for the build.
    struct Report: Sendable {
        /// Results by note slug, numbered as in each note's program.
        var results: [String: NotebookResult] = [:]
        var ran = 0
        var cached = 0
        /// Of `cached`, how many came from the shared server.
        var fromRemote = 0
        /// Notes with cells left to other shards.
        var otherShards = 0
        var warnings: [Diagnostic] = []
    }

    let notesFolder: URL
    /// Cache folder, or nil to run everything and store nothing.
    let cache: URL?
    /// Where compiled engine libraries and scratch files go when there is no cache.
    let scratch: URL
    /// Run the programs in the bubblewrap sandbox.
    var sandboxed = true
    /// The package's `Sources/` folder holding the engine, or nil for the default (see `EngineSources`).
    var sourcesRoot: URL?
    /// The shared cache server, if any (used only with a local cache).
    var remote: RemoteCache?
    /// The part of the notes to run, or nil for all.
    var shard: Shard?
    /// Fail, naming the notes, instead of running any cell.
    var requireCache = false
    let log: @Sendable (String) -> Void

    init(notesFolder: URL, cache: URL?, scratch: URL, sandboxed: Bool = true, sourcesRoot: URL? = nil,
         log: @escaping @Sendable (String) -> Void) {
        self.notesFolder = notesFolder
        self.cache = cache
        self.scratch = scratch
        self.sandboxed = sandboxed
        self.sourcesRoot = sourcesRoot
        self.log = log
    }

    /// "3 cells", "3 cells, 1 live cell".
    static func describe(_ notebook: Notebook) -> String {
        let (cells, live) = (notebook.runnableCells.count, notebook.liveCells.count)
        return "\(cells) cell\(cells == 1 ? "" : "s")" + (live == 0 ? "" : ", \(live) live cell\(live == 1 ? "" : "s")")
    }

    /// Runs every note that has cells; errors here are failures of the machinery, not of cells.
    func run(_ notes: [Note]) throws(DiagnosticsError) -> Report {
        var report = Report()
        var executable = notes.filter { !$0.notebook.isEmpty }
        guard !executable.isEmpty else { return report }
        let toolchain = try Toolchain.find(versionMemo: cache?.appendingPathComponent("swiftc-version"))
        let sources = try EngineSources.locate(root: sourcesRoot)
        var environment = CacheKey.Environment(toolchain: toolchain.version, flags: Toolchain.programFlags, sandboxed: sandboxed,
                                               engine: Digest.sha256Hex(sources.fingerprintData()))
        let webAssembly = WebAssemblyToolchain.find(toolchain)
        // The WebAssembly toolchain and runtime matter only to notes with live cells.
        if case .success(let found) = webAssembly { environment.webAssembly = Digest.sha256Hex(found.fingerprintData()) }
        // The per-note files of the cache before it was content-addressed.
        if let cache { try? FileManager.default.removeItem(at: cache.appendingPathComponent("results")) }
        let results = CellResultCache(local: cache.map { LocalResultStore(folder: $0) },
                                      remote: cache == nil ? nil : remote)

        var keys: [CacheKey] = []
        for note in executable {
            keys.append(try CacheKey(note: note, environment: environment, notesFolder: notesFolder))
        }
        let work = zip(executable, keys).map { (slug: $0.slug, key: $1) }
        // Only unsharded builds record run times; a shard reads them only to make a new plan.
        let recorded = shard == nil ? results.durations() : RunDurations()
        if let shard {
            let (plan, madeHere) = results.plan(for: shard, work: work)
            let mine = plan.notes(of: shard.index)
            report.otherShards = executable.count - mine.count
            let kept = executable.indices.filter { mine.contains(executable[$0].slug) }
            (executable, keys) = (kept.map { executable[$0] }, kept.map { keys[$0] })
            log("  shard \(shard): \(executable.count) of \(executable.count + report.otherShards) notes with cells, "
                + (plan.byRunTimes ? "split by recorded run times" : "split by count (no run times recorded yet)")
                + (madeHere ? "" : ", as another shard of this run split them"))
        }
        let lookupKeys = keys
        let found = cache == nil ? Array(repeating: (CellResultCache.Hit?.none, [String]()), count: executable.count)
            : Parallel.map(executable.count, workers: results.remote == nil ? 1 : 8) { position in
                var problems: [String] = []
                let hit = results.lookup(lookupKeys[position]) { problems.append($0) }
                return (hit, problems)
            }
        var pending: [(note: Note, key: CacheKey)] = []
        let slugs = Set(notes.map(\.slug))
        var durations = RunDurations(seconds: recorded.seconds.filter { slugs.contains($0.key) })
        for (position, note) in executable.enumerated() {
            report.warnings += found[position].1.map { .warning(note.file, line: nil, $0) }
            if let hit = found[position].0 {
                report.results[note.slug] = hit.result
                report.cached += 1
                if hit.fromRemote { report.fromRemote += 1 }
                durations.seconds[note.slug] = hit.entry.seconds
            } else {
                pending.append((note, keys[position]))
            }
        }
        if requireCache && !pending.isEmpty {
            let reasons = results.missingReasons(pending.map(\.note.slug), work: work)
            let shared = reasons.shared.map { [Diagnostic.error("shards", line: nil, $0)] } ?? []
            throw DiagnosticsError(shared + pending.map { .error($0.note.file, line: nil, reasons.bySlug[$0.note.slug] ?? "") })
        }
        var errors: [Diagnostic] = []
        if !pending.isEmpty {
            let outcomes = try execute(pending, toolchain: toolchain, sources: sources, webAssembly: webAssembly, results: results)
            for (position, item) in pending.enumerated() {
                let (outcome, problems, seconds) = outcomes[position]
                report.warnings += problems.map { .warning(item.note.file, line: nil, $0) }
                switch outcome {
                case .success(let result):
                    report.results[item.note.slug] = result
                    report.ran += 1
                    durations.seconds[item.note.slug] = seconds
                case .failure(let error):
                    errors.append(.error(item.note.file, line: nil, "cannot run the note's cells: \(error)"))
                }
            }
        }
        if shard == nil && cache != nil { results.save(durations, replacing: recorded) }
        if let remote = results.remote {
            let traffic = remote.traffic
            log("  remote cache \(remote.options.displayURL): \(report.fromRemote) of \(executable.count) notes found, "
                + "\(traffic.uploads) uploads; \(traffic.requests) requests, \(String(format: "%.3f", traffic.seconds)) s waiting")
            report.warnings += remote.warnings.map { .warning("remote cache", line: nil, $0) }
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        return report
    }

    /// Compiles the engine and runs `pending` in parallel, storing each cacheable result; each
    /// outcome comes with the cache's problems and the run's length in seconds.
    private func execute(_ pending: [(note: Note, key: CacheKey)], toolchain: Toolchain, sources: EngineSources,
                         webAssembly: Result<WebAssemblyToolchain, LiveUnavailable>,
                         results: CellResultCache) throws(DiagnosticsError) -> [(Result<NotebookResult, Error>, [String], Double)] {
        let sandbox = try Sandbox.make(enabled: sandboxed)
        if !sandboxed { log("  running cells without a sandbox (--no-sandbox): only for notes you trust") }

        log("  compiling the engine (\(sources.modules.map(\.name).joined(separator: ", ")))")
        let engineFolder = ProcessInfo.processInfo.environment["NOTES_ENGINE_CACHE"].map { URL(fileURLWithPath: $0) }
            ?? (cache ?? scratch).appendingPathComponent("engine")
        let libraries = try toolchain.buildLibraries(sources, cache: engineFolder)
        var liveEngine: Result<(toolchain: WebAssemblyToolchain, modules: WebAssemblyToolchain.Modules), LiveUnavailable>
            = .failure(LiveUnavailable("no note has live cells"))
        if pending.contains(where: { !$0.note.notebook.liveCells.isEmpty }) {
            liveEngine = webAssembly.flatMap { found in
                self.log("  compiling the engine for WebAssembly (Embedded Swift)")
                return found.buildModules(sources, cache: engineFolder).map { (found, $0) }
            }
            if case .failure(let unavailable) = liveEngine {
                self.log("  live cells: \(unavailable); the pages show their static figures only")
            }
        }
        let (work, modules, log, wasm) = (pending, sources.programModuleNames, log, liveEngine)
        let (notesFolder, cache, scratch) = (notesFolder, cache, scratch)
        let outcomes = Parallel.map(pending.count, started: { position in
            log("  running \(work[position].note.file) (\(Self.describe(work[position].note.notebook)))")
        }, finished: { position, done in
            log("  [\(done)/\(work.count)] finished \(work[position].note.file)")
        }) { position in
            let (note, key) = work[position]
            let timeout = note.frontMatter.timeout ?? 60
            let runner = NotebookRunner(toolchain: toolchain, libraries: libraries, modules: modules, sandbox: sandbox,
                                        workingDirectory: notesFolder, noteTimeout: timeout)
            let live = LiveRunner(toolchain: toolchain, webAssembly: wasm, libraries: libraries,
                                  sandbox: sandbox, workingDirectory: notesFolder, timeout: timeout)
            let folder = scratch.appendingPathComponent("run-\(note.slug)-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let started = Date().timeIntervalSince1970
            let outcome = Result { () throws -> NotebookRunner.Run in
                let notebook = note.notebook
                var run = notebook.runnableCells.isEmpty && notebook.inlineValues.isEmpty
                    ? NotebookRunner.Run(result: NotebookResult(cells: []))
                    : try runner.run(notebook, scratch: folder)
                if !notebook.liveCells.isEmpty {
                    let widgets = try live.run(notebook, scratch: folder.appendingPathComponent("live"))
                    run.result.cells = (run.result.cells + widgets.cells).sorted { $0.index < $1.index }
                    run.result.live = widgets.live
                    run.cacheable = run.cacheable && widgets.cacheable
                }
                return run
            }
            let finished = Date().timeIntervalSince1970
            var problems: [String] = []
            if cache != nil, !Interruption.isInterrupted, case .success(let run) = outcome, run.cacheable {
                problems = results.store(run.result, key: key, started: started, finished: finished)
            }
            return (outcome.map(\.result), problems, finished - started)
        }
        return outcomes
    }
}
