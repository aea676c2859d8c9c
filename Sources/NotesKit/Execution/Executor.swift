import Foundation

/// Runs the notebooks of all notes: from the cache where nothing changed, otherwise compiled and
/// run in parallel, up to one note per core.
///
/// The compiled engine goes to the cache folder, or to `NOTES_ENGINE_CACHE` when set (for
/// sharing it between checkouts or test runs).
public struct Executor: Sendable {
    /// What the execution stage produced for the build.
    public struct Report: Sendable {
        /// Results by note slug, locations already mapped to the Markdown files.
        public var results: [String: NotebookResult] = [:]
        public var ran = 0
        public var cached = 0
        public var warnings: [Diagnostic] = []
    }

    public let notesFolder: URL
    /// Cache folder, or nil to run everything and store nothing.
    public let cache: URL?
    /// Where compiled engine libraries and scratch files go when there is no cache.
    public let scratch: URL
    /// The package's `Sources/` folder holding the engine, or nil for the default (see `EngineSources`).
    public var sourcesRoot: URL?
    let log: @Sendable (String) -> Void

    public init(notesFolder: URL, cache: URL?, scratch: URL, sourcesRoot: URL? = nil, log: @escaping @Sendable (String) -> Void) {
        self.notesFolder = notesFolder
        self.cache = cache
        self.scratch = scratch
        self.sourcesRoot = sourcesRoot
        self.log = log
    }

    /// Runs every note that has cells; errors here are failures of the machinery, not of cells.
    public func run(_ notes: [Note]) throws(DiagnosticsError) -> Report {
        var report = Report()
        let executable = notes.filter { !$0.notebook.isEmpty }
        guard !executable.isEmpty else { return report }
        let toolchain = try Toolchain.find()
        let sources = try EngineSources.locate(root: sourcesRoot)
        var environment = Data("\(toolchain.version)\n\(Toolchain.programFlags)\n".utf8)
        environment.append(sources.fingerprintData())
        let results = ResultCache(folder: (cache ?? scratch).appendingPathComponent("results"))

        var pending: [(note: Note, key: String)] = []
        for note in executable {
            let key = try ResultCache.key(for: note, environment: environment, notesFolder: notesFolder)
            if cache != nil, let stored = results.load(note, key: key, warning: {
                report.warnings.append(.warning(note.file, line: nil, $0))
            }) {
                report.results[note.slug] = SourceMap(notebook: note.notebook, file: note.file).map(stored)
                report.cached += 1
            } else {
                pending.append((note, key))
            }
        }
        guard !pending.isEmpty else { return report }

        log("  compiling the engine (\(sources.modules.map(\.name).joined(separator: ", ")))")
        let engineFolder = ProcessInfo.processInfo.environment["NOTES_ENGINE_CACHE"].map { URL(fileURLWithPath: $0) }
            ?? (cache ?? scratch).appendingPathComponent("engine")
        let libraries = try toolchain.buildLibraries(sources, cache: engineFolder)
        let work = pending
        let outcomes = ConcurrentResults<NotebookResult>(count: pending.count)
        let finished = Counter()
        let total = pending.count
        let modules = sources.modules.map(\.name)
        DispatchQueue.concurrentPerform(iterations: pending.count) { position in
            let (note, key) = work[position]
            log("  running \(note.file) (\(note.notebook.runnableCells.count) cells)")
            let runner = NotebookRunner(toolchain: toolchain, libraries: libraries, modules: modules,
                                        workingDirectory: notesFolder, noteTimeout: note.frontMatter.timeout ?? 60)
            let folder = scratch.appendingPathComponent("run-\(note.slug)-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let outcome = Result { try runner.run(note.notebook, scratch: folder) }
            if cache != nil, case .success(let result) = outcome { try? results.store(result, for: note, key: key) }
            outcomes.set(position, outcome)
            log("  [\(finished.increment())/\(total)] finished \(note.file)")
        }
        var errors: [Diagnostic] = []
        for (position, item) in pending.enumerated() {
            switch outcomes.value(position) {
            case .success(let result):
                report.results[item.note.slug] = SourceMap(notebook: item.note.notebook, file: item.note.file).map(result)
                report.ran += 1
            case .failure(let error):
                errors.append(.error(item.note.file, line: nil, "cannot run the note's cells: \(error)"))
            }
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        return report
    }
}

/// A thread-safe count of finished notes, for progress lines.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
