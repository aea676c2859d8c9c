import Foundation

/// What `notes build` and `notes check` were asked to do.
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
    /// Run cells in the bubblewrap sandbox (`Sandbox`); false only for notes you trust (`--no-sandbox`).
    public var sandboxed = true
    /// The shared cache server, looked up after the local cache and filled after runs.
    public var remoteCache: RemoteCacheOptions?
    /// Run only this part of the notes' cells, filling the cache, and render nothing (`--shard`).
    public var shard: Shard?
    /// Take every note's results from the caches, failing on any miss instead of running cells.
    public var requireCache = false

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

    /// How paths are shown in diagnostics.
    var paths: PathDisplay { PathDisplay(workingDirectory: workingDirectory) }
}
