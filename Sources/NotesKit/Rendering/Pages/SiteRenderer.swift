import Foundation

/// The render stage: every page of the site, the search index, from what the earlier stages found.
///
/// A note page is rendered only when something it is made of changed since the page the last
/// build published (`plan`, `PageCache`); otherwise the previous site's file is kept. The site
/// pages (index, 404, verification report) and the search index are made on every build.
struct SiteRenderer {
    var course: Course
    let theme: Theme
    /// The site's title, shown in the header and in page titles.
    let title: String
    /// Where template errors are reported: the theme folder as the user named it, or `theme`.
    let themeName: String
    let log: @Sendable (String) -> Void

    /// Everything a page shows that is not in its note: the stages before rendering, as values.
    struct Course: Sendable {
        var notes: [Note]
        var index: EquationIndex
        var math: [MathRequest: String]
        var verdicts: [String: NotebookVerdict]
        var verification: EquationVerification
        /// What becomes of raw HTML in notes (`course.yml`).
        var rawHTML: RawHTMLPolicy = .sanitized
    }

    /// Which note pages a build renders and which it keeps from the previous site.
    struct Plan: Sendable {
        /// Each note's inputs (`inputs(_:)`), in course order.
        var inputs: [String]
        /// The cache entries of the notes whose pages are kept, by position in the course.
        var kept: [Int: PageCache.Entry]
        /// The site pages (index, 404, report): each one's contents as text, and whether it is kept.
        var sitePages: [SitePage]

        /// The notes whose pages are rendered, in course order.
        func rendered(_ notes: [Note]) -> [Note] { notes.indices.filter { kept[$0] == nil }.map { notes[$0] } }
    }

    /// A site page: its path, its template's context, and that context as text (its inputs).
    struct SitePage: Sendable {
        var path: String
        var template: String
        var context: @Sendable () -> Any
        var inputs: String
        var kept = false
    }

    /// The index, 404 and verification report with their contexts.
    private func sitePages() -> [SitePage] {
        let (site, title, theme) = (self.site, self.title, theme.fingerprint)
        let links = course.notes.map(NoteLink.init)
        let report = ReportPage.context(course.verification, site: site, title: title)
        let head = ["site page", "theme " + theme, "site " + site.cacheText]
        return [
            SitePage(path: "index.html", template: "index", context: {
                IndexPageContext(site: site, pageTitle: title, categories: CategoryGroup.groups(links))
            }, inputs: (head + links.map(\.cacheText)).joined(separator: "\n")),
            SitePage(path: "404.html", template: "404", context: {
                NotFoundPageContext(site: site, pageTitle: "Page not found · \(title)")
            }, inputs: head.joined(separator: "\n")),
            SitePage(path: "verification.html", template: "report", context: { report },
                     inputs: (head + report.rows.map(\.cacheText)).joined(separator: "\n")),
        ]
    }

    /// What rendering made.
    struct Rendered: Sendable {
        /// The generated files by path: pages rendered now, the site pages and `search-index.js`.
        var files: [String: Data]
        /// Note pages kept as the previous site has them, by path.
        var kept: [String]
        /// An entry for every note page, without file identities (known once published).
        var pages: PageCache
    }

    /// Facts about the whole site that every page shows.
    var site: SiteInfo {
        SiteInfo(title: title, noteCount: course.notes.count,
                 equationCount: course.notes.reduce(0) { $0 + $1.equations.count },
                 labelledEquationCount: course.verification.entries.count,
                 verifiedCount: course.verification.verifiedCount)
    }

    /// Everything note `position`'s page is made of besides what it reads of other notes and of
    /// the site's facts (`CourseReads`, `SiteReads`), as text.
    private func inputs(_ position: Int, links: [NoteLink], typesetter: String) -> String {
        let note = course.notes[position]
        let neighbours = [position - 1, position, position + 1].map { links.indices.contains($0) ? links[$0].cacheText : "-" }
        return ["note page", "theme " + theme.fingerprint, "typesetter " + typesetter,
                "raw-html " + course.rawHTML.rawValue, "page " + note.href, "source " + note.sourceDigest,
                "result " + (course.verdicts[note.slug]?.resultDigest ?? "-"), "links " + neighbours.joined(separator: "\u{2}")]
            .joined(separator: "\n")
    }

    /// The note pages that can be kept: those whose entry in `previous` matches today's inputs and
    /// answers, and whose file in the previous site (`folder`) is the one published.
    func plan(previous: PageCache, site folder: URL) -> Plan {
        let (site, links) = (self.site, course.notes.map(NoteLink.init))
        let typesetter = KaTeXRenderer.fingerprint
        let renderer = self
        // One answerer for every page: its answers are the same for all (and wrapping the site's
        // facts for each of a thousand pages costs more than the rest of the plan).
        let siteReads = SiteReads(site)
        let folderPath = folder.path + "/"
        let decided = Parallel.map(course.notes.count) { position -> (inputs: String, kept: PageCache.Entry?) in
            let note = renderer.course.notes[position]
            let inputs = renderer.inputs(position, links: links, typesetter: typesetter)
            guard let entry = previous.entries[note.href], let file = entry.file,
                  FileIdentity(path: folderPath + note.href) == file else { return (inputs, nil) }
            let reads = CourseReads(index: renderer.course.index, verification: renderer.course.verification, slug: note.slug)
            let answers = entry.reads.map { ($0, $0.hasPrefix("site ") ? siteReads.answer($0) : reads.answer($0)) }
            return (inputs, PageCache.digest(inputs: inputs, answers: answers) == entry.digest ? entry : nil)
        }
        var kept: [Int: PageCache.Entry] = [:]
        for (position, decision) in decided.enumerated() where decision.kept != nil { kept[position] = decision.kept }
        var pages = sitePages()
        for index in pages.indices {
            let path = pages[index].path
            pages[index].kept = previous.entries[path].map {
                $0.digest == PageCache.digest(inputs: pages[index].inputs, answers: [])
                    && $0.file != nil && FileIdentity(path: folderPath + path) == $0.file
            } ?? false
        }
        return Plan(inputs: decided.map(\.inputs), kept: kept, sitePages: pages)
    }

    /// Renders the site pages and the note pages `plan` does not keep.
    ///
    /// Every page is independent: all are rendered on every core, then gathered in a fixed
    /// order. Errors are reported as a sequential build would meet them: notes first, then the
    /// site pages.
    func render(_ plan: Plan) throws(DiagnosticsError) -> Rendered {
        let (course, theme, title, log, site) = (course, theme, title, log, site)
        let notes = course.notes
        let links = notes.map(NoteLink.init)
        let sitePages = plan.sitePages.filter { !$0.kept }
        let rendering = notes.indices.filter { plan.kept[$0] == nil }
        // Items 0..<3 are the site pages, last first, so that the long report does not start last; then the notes.
        let rendered = Parallel.map(sitePages.count + rendering.count, started: {
            if $0 >= sitePages.count { log("  rendering \(notes[rendering[$0 - sitePages.count]].file)") }
        }) { item -> Result<NotePage?, any Error> in
            guard item >= sitePages.count else {
                let page = sitePages[sitePages.count - 1 - item]
                return Result { NotePage(html: Data(try theme.render(page.template, TemplateValue.wrap(page.context())).utf8)) }
            }
            let position = rendering[item - sitePages.count]
            return Result { try Self.notePage(position, of: course, links: links, site: site, theme: theme, title: title,
                                              inputs: plan.inputs[position]) }
        }
        var files: [String: Data] = [:]
        var pages = PageCache()
        var kept: [String] = []
        var search = SearchIndex()
        do {
            var pending = rendered[sitePages.count...].makeIterator()
            for (position, note) in notes.enumerated() {
                if let entry = plan.kept[position] {
                    kept.append(note.href)
                    pages.entries[note.href] = PageCache.Entry(digest: entry.digest, reads: entry.reads, search: entry.search)
                    search.entries.append(entry.search)
                } else {
                    let page = try pending.next()!.get()!
                    files[note.href] = page.html
                    pages.entries[note.href] = page.entry
                    search.entries.append(page.entry!.search)
                }
            }
            for (position, page) in sitePages.enumerated() {
                files[page.path] = try rendered[sitePages.count - 1 - position].get()!.html
            }
            for page in plan.sitePages {
                if page.kept { kept.append(page.path) }
                pages.entries[page.path] = PageCache.Entry(digest: PageCache.digest(inputs: page.inputs, answers: []), reads: [], search: "")
            }
            files["search-index.js"] = search.script()
        } catch let error as DiagnosticsError {
            throw error
        } catch {
            throw DiagnosticsError([.error(themeName, line: nil, "template error: \(error)")])
        }
        return Rendered(files: files, kept: kept, pages: pages)
    }

    /// A rendered page, and for a note page its cache entry.
    private struct NotePage: Sendable {
        var html: Data
        var entry: PageCache.Entry?
    }

    /// Note `position`'s page and its cache entry (search entry included).
    private static func notePage(_ position: Int, of course: Course, links: [NoteLink], site: SiteInfo, theme: Theme,
                                 title: String, inputs: String) throws -> NotePage {
        let note = course.notes[position]
        let body = NotePageRenderer(note: note, index: course.index, math: course.math,
                                    verdict: course.verdicts[note.slug], verification: course.verification,
                                    rawHTML: course.rawHTML).render()
        if let lost = body.unplaced.first {
            throw DiagnosticsError([.error(note.file, line: note.notebook.line(of: lost),
                                           "internal error: this cell or inline value has no place on the page")])
        }
        let siteReads = SiteReads(site)
        let context = NotePageContext(
            site: siteReads, pageTitle: "\(note.frontMatter.title) · \(title)", note: links[position],
            wordCount: note.wordCount, bodyHTML: body.html, toc: body.toc, hasTOC: !body.toc.isEmpty,
            previous: position > 0 ? links[position - 1] : nil,
            next: position + 1 < links.count ? links[position + 1] : nil,
            liveModule: course.verdicts[note.slug]?.liveModule?.base64EncodedString())
        let html = Data(try theme.render("note", TemplateValue.wrap(context)).utf8)
        let search = try SearchIndex.encode(SearchIndex.Entry(
            href: note.href, id: note.frontMatter.id ?? "", title: note.frontMatter.title,
            category: links[position].category, summary: note.frontMatter.summary ?? "",
            headings: body.headings.map { .init(title: $0.text, anchor: $0.anchor) },
            text: SearchIndex.plainText(of: note.document)))
        let reads = body.reads.merging(siteReads.answers) { first, _ in first }
        let answers = reads.map { (question: $0.key, answer: $0.value) }
        return NotePage(html: html, entry: PageCache.Entry(digest: PageCache.digest(inputs: inputs, answers: answers),
                                                           reads: reads.keys.sorted(), search: search))
    }
}
