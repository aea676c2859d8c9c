import Foundation

/// Builds the whole site: load every note, render math and pages, and publish atomically.
///
/// Stages follow the house plan: the shared `Pipeline` (load, cross-reference, run the cells,
/// typeset math) → render pages (`NotePageRenderer`, `Theme`) → publish (`SitePublisher`).
/// Any error, or a failed cell without `keepGoing`, stops the build before `site/` is touched.
public struct SiteBuilder {
    public let options: BuildOptions
    private let log: @Sendable (String) -> Void
    private let makeMathRenderer: @Sendable () throws -> any MathRenderer

    public init(options: BuildOptions,
                log: @escaping @Sendable (String) -> Void = { _ in },
                mathRenderer: @escaping @Sendable () throws -> any MathRenderer = { try KaTeXRenderer() }) {
        self.options = options
        self.log = log
        self.makeMathRenderer = mathRenderer
    }

    /// Runs the build; on failure every diagnostic found is in the thrown error and the output is untouched.
    public func build() throws(DiagnosticsError) -> BuildSummary {
        let clock = ContinuousClock()
        let started = clock.now
        let publisher = SitePublisher(output: options.output)
        try publisher.checkOutputIsReplaceable()

        let prepared = try Pipeline(options: options, log: log, makeMathRenderer: makeMathRenderer).prepare()
        let failures = prepared.failures
        if !failures.isEmpty && !options.keepGoing {
            throw DiagnosticsError(failures.map(\.diagnosticWithDetail))
        }
        let theme: Theme
        do {
            theme = try Theme(overrides: options.theme)
        } catch {
            throw DiagnosticsError([.error(options.theme.map(options.displayPath) ?? "theme", line: nil, "\(error)")])
        }
        let renderStarted = clock.now
        let pages = try renderPages(prepared, theme: theme)
        let rendered = clock.now

        var copies: [(path: String, source: URL)] = []
        do {
            copies += try theme.assets().map { ("assets/" + $0.path, $0.source) }
            copies += try katexAssets()
        } catch {
            throw DiagnosticsError([.error("theme", line: nil, "cannot list assets: \(error)")])
        }
        do {
            try publisher.publish(files: pages, copies: copies)
        } catch let error as DiagnosticsError {
            throw error
        } catch {
            throw DiagnosticsError([.error(options.displayPath(options.output), line: nil, "cannot write the site: \(error)")])
        }
        let finished = clock.now
        let notes = prepared.notes
        var summary = BuildSummary(pages: pages.keys.filter { $0.hasSuffix(".html") }.count, notes: notes.count,
                                   equations: notes.reduce(0) { $0 + $1.equations.count }, mathSpans: prepared.math.count,
                                   mathCached: prepared.mathCached, seconds: (finished - started).seconds,
                                   warnings: prepared.warnings,
                                   loadSeconds: prepared.timings["load"] ?? 0, mathSeconds: prepared.timings["math"] ?? 0,
                                   renderSeconds: (rendered - renderStarted).seconds, publishSeconds: (finished - rendered).seconds)
        summary.cells = CellCounts(prepared)
        summary.failures = failures.map(\.diagnosticWithDetail)
        return summary
    }

    private func katexAssets() throws -> [(path: String, source: URL)] {
        let root = KaTeXRenderer.assetsDirectory
        var copies: [(path: String, source: URL)] = [("assets/katex/katex.min.css", root.appendingPathComponent("katex.min.css"))]
        let fonts = root.appendingPathComponent("fonts").resolvingSymlinksInPath()
        for name in try FileManager.default.contentsOfDirectory(atPath: fonts.path).sorted()
        where name.hasSuffix(".woff2") || name.hasSuffix(".woff") || name.hasSuffix(".ttf") {
            copies.append(("assets/katex/fonts/" + name, fonts.appendingPathComponent(name)))
        }
        return copies
    }

    // MARK: - Pages

    private func renderPages(_ prepared: Pipeline.Prepared, theme: Theme) throws(DiagnosticsError) -> [String: Data] {
        let notes = prepared.notes
        var files: [String: Data] = [:]
        var search = SearchIndex()
        let site = SiteInfo(title: options.title, noteCount: notes.count,
                            equationCount: notes.reduce(0) { $0 + $1.equations.count },
                            labelledEquationCount: prepared.verification.entries.count,
                            verifiedCount: prepared.verification.verifiedCount)
        let links = notes.map(NoteOrder.link)
        do {
            for (position, note) in notes.enumerated() {
                log("  rendering \(note.file)")
                let page = NotePageRenderer(note: note, index: prepared.index, math: prepared.math,
                                            verdict: prepared.verdicts[note.slug], verification: prepared.verification)
                let body = page.render()
                let context = NotePageContext(
                    site: site, pageTitle: "\(note.frontMatter.title) · \(options.title)", note: links[position],
                    wordCount: note.wordCount, bodyHTML: body.html, toc: body.toc, hasTOC: !body.toc.isEmpty,
                    previous: position > 0 ? links[position - 1] : nil,
                    next: position + 1 < links.count ? links[position + 1] : nil)
                files[note.href] = Data(try theme.render("note", context).utf8)
                search.entries.append(SearchIndex.Entry(
                    href: note.href, id: note.frontMatter.id ?? "", title: note.frontMatter.title,
                    category: links[position].category, summary: note.frontMatter.summary ?? "",
                    headings: body.headings.map { .init(title: $0.text, anchor: $0.anchor) },
                    text: SearchIndex.plainText(of: note.document)))
            }
            let indexContext = IndexPageContext(site: site, pageTitle: options.title,
                                                categories: NoteOrder.categories(links))
            files["index.html"] = Data(try theme.render("index", indexContext).utf8)
            files["404.html"] = Data(try theme.render("404", NotFoundPageContext(site: site, pageTitle: "Page not found · \(options.title)")).utf8)
            files["verification.html"] = Data(try theme.render("report", ReportPage.context(prepared.verification, site: site,
                                                                                          title: options.title)).utf8)
            files["search-index.json"] = try search.json()
            files["search-index.js"] = try search.script()
        } catch let error as DiagnosticsError {
            throw error
        } catch {
            throw DiagnosticsError([.error(options.theme.map(options.displayPath) ?? "theme", line: nil, "template error: \(error)")])
        }
        return files
    }
}

extension Duration {
    /// The duration in seconds as a Double.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
