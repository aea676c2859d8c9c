import Foundation

/// Runs the notebooks of all notes: from the cache where nothing changed, otherwise compiled and
/// run in parallel, up to one note per core.
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
        let executable = notes.filter { !$0.notebook.isEmpty }
        guard !executable.isEmpty else { return report }
        let toolchain = try Toolchain.find()
        let sources = try EngineSources.locate(root: sourcesRoot)
        var environment = Data("\(toolchain.version)\n\(Toolchain.programFlags)\n".utf8)
        environment.append(sources.fingerprintData())
        environment.append(Data("sandboxed \(sandboxed)\n".utf8))
        let webAssembly = WebAssemblyToolchain.find(toolchain)
        // The WebAssembly toolchain and runtime matter only to notes with live cells.
        var liveEnvironment = environment
        if case .success(let found) = webAssembly { liveEnvironment.append(found.fingerprintData()) }
        let results = ResultCache(folder: (cache ?? scratch).appendingPathComponent("results"))

        var pending: [(note: Note, key: String)] = []
        for note in executable {
            let key = try ResultCache.key(for: note, environment: note.notebook.liveCells.isEmpty ? environment : liveEnvironment,
                                          notesFolder: notesFolder)
            if cache != nil, let stored = results.load(note, key: key, warning: {
                report.warnings.append(.warning(note.file, line: nil, $0))
            }) {
                report.results[note.slug] = stored
                report.cached += 1
            } else {
                pending.append((note, key))
            }
        }
        guard !pending.isEmpty else { return report }
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
            if cache != nil, !Interruption.isInterrupted, case .success(let run) = outcome, run.cacheable {
                try? results.store(run.result, for: note, key: key)
            }
            return outcome.map(\.result)
        }
        var errors: [Diagnostic] = []
        for (position, item) in pending.enumerated() {
            switch outcomes[position] {
            case .success(let result):
                report.results[item.note.slug] = result
                report.ran += 1
            case .failure(let error):
                errors.append(.error(item.note.file, line: nil, "cannot run the note's cells: \(error)"))
            }
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        return report
    }
}
