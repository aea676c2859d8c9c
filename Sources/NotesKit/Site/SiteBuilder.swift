import Foundation
import Mustache

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
        let (log, title) = (log, options.title)
        let (index, math, verdicts, verification) = (prepared.index, prepared.math, prepared.verdicts, prepared.verification)
        // Every page is independent: all are rendered on every core, then gathered in a fixed order.
        // Site pages, in the order a sequential build would meet their errors:
        let sitePages: [(path: String, render: @Sendable () throws -> String)] = [
            ("index.html", { try theme.render("index", TemplateValue.wrap(IndexPageContext(
                site: site, pageTitle: title, categories: NoteOrder.categories(links)))) }),
            ("404.html", { try theme.render("404", TemplateValue.wrap(NotFoundPageContext(
                site: site, pageTitle: "Page not found · \(title)"))) }),
            ("verification.html", { try theme.render("report", TemplateValue.wrap(ReportPage.context(
                verification, site: site, title: title))) }),
        ]
        // Items 0..<3 are the site pages, last first, so that the long report does not start last; then the notes.
        let rendered = Self.concurrentMap(count: sitePages.count + notes.count, started: {
            if $0 >= sitePages.count { log("  rendering \(notes[$0 - sitePages.count].file)") }
        }) { item -> Result<(html: Data, entry: SearchIndex.Entry?), any Error> in
            guard item >= sitePages.count else {
                return Result { (Data(try sitePages[sitePages.count - 1 - item].render().utf8), nil) }
            }
            let position = item - sitePages.count
            let note = notes[position]
            let page = NotePageRenderer(note: note, index: index, math: math,
                                        verdict: verdicts[note.slug], verification: verification)
            let body = page.render()
            let context = NotePageContext(
                site: site, pageTitle: "\(note.frontMatter.title) · \(title)", note: links[position],
                wordCount: note.wordCount, bodyHTML: body.html, toc: body.toc, hasTOC: !body.toc.isEmpty,
                previous: position > 0 ? links[position - 1] : nil,
                next: position + 1 < links.count ? links[position + 1] : nil)
            return Result {
                let html = Data(try theme.render("note", TemplateValue.wrap(context)).utf8)
                let entry = SearchIndex.Entry(
                    href: note.href, id: note.frontMatter.id ?? "", title: note.frontMatter.title,
                    category: links[position].category, summary: note.frontMatter.summary ?? "",
                    headings: body.headings.map { .init(title: $0.text, anchor: $0.anchor) },
                    text: SearchIndex.plainText(of: note.document))
                return (html, entry)
            }
        }
        do {
            // Errors are reported as a sequential build would meet them: notes first, then the site pages.
            for (note, page) in zip(notes, rendered[sitePages.count...]) {
                let (html, entry) = try page.get()
                files[note.href] = html
                search.entries.append(entry!)
            }
            for (position, page) in sitePages.enumerated() {
                files[page.path] = try rendered[sitePages.count - 1 - position].get().html
            }
            // The JSON and the script are encoded separately (the script re-encodes): one per core.
            let finished = search
            let encoded = Self.concurrentMap(count: 2) { part in Result { part == 0 ? try finished.json() : try finished.script() } }
            files["search-index.json"] = try encoded[0].get()
            files["search-index.js"] = try encoded[1].get()
        } catch let error as DiagnosticsError {
            throw error
        } catch {
            throw DiagnosticsError([.error(options.theme.map(options.displayPath) ?? "theme", line: nil, "template error: \(error)")])
        }
        return files
    }

    /// `body(i)` for every `i` in `0..<count`, computed on all cores and returned in index order.
    ///
    /// Items are handed out in index order and `started(i)` is called, in that order, as item `i`
    /// is taken, so progress messages read as in a sequential loop; results do not depend on the
    /// scheduling, so the output stays deterministic.
    static func concurrentMap<T: Sendable>(count: Int, started: @escaping @Sendable (Int) -> Void = { _ in },
                                           _ body: @escaping @Sendable (Int) -> T) -> [T] {
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, count)
        guard workers > 1 else {
            return (0..<count).map { index in
                started(index)
                return body(index)
            }
        }
        let queue = WorkQueue<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = queue.take(started) {
                queue.store(body(index), at: index)
            }
        }
        return queue.results()
    }
}

/// The shared state of `SiteBuilder.concurrentMap`: the next item to hand out and one result slot per item.
private final class WorkQueue<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int
    /// Each slot is written once, by the worker that took its index; read after all workers are done.
    private let slots: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    /// The next index to compute, announced through `started` under the lock; nil when all are taken.
    func take(_ started: (Int) -> Void) -> Int? {
        lock.withLock {
            guard next < count else { return nil }
            started(next)
            next += 1
            return next - 1
        }
    }

    func store(_ value: T, at index: Int) { slots[index] = value }

    func results() -> [T] { slots.map { $0! } }
}

extension Duration {
    /// The duration in seconds as a Double.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}

/// A page context as templates see it, reflected once instead of on every lookup.
///
/// swift-mustache finds `{{name}}` in a struct by reflecting the struct (`Mirror`) on every
/// lookup, which made rendering the pages cost more than building their bodies. This reflects a
/// struct once into a table of its stored properties, recursively for struct properties and
/// arrays of structs, so that lookups find exactly what reflection would have found: the first
/// property of that name, an optional's value (nil is "not found"), anything else unchanged.
/// Printed (`{{.}}`), a wrapped struct reads as the struct itself.
struct TemplateValue: MustacheParent, CustomStringConvertible, @unchecked Sendable {
    private let fields: [String: Any]
    private let original: Any

    func child(named name: String) -> Any? { fields[name] }
    var description: String { String(describing: original) }

    /// `value` ready for a template: structs (and arrays of structs) wrapped, anything else as it is.
    static func wrap(_ value: Any) -> Any {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .struct?:
            guard !(value is MustacheParent || value is MustacheCustomRenderable || value is MustacheLambda
                    || value is MustacheTransformable) else { return value }
            var fields: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label, fields[label] == nil, let field = unwrap(child.value) else { continue }
                fields[label] = wrap(field)
            }
            return TemplateValue(fields: fields, original: value)
        case .collection?:
            // Only arrays of structs: an array of strings or numbers keeps its type (and its transforms).
            guard value is any MustacheSequence, let first = mirror.children.first,
                  Mirror(reflecting: first.value).displayStyle == .struct else { return value }
            return mirror.children.map { wrap($0.value) }
        default:
            return value
        }
    }

    /// What a reflected lookup yields for a property: an optional's value, nil when it has none.
    private static func unwrap(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }
}
