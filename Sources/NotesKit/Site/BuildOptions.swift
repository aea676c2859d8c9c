import Foundation

/// What `notes build` was asked to do.
public struct BuildOptions: Sendable {
    /// The folder of `*.md` notes.
    public var notes: URL
    /// Where the site goes; replaced as a whole when the build succeeds.
    public var output: URL
    /// A folder whose templates and assets replace the built-in theme's, file by file.
    public var theme: URL?
    /// The site's title, shown in the header and page titles.
    public var title: String
    /// How paths are shown in diagnostics: relative to this folder when they are inside it.
    public var workingDirectory: URL
    /// Folder for results kept between builds (typeset math, cell results); nil turns caching off.
    public var cache: URL?
    /// Publish even when cells fail, with the failures marked on the pages.
    public var keepGoing = false

    public init(notes: URL, output: URL, theme: URL? = nil, title: String = "Course Notes",
                workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                cache: URL? = nil) {
        self.notes = notes
        self.output = output
        self.theme = theme
        self.title = title
        self.workingDirectory = workingDirectory
        self.cache = cache
    }

    /// The default cache folder: `.notes-cache` beside the notes folder.
    public static func defaultCache(for notes: URL) -> URL {
        notes.standardizedFileURL.deletingLastPathComponent().appendingPathComponent(".notes-cache")
    }

    /// `url`'s path as the user would write it: relative to the working directory when inside it.
    func displayPath(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let base = workingDirectory.standardizedFileURL.path
        if path.hasPrefix(base + "/") { return String(path.dropFirst(base.count + 1)) }
        return path
    }
}

/// What a build did, for the one-line summary.
public struct BuildSummary: Sendable {
    public var pages: Int
    public var notes: Int
    public var equations: Int
    public var mathSpans: Int
    /// Formulas answered from the cache instead of KaTeX.
    public var mathCached: Int
    public var seconds: Double
    public var warnings: [Diagnostic]
    /// Wall-clock seconds of each stage, for benchmarks: reading and parsing the notes,
    /// typesetting math (cache lookups, starting KaTeX, typesetting, saving the cache),
    /// rendering pages, and writing and swapping in the site.
    public var loadSeconds: Double = 0
    public var mathSeconds: Double = 0
    public var renderSeconds: Double = 0
    public var publishSeconds: Double = 0
    /// How the notes' cells fared.
    public var cells = CellCounts()
    /// Failed cells (only when the build went on with `keepGoing`).
    public var failures: [Diagnostic] = []
}

/// Counts of cells and notes for the summary line.
public struct CellCounts: Sendable, Equatable {
    public var cells = 0
    public var failed = 0
    public var notesRun = 0
    public var notesCached = 0

    public init() {}

    init(_ prepared: Pipeline.Prepared) {
        for verdict in prepared.verdicts.values {
            for cell in verdict.cells where cell.cell.options.run {
                cells += 1
                if case .failed = cell.status { failed += 1 }
            }
        }
        notesRun = prepared.execution.ran
        notesCached = prepared.execution.cached
    }
}
