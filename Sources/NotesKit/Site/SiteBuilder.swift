import Foundation

/// `notes build`: the whole site from the notes folder, published atomically.
///
/// The stages, in order: the shared `Pipeline` (load, execute, judge), the `SiteRenderer`'s plan
/// (which note pages are unchanged since the last build, from the `PageCache`), math typeset for
/// the pages to render, `SiteRenderer` (those pages, the site pages and the search index), then
/// `SitePublisher` (site/ swapped in whole, unchanged pages linked from the previous site). Any
/// error, or a failed cell without `keepGoing`, stops the build before `site/` is touched.
/// With `options.shard`, the build stops after the cells: it fills the cache and writes no site.
public struct SiteBuilder {
    public let options: BuildOptions
    private let log: @Sendable (String) -> Void
    private let makeMathRenderer: @Sendable () throws -> any MathRenderer
    private let memo: BuildMemo?

    /// A build of `options`; `mathRenderer` makes the typesetter (KaTeX through node by default);
    /// `memo` holds what earlier builds of this process parsed and read (`notes serve`).
    public init(options: BuildOptions,
                log: @escaping @Sendable (String) -> Void = { _ in },
                mathRenderer: (@Sendable () throws -> any MathRenderer)? = nil,
                memo: BuildMemo? = nil) {
        self.options = options
        self.log = log
        self.makeMathRenderer = mathRenderer ?? { try KaTeXRenderer() }
        self.memo = memo
    }

    /// Runs the build; on failure every diagnostic found is in the thrown error and the output is untouched.
    public func build() throws(DiagnosticsError) -> BuildSummary {
        let clock = ContinuousClock()
        let started = clock.now
        let publisher = SitePublisher(output: options.output)
        try publisher.checkOutputIsReplaceable()

        let pipeline = Pipeline(options: options, log: log, makeMathRenderer: makeMathRenderer, memo: memo)
        var prepared = try pipeline.prepare()
        let failures = prepared.failures.map(\.diagnosticWithDetail)
        if !failures.isEmpty && !options.keepGoing { throw DiagnosticsError(failures) }
        if options.shard != nil {
            // A shard fills the cache; the final `--require-cache` build renders the whole site.
            return BuildSummary(pages: 0, pagesKept: 0, notes: prepared.notes.count, equations: 0, mathSpans: 0, mathCached: 0,
                                seconds: (clock.now - started).seconds, warnings: prepared.warnings, timings: prepared.timings,
                                cells: CellCounts(prepared), failures: failures)
        }
        let themeName = options.theme.map(options.paths.callAsFunction) ?? "theme"
        let theme: Theme
        do {
            theme = try Theme(overrides: options.theme)
        } catch {
            throw DiagnosticsError([.error(themeName, line: nil, "\(error)")])
        }
        var renderer = SiteRenderer(course: prepared.course, theme: theme, title: options.title, themeName: themeName, log: log)
        var cacheWarnings: [String] = []
        let previous = options.cache.map { memo?.pageCache(in: $0) ?? PageCache(folder: $0, warning: { cacheWarnings.append($0) }) }
            ?? PageCache()
        prepared.warnings += cacheWarnings.map { .warning(options.paths(options.cache!), line: nil, $0) }
        let plan = try prepared.timings.measure(\.render) { renderer.plan(previous: previous, site: publisher.output) }
        let notes = prepared.notes
        try pipeline.typeset(plan.rendered(notes), keeping: plan.kept.keys.map { notes[$0] }, into: &prepared)
        renderer.course.math = prepared.course.math
        let rendered = try prepared.timings.measure(\.render) { () throws(DiagnosticsError) in try renderer.render(plan) }
        let published = try prepared.timings.measure(\.publish) { () throws(DiagnosticsError) in
            try publish(rendered, theme: theme, with: publisher)
        }
        if let cache = options.cache {
            var pages = rendered.pages
            let site = publisher.output.path + "/"
            for path in Array(pages.entries.keys) {
                pages.entries[path]!.file = FileIdentity(path: site + path)
            }
            let (saved, memo, shown) = (pages, memo, options.paths(cache))
            /// Writes the cache; a warning if it cannot.
            let save = { @Sendable () -> Diagnostic? in
                do { try saved.save(in: cache) } catch {
                    return .warning(shown, line: nil, "cannot write the page cache: \(error.localizedDescription)")
                }
                memo?.keepPages(saved, in: cache)
                return nil
            }
            if let memo { memo.later(save) } else if let warning = save() { prepared.warnings.append(warning) }
        }
        return BuildSummary(pages: rendered.files.keys.filter { $0.hasSuffix(".html") }.count + rendered.kept.count,
                            pagesKept: rendered.kept.count, notes: notes.count,
                            equations: notes.reduce(0) { $0 + $1.equations.count }, mathSpans: prepared.course.math.count,
                            mathCached: prepared.mathCached, seconds: (clock.now - started).seconds,
                            warnings: prepared.warnings, timings: prepared.timings,
                            cells: CellCounts(prepared), failures: failures,
                            files: published.files, changed: published.written)
    }

    /// Writes the pages and copies the theme's and KaTeX's assets.
    private func publish(_ site: SiteRenderer.Rendered, theme: Theme,
                         with publisher: SitePublisher) throws(DiagnosticsError) -> SitePublisher.Published {
        var copies: [(path: String, source: URL)] = []
        do {
            copies += try theme.assets().map { ("assets/" + $0.path, $0.source) }
            copies += try KaTeXRenderer.assets()
        } catch {
            throw DiagnosticsError([.error("theme", line: nil, "cannot list assets: \(error)")])
        }
        do {
            return try publisher.publish(files: site.files, copies: copies, kept: site.kept)
        } catch let error as DiagnosticsError {
            throw error
        } catch {
            throw DiagnosticsError([.error(options.paths(options.output), line: nil, "cannot write the site: \(error)")])
        }
    }
}
