import Foundation

/// Builds the whole site: load every note, render math and pages, and publish atomically.
///
/// Stages follow the house plan: load (`NoteLoader`) → cross-reference (`EquationIndex`) →
/// typeset math once for all notes (`MathRenderer`) → render pages (`NotePageRenderer`, `Theme`)
/// → publish (`SitePublisher`). Any error stops the build before `site/` is touched.
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
        var warnings: [Diagnostic] = []
        let publisher = SitePublisher(output: options.output)
        try publisher.checkOutputIsReplaceable()

        let notes = try loadNotes(warnings: &warnings)
        let index = try EquationIndex(notes: notes)
        let loaded = clock.now
        let theme: Theme
        do {
            theme = try Theme(overrides: options.theme)
        } catch {
            throw DiagnosticsError([.error(options.theme.map(options.displayPath) ?? "theme", line: nil, "\(error)")])
        }
        let mathStarted = clock.now
        let (math, mathCached) = try typesetMath(notes, warnings: &warnings)
        let typeset = clock.now
        let pages = try renderPages(notes: notes, index: index, math: math, theme: theme)
        let rendered = clock.now

        var copies: [(path: String, source: URL)] = []
        do {
            copies += try theme.assets().map { ("assets/" + $0.path, $0.source) }
            copies += try katexAssets()
        } catch {
            throw DiagnosticsError([.error("theme", line: nil, "cannot list assets: \(error)")])
        }
        do {
            try publisher.publish(files: pages.files, copies: copies)
        } catch let error as DiagnosticsError {
            throw error
        } catch {
            throw DiagnosticsError([.error(options.displayPath(options.output), line: nil, "cannot write the site: \(error)")])
        }
        let finished = clock.now
        return BuildSummary(pages: pages.files.keys.filter { $0.hasSuffix(".html") }.count, notes: notes.count,
                            equations: notes.reduce(0) { $0 + $1.equations.count }, mathSpans: math.count, mathCached: mathCached,
                            seconds: (finished - started).seconds, warnings: warnings,
                            loadSeconds: (loaded - started).seconds, mathSeconds: (typeset - mathStarted).seconds,
                            renderSeconds: (rendered - typeset).seconds, publishSeconds: (finished - rendered).seconds)
    }

    // MARK: - Load

    private func loadNotes(warnings: inout [Diagnostic]) throws(DiagnosticsError) -> [Note] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: options.notes.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DiagnosticsError([.error(options.displayPath(options.notes), line: nil,
                                           "cannot read the notes folder: no such folder (use --notes DIR)")])
        }
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: options.notes, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "md" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw DiagnosticsError([.error(options.displayPath(options.notes), line: nil,
                                           "cannot read the notes folder: \(error.localizedDescription)")])
        }
        if files.isEmpty {
            throw DiagnosticsError([.error(options.displayPath(options.notes), line: nil, "no .md notes in this folder")])
        }
        var notes: [Note] = []
        var errors: [Diagnostic] = []
        for url in files {
            let file = options.displayPath(url)
            log("  reading \(file)")
            do {
                notes.append(try NoteLoader.load(url, file: file, warnings: &warnings))
            } catch {
                errors += error.diagnostics
            }
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        return NoteOrder.sorted(notes)
    }

    // MARK: - Math

    /// Every math span of every note typeset in one batch: (TeX as sent, display) → HTML.
    private func typesetMath(_ notes: [Note], warnings: inout [Diagnostic]) throws(DiagnosticsError) -> ([MathRequest: String], Int) {
        var requests: [MathRequest] = []
        var seen: Set<MathRequest> = []
        var origins: [MathRequest: (file: String, line: Int)] = [:]
        for note in notes {
            let numbers = EquationNumbers(note)
            note.document.walk { node in
                guard case .math(let math) = node.kind else { return }
                let request = numbers.request(for: math)
                if seen.insert(request).inserted {
                    requests.append(request)
                    origins[request] = (note.file, node.range?.start.line ?? 1)
                }
            }
        }
        log("  typesetting \(requests.count) formulas")
        let outcomes: [MathOutcome]
        var cached: CachedMathRenderer?
        do {
            if let folder = options.cache {
                var cacheWarnings: [String] = []
                let cache = MathCache(file: folder.appendingPathComponent("math.cache"), fingerprint: KaTeXRenderer.fingerprint,
                                      warning: { cacheWarnings.append($0) })
                warnings += cacheWarnings.map { .warning(options.displayPath(folder), line: nil, $0) }
                cached = CachedMathRenderer(cache: cache, makeRenderer: makeMathRenderer)
                outcomes = try cached!.render(requests)
            } else {
                outcomes = try makeMathRenderer().render(requests)
            }
        } catch {
            throw DiagnosticsError([.error("math", line: nil, "\(error)")])
        }
        var rendered: [MathRequest: String] = [:]
        var errors: [Diagnostic] = []
        for (request, outcome) in zip(requests, outcomes) {
            switch outcome {
            case .rendered(let html):
                rendered[request] = html
            case .failed(let message):
                let origin = origins[request] ?? ("?", 1)
                errors.append(.error(origin.file, line: origin.line, "TeX error: \(message)"))
            }
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        if let cached, let folder = options.cache {
            do {
                try cached.save()
            } catch {
                warnings.append(.warning(options.displayPath(folder), line: nil, "cannot write the math cache: \(error.localizedDescription)"))
            }
        }
        return (rendered, cached?.hits ?? 0)
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

    private func renderPages(notes: [Note], index: EquationIndex, math: [MathRequest: String],
                             theme: Theme) throws(DiagnosticsError) -> (files: [String: Data], Void) {
        var files: [String: Data] = [:]
        var search = SearchIndex()
        let site = SiteInfo(title: options.title, noteCount: notes.count,
                            equationCount: notes.reduce(0) { $0 + $1.equations.count },
                            labelledEquationCount: notes.reduce(0) { $0 + $1.equations.filter { $0.label != nil }.count })
        let links = notes.map(NoteOrder.link)
        do {
            for (position, note) in notes.enumerated() {
                log("  rendering \(note.file)")
                let page = NotePageRenderer(note: note, index: index, math: math)
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
            files["search-index.json"] = try search.json()
            files["search-index.js"] = try search.script()
        } catch let error as DiagnosticsError {
            throw error
        } catch {
            throw DiagnosticsError([.error(options.theme.map(options.displayPath) ?? "theme", line: nil, "template error: \(error)")])
        }
        return (files, ())
    }
}

extension Duration {
    /// The duration in seconds as a Double.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
