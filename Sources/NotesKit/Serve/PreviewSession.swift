import Foundation

/// `notes serve`: builds the site, serves it, and rebuilds whenever what it is built from changes.
///
/// The loop: take a `SourceSnapshot` of the watched folders (the notes with their data files,
/// the theme, the engine's sources), build with `SiteBuilder` (the same build as `notes build`,
/// with its caches: a prose edit re-runs no cell, a cell edit re-runs that note only), tell the
/// pages what changed, then wait for the watcher. A change that arrives during a build shows
/// in the next snapshot, so it is built next, never lost. A failed build keeps the last good
/// site on the server; the pages show the diagnostics in an overlay until a build succeeds.
///
/// A save is built as soon as its events have settled (`settle`, a few milliseconds: an editor's
/// write and rename), not after a long quiet time, so the page changes while the author still
/// looks at it. When files changed again during that build, it was the start of a burst (a
/// checkout, a formatter): the pages are not told about it, and the rest of the burst is waited
/// out for `quiet` and built once, with the pages told everything both builds changed.
public final class PreviewSession: @unchecked Sendable {
    /// What `notes serve` was asked for.
    public struct Options: Sendable {
        public var build: BuildOptions
        public var host = "127.0.0.1"
        /// 0: a free port.
        public var port: UInt16 = 8000
        /// Poll instead of inotify (network mounts, the watch limit).
        public var poll = false
        /// Quiet time that ends the events of one save, before it is built.
        public var settle = Duration.milliseconds(20)
        /// Quiet time that ends a burst of events (files that changed during the last build).
        public var quiet = Duration.milliseconds(120)

        public init(build: BuildOptions) { self.build = build }
    }

    public let options: Options
    let events = PreviewEvents()
    private let log: @Sendable (String) -> Void
    private let report: @Sendable (Diagnostic) -> Void
    private var server: PreviewServer?
    private var watcher: (any SourceWatcher)?
    private var sources = SourceSnapshot()
    /// What the pages have not been told about the site yet.
    private var changes = SiteChanges()
    private var roots: [URL] = []
    /// Notes parsed and math read by earlier builds of the session.
    private let memo = BuildMemo()

    /// A session that logs progress with `log` and prints each build's diagnostics with `report`.
    public init(options: Options, log: @escaping @Sendable (String) -> Void, report: @escaping @Sendable (Diagnostic) -> Void) {
        self.options = options
        self.log = log
        self.report = report
    }

    /// The folders whose files a build reads.
    public var watchedFolders: [URL] {
        var folders = [options.build.notes]
        if let theme = options.build.theme { folders.append(theme) }
        if let engine = try? EngineSources.locate() {
            folders += engine.modules.compactMap { $0.files.first?.deletingLastPathComponent() }
        }
        return folders.map(\.standardizedFileURL)
    }

    /// Starts watching, builds once and starts the server; returns the address to open. Blocks:
    /// call it, and `run()`, from a thread of its own (the command's main thread), not from a task.
    public func start() throws -> URL {
        roots = watchedFolders
        let (watcher, fallback) = makeSourceWatcher(roots: roots, poll: options.poll)
        if let fallback { log("  watching: \(fallback)") }
        self.watcher = watcher
        log("  watching \(roots.map { options.build.paths($0) }.joined(separator: ", ")) (\(watcher.method))")
        sources = SourceSnapshot.take(roots)
        changes = SiteChanges(served: Self.files(in: options.build.output))
        build(reason: "first build")
        let server = try PreviewServer(root: options.build.output, events: events, host: options.host, port: options.port)
        let port = try server.startBlocking()
        self.server = server
        let host = options.host.contains(":") ? "[\(options.host)]" : options.host
        return URL(string: "http://\(host):\(port)/")!
    }

    /// Rebuilds on every change until `stop()`.
    public func run() {
        guard let watcher else { return }
        var quiet = options.settle
        while watcher.waitForChange(quiet: quiet) {
            let now = SourceSnapshot.take(roots, reusing: sources)
            let changed = sources.changes(to: now)
            guard !changed.isEmpty else { continue }
            sources = now
            let names = changed.sorted().map { options.build.paths(URL(fileURLWithPath: $0)) }
            let superseded = build(reason: names.count <= 3 ? names.joined(separator: ", ") : "\(names.count) files")
            quiet = superseded ? options.quiet : options.settle
        }
    }

    /// The regular files under `folder`, by relative path, without the site marker.
    private static func files(in folder: URL) -> [String] {
        let root = folder.standardizedFileURL.resolvingSymlinksInPath().path
        guard let walk = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let path = walk.nextObject() as? String {
            var info = stat()
            if path != SitePublisher.marker, lstat(root + "/" + path, &info) == 0, info.st_mode & S_IFMT == S_IFREG { files.append(path) }
        }
        return files
    }

    /// Stops watching and serving.
    public func stop() {
        watcher?.close()
        server?.stopBlocking()
        memo.finishWrites().forEach(report)
    }

    /// One build, and its news to the pages; true (and no news) when the sources changed again
    /// while it ran. The first build always tells.
    @discardableResult
    private func build(reason: String) -> Bool {
        // Failed cache writes of the last build are reported here, whatever becomes of this one.
        memo.finishWrites().forEach(report)
        // This build's cache writes start once the pages have been told (or not) about it.
        defer { memo.startWrites() }
        events.buildStarted()
        /// Whether files changed during the build: then a newer build follows at once.
        func superseded() -> Bool {
            guard server != nil else { return false }
            return !sources.changes(to: SourceSnapshot.take(roots, reusing: sources)).isEmpty
        }
        do {
            let summary = try SiteBuilder(options: options.build, log: { _ in }, memo: memo).build()
            summary.warnings.forEach(report)
            // The publisher knows which files it wrote rather than linked from the last site:
            // those are the changed ones (the site is not read back).
            changes.built(files: summary.files, written: summary.changed)
            if superseded() {
                log(String(format: "Built in %.2f s (%@); files changed meanwhile, building again", summary.seconds, reason))
                return true
            }
            let (updated, removed) = changes.announce()
            events.buildSucceeded(changed: updated, removed: removed)
            let pages = updated.filter { $0.hasSuffix(".html") }
            let ran = summary.cells.notesRun
            let cells = ran == 0 ? "" : String(format: "; %d note%@ run in %.2f s", ran, ran == 1 ? "" : "s", summary.timings.execute)
            log(String(format: "Built in %.2f s (%@%@): ", summary.seconds, reason, cells)
                + (pages.isEmpty ? "no page changed" : "\(pages.count) page\(pages.count == 1 ? "" : "s") changed"
                   + (pages.count <= 4 ? " (\(pages.joined(separator: ", ")))" : ""))
                + (removed.isEmpty ? "" : ", \(removed.count) file\(removed.count == 1 ? "" : "s") removed"))
            return false
        } catch {
            if superseded() {
                log("Build failed (\(reason)); files changed meanwhile, building again")
                return true
            }
            error.diagnostics.forEach(report)
            events.buildFailed(error.diagnostics)
            let count = error.diagnostics.filter { $0.severity == .error }.count
            log("Build failed (\(reason)) with \(count) error\(count == 1 ? "" : "s"); still serving the last good site")
            return false
        }
    }
}
