/// What a build did, for the one-line summary.
public struct BuildSummary: Sendable {
    public var pages: Int
    /// Pages (notes and site pages) kept from the last build because nothing they are made of changed.
    public var pagesKept: Int
    public var notes: Int
    public var equations: Int
    public var mathSpans: Int
    /// Formulas answered from the cache instead of KaTeX.
    public var mathCached: Int
    public var seconds: Double
    public var warnings: [Diagnostic]
    /// Wall-clock seconds of each stage, for benchmarks.
    public var timings: StageTimings
    /// How the notes' cells fared.
    public var cells: CellCounts
    /// Failed cells (only when the build went on with `keepGoing`).
    public var failures: [Diagnostic]
    /// Every file of the published site, by site-relative path, sorted.
    public var files: [String] = []
    /// The files whose bytes are not the previous site's (what the open pages should fetch again).
    public var changed: [String] = []
}

/// Counts of cells and notes for the summary line.
public struct CellCounts: Sendable, Equatable {
    public var cells = 0
    public var failed = 0
    public var notesRun = 0
    public var notesCached = 0
    /// Of `notesCached`, the results found on the shared cache server.
    public var notesFromRemote = 0
    /// Notes with cells left to other shards (`--shard`).
    public var notesInOtherShards = 0

    init(_ prepared: Pipeline.Prepared) {
        for verdict in prepared.course.verdicts.values {
            for cell in verdict.cells where cell.cell.options.run {
                cells += 1
                if case .failed = cell.status { failed += 1 }
            }
        }
        notesRun = prepared.execution.ran
        notesCached = prepared.execution.cached
        notesFromRemote = prepared.execution.fromRemote
        notesInOtherShards = prepared.execution.otherShards
    }

    /// `12 cells (1 failed), 2 notes run, 3 from cache (1 remote), 4 in other shards`.
    public var summary: String {
        var text = "\(cells) cell\(cells == 1 ? "" : "s")"
        if failed > 0 { text += " (\(failed) failed)" }
        text += ", \(notesRun) note\(notesRun == 1 ? "" : "s") run, \(notesCached) from cache"
        if notesFromRemote > 0 { text += " (\(notesFromRemote) remote)" }
        if notesInOtherShards > 0 { text += ", \(notesInOtherShards) in other shards" }
        return text
    }
}
