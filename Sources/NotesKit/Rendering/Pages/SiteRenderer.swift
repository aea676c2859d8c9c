import Foundation

/// The render stage: every page of the site, the search index, from what the earlier stages found.
struct SiteRenderer {
    let course: Course
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

    /// The site's generated files by path: the pages, then `search-index.json` and `.js`.
    ///
    /// Every page is independent: all are rendered on every core, then gathered in a fixed
    /// order. Errors are reported as a sequential build would meet them: notes first, then the
    /// site pages.
    func render() throws(DiagnosticsError) -> [String: Data] {
        let (course, theme, title, log) = (course, theme, title, log)
        let notes = course.notes
        let site = SiteInfo(title: title, noteCount: notes.count,
                            equationCount: notes.reduce(0) { $0 + $1.equations.count },
                            labelledEquationCount: course.verification.entries.count,
                            verifiedCount: course.verification.verifiedCount)
        let links = notes.map(NoteLink.init)
        let sitePages: [(path: String, render: @Sendable () throws -> String)] = [
            ("index.html", { try theme.render("index", TemplateValue.wrap(IndexPageContext(
                site: site, pageTitle: title, categories: CategoryGroup.groups(links)))) }),
            ("404.html", { try theme.render("404", TemplateValue.wrap(NotFoundPageContext(
                site: site, pageTitle: "Page not found · \(title)"))) }),
            ("verification.html", { try theme.render("report", TemplateValue.wrap(ReportPage.context(
                course.verification, site: site, title: title))) }),
        ]
        // Items 0..<3 are the site pages, last first, so that the long report does not start last; then the notes.
        let rendered = Parallel.map(sitePages.count + notes.count, started: {
            if $0 >= sitePages.count { log("  rendering \(notes[$0 - sitePages.count].file)") }
        }) { item -> Result<(html: Data, entry: SearchIndex.Entry?), any Error> in
            guard item >= sitePages.count else {
                return Result { (Data(try sitePages[sitePages.count - 1 - item].render().utf8), nil) }
            }
            let position = item - sitePages.count
            return Result { try Self.notePage(position, of: course, links: links, site: site, theme: theme, title: title) }
        }
        var files: [String: Data] = [:]
        var search = SearchIndex()
        do {
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
            let encoded = try Parallel.tryMap(2) { part in part == 0 ? try finished.json() : try finished.script() }
            files["search-index.json"] = encoded[0]
            files["search-index.js"] = encoded[1]
        } catch let error as DiagnosticsError {
            throw error
        } catch {
            throw DiagnosticsError([.error(themeName, line: nil, "template error: \(error)")])
        }
        return files
    }

    /// Note `position`'s page and its search entry.
    private static func notePage(_ position: Int, of course: Course, links: [NoteLink], site: SiteInfo, theme: Theme,
                                 title: String) throws -> (html: Data, entry: SearchIndex.Entry?) {
        let note = course.notes[position]
        let body = NotePageRenderer(note: note, index: course.index, math: course.math,
                                    verdict: course.verdicts[note.slug], verification: course.verification,
                                    rawHTML: course.rawHTML).render()
        if let lost = body.unplaced.first {
            throw DiagnosticsError([.error(note.file, line: note.notebook.line(of: lost),
                                           "internal error: this cell or inline value has no place on the page")])
        }
        let context = NotePageContext(
            site: site, pageTitle: "\(note.frontMatter.title) · \(title)", note: links[position],
            wordCount: note.wordCount, bodyHTML: body.html, toc: body.toc, hasTOC: !body.toc.isEmpty,
            previous: position > 0 ? links[position - 1] : nil,
            next: position + 1 < links.count ? links[position + 1] : nil,
            liveModule: course.verdicts[note.slug]?.liveModule?.base64EncodedString())
        let html = Data(try theme.render("note", TemplateValue.wrap(context)).utf8)
        let entry = SearchIndex.Entry(
            href: note.href, id: note.frontMatter.id ?? "", title: note.frontMatter.title,
            category: links[position].category, summary: note.frontMatter.summary ?? "",
            headings: body.headings.map { .init(title: $0.text, anchor: $0.anchor) },
            text: SearchIndex.plainText(of: note.document))
        return (html, entry)
    }
}
