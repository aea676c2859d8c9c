import Foundation

/// `notes build`: the whole site from the notes folder, published atomically.
///
/// The stages, in order: the shared `Pipeline` (load, execute, judge, typeset math), then
/// `SiteRenderer` (pages and search index), then `SitePublisher` (site/ swapped in whole). Any
/// error, or a failed cell without `keepGoing`, stops the build before `site/` is touched.
public struct SiteBuilder {
    public let options: BuildOptions
    private let log: @Sendable (String) -> Void
    private let makeMathRenderer: @Sendable () throws -> any MathRenderer

    /// A build of `options`; `mathRenderer` makes the typesetter (KaTeX through node by default).
    public init(options: BuildOptions,
                log: @escaping @Sendable (String) -> Void = { _ in },
                mathRenderer: (@Sendable () throws -> any MathRenderer)? = nil) {
        self.options = options
        self.log = log
        self.makeMathRenderer = mathRenderer ?? { try KaTeXRenderer() }
    }

    /// Runs the build; on failure every diagnostic found is in the thrown error and the output is untouched.
    public func build() throws(DiagnosticsError) -> BuildSummary {
        let clock = ContinuousClock()
        let started = clock.now
        let publisher = SitePublisher(output: options.output)
        try publisher.checkOutputIsReplaceable()

        var prepared = try Pipeline(options: options, log: log, makeMathRenderer: makeMathRenderer).prepare()
        let failures = prepared.failures.map(\.diagnosticWithDetail)
        if !failures.isEmpty && !options.keepGoing { throw DiagnosticsError(failures) }
        let themeName = options.theme.map(options.paths.callAsFunction) ?? "theme"
        let theme: Theme
        do {
            theme = try Theme(overrides: options.theme)
        } catch {
            throw DiagnosticsError([.error(themeName, line: nil, "\(error)")])
        }
        let pages = try prepared.timings.measure(\.render) { () throws(DiagnosticsError) in
            try SiteRenderer(course: prepared.course, theme: theme, title: options.title, themeName: themeName, log: log).render()
        }
        try prepared.timings.measure(\.publish) { () throws(DiagnosticsError) in
            try publish(pages, theme: theme, with: publisher)
        }
        let notes = prepared.notes
        return BuildSummary(pages: pages.keys.filter { $0.hasSuffix(".html") }.count, notes: notes.count,
                            equations: notes.reduce(0) { $0 + $1.equations.count }, mathSpans: prepared.course.math.count,
                            mathCached: prepared.mathCached, seconds: (clock.now - started).seconds,
                            warnings: prepared.warnings, timings: prepared.timings,
                            cells: CellCounts(prepared), failures: failures)
    }

    /// Writes the pages and copies the theme's and KaTeX's assets.
    private func publish(_ pages: [String: Data], theme: Theme, with publisher: SitePublisher) throws(DiagnosticsError) {
        var copies: [(path: String, source: URL)] = []
        do {
            copies += try theme.assets().map { ("assets/" + $0.path, $0.source) }
            copies += try KaTeXRenderer.assets()
        } catch {
            throw DiagnosticsError([.error("theme", line: nil, "cannot list assets: \(error)")])
        }
        do {
            try publisher.publish(files: pages, copies: copies)
        } catch let error as DiagnosticsError {
            throw error
        } catch {
            throw DiagnosticsError([.error(options.paths(options.output), line: nil, "cannot write the site: \(error)")])
        }
    }
}
