import Foundation

/// The stages that `notes build` and `notes check` share, in order: load the notes, run their
/// cells, judge them (`prepare`), and typeset the math (`typeset`: a build typesets only the
/// notes whose pages it renders).
struct Pipeline {
    let options: BuildOptions
    let log: @Sendable (String) -> Void
    let makeMathRenderer: @Sendable () throws -> any MathRenderer
    /// What an earlier build of this process left to reuse (`notes serve`), or nil.
    var memo: BuildMemo? = nil

    /// Everything known about the notes before pages are rendered.
    struct Prepared: Sendable {
        var course: SiteRenderer.Course
        var execution: Executor.Report
        var mathCached: Int
        var warnings: [Diagnostic]
        var timings: StageTimings
        /// The shared cache server of this build, if any: cells, then math, use it.
        var remote: RemoteCache? = nil

        var notes: [Note] { course.notes }

        /// Every failed cell, expected output or expectation, in note and line order.
        var failures: [CellFailure] {
            course.notes.flatMap { course.verdicts[$0.slug]?.failures ?? [] }
        }
    }

    func prepare() throws(DiagnosticsError) -> Prepared {
        // The caches an earlier build of this process is still writing are read below.
        let earlierWarnings = memo?.finishWrites() ?? []
        var timings = StageTimings()
        let loaded = try timings.measure(\.load) { () throws(DiagnosticsError) in
            try NoteLoader(folder: options.notes, paths: options.paths, log: log, memo: memo, cache: options.cache).load()
        }
        let notes = loaded.notes
        let remote = options.cache == nil ? nil : options.remoteCache.map(RemoteCache.init(options:))
        let execution = try timings.measure(\.execute) { () throws(DiagnosticsError) in
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("notes-build-\(UUID().uuidString)")
            let registration = Interruption.register(folder: scratch)
            defer {
                try? FileManager.default.removeItem(at: scratch)
                registration.end()
            }
            var executor = Executor(notesFolder: options.notes, cache: options.cache.map { $0.appendingPathComponent("cells") },
                                    scratch: scratch, sandboxed: options.sandboxed, log: log)
            executor.remote = remote
            executor.shard = options.shard
            executor.requireCache = options.requireCache
            return try executor.run(notes)
        }
        var verdicts: [String: NotebookVerdict] = [:]
        for note in notes {
            verdicts[note.slug] = NotebookVerdict(note: note, result: execution.results[note.slug])
        }
        let course = SiteRenderer.Course(notes: notes, index: loaded.index, math: [:], verdicts: verdicts,
                                         verification: EquationVerification(notes: notes, verdicts: verdicts),
                                         rawHTML: loaded.settings.rawHTML)
        return Prepared(course: course, execution: execution, mathCached: 0,
                        warnings: earlierWarnings + loaded.warnings + execution.warnings, timings: timings, remote: remote)
    }

    /// Typesets the math of `notes` into `prepared`, keeping the cached formulas of `keeping`;
    /// the Markdown trees of `notes` are parsed first where they came from the note cache.
    func typeset(_ notes: [Note], keeping: [Note] = [], into prepared: inout Prepared) throws(DiagnosticsError) {
        try prepared.timings.measure(\.load) { () throws(DiagnosticsError) in try NoteDocument.parse(notes) }
        let remote = prepared.remote
        let warningsBefore = remote?.warnings.count ?? 0
        let math = try prepared.timings.measure(\.math) { () throws(DiagnosticsError) in
            var typesetter = MathTypesetter(cache: options.cache, paths: options.paths, log: log, makeMathRenderer: makeMathRenderer,
                                            memo: memo)
            typesetter.shared = remote.map { CellResultCache(local: nil, remote: $0) }
            return try typesetter.typeset(notes, keeping: keeping)
        }
        prepared.warnings += (remote?.warnings.dropFirst(warningsBefore) ?? []).map { .warning("remote cache", line: nil, $0) }
        prepared.course.math = math.html
        prepared.mathCached = math.cached
        prepared.warnings += math.warnings
    }
}
