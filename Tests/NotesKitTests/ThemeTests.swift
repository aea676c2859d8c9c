import Foundation
import Testing
@testable import NotesKit

/// The built-in theme renders every page from its context, and an override folder replaces it file by file.
@Suite struct ThemeTests {
    // MARK: - Note page

    @Test func notePageShowsHeaderTOCBodyAndNavigation() throws {
        let html = try Theme(overrides: nil).render("note", ThemeFixture.note())

        #expect(html.hasPrefix("<!doctype html>\n<html lang=\"en\">"))
        #expect(html.contains("<title>Backprop &lt;b&gt;fast&lt;/b&gt; · Notes</title>"))
        #expect(html.contains("<span class=\"note-id\">AI-NN-01</span>"))
        #expect(html.contains("<span class=\"note-category\">Neural networks</span>"))
        #expect(html.contains("<h1 class=\"note-title\">Backprop &lt;b&gt;fast&lt;/b&gt;</h1>"))
        #expect(html.contains("<p class=\"lede\">Chain rule &amp; friends.</p>"))
        #expect(html.contains("14 min read"))
        #expect(html.contains("2870 words"))
        #expect(html.contains("<article class=\"note-body\">\n<h2 id=\"the-error\">The error</h2><p>Body <em>text</em></p>\n  </article>"))
        #expect(!html.contains("<b>fast</b>"))
    }

    @Test func noteTableOfContentsLinksEveryHeadingAndMarksNestedOnes() throws {
        let html = try Theme(overrides: nil).render("note", ThemeFixture.note())

        #expect(html.contains("<details class=\"toc toc-inline\">"))
        #expect(html.contains("<nav class=\"toc toc-sidebar\""))
        #expect(html.contains("<li class=\"toc-entry toc-level-2\"><a href=\"#the-error\">The error δ<sup>l</sup></a></li>"))
        #expect(html.contains("<li class=\"toc-entry toc-level-3 toc-nested\"><a href=\"#backward\">Backward</a></li>"))
    }

    @Test func notePreviousAndNextLinksShowTitles() throws {
        let html = try Theme(overrides: nil).render("note", ThemeFixture.note())

        #expect(html.contains("rel=\"prev\" href=\"perceptrons.html\""))
        #expect(html.contains("<span class=\"note-nav-title\">Perceptrons</span>"))
        #expect(html.contains("rel=\"next\" href=\"sgd.html\""))
        #expect(html.contains("<span class=\"note-nav-title\">Stochastic gradient descent</span>"))
    }

    @Test func noteWithoutNeighboursOrHeadingsOmitsThem() throws {
        var context = ThemeFixture.note()
        context.previous = nil
        context.next = nil
        context.toc = []
        context.hasTOC = false
        let html = try Theme(overrides: nil).render("note", context)

        #expect(!html.contains("rel=\"prev\""))
        #expect(!html.contains("rel=\"next\""))
        #expect(!html.contains("class=\"toc"))
        // A missing `previous` must not make the section pick up the page's own note from the enclosing context.
        #expect(!html.contains("note-nav-title"))
    }

    @Test func noteBodyIsInsertedVerbatimEvenInsidePre() throws {
        var context = ThemeFixture.note()
        context.bodyHTML = "<pre class=\"code\"><code>func f() {\n    return\n}\n</code></pre>"
        let html = try Theme(overrides: nil).render("note", context)

        #expect(html.contains("<pre class=\"code\"><code>func f() {\n    return\n}\n</code></pre>"))
    }

    @Test func everyPageLoadsStylesAndSearchScriptsWithRelativeLinks() throws {
        let theme = try Theme(overrides: nil)
        for html in [try theme.render("note", ThemeFixture.note()), try theme.render("index", ThemeFixture.index()),
                     try theme.render("404", ThemeFixture.notFound())] {
            #expect(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
            #expect(html.contains("<meta name=\"color-scheme\" content=\"light dark\">"))
            #expect(html.contains("<link rel=\"stylesheet\" href=\"assets/katex/katex.min.css\">"))
            #expect(html.contains("<link rel=\"stylesheet\" href=\"assets/notes.css\">"))
            #expect(html.contains("<script src=\"search-index.js\" defer></script>"))
            #expect(html.contains("<script src=\"assets/search.js\" defer></script>"))
            #expect(html.contains("<a class=\"site-title\" href=\"index.html\">Notes</a>"))
            #expect(html.contains("<a class=\"skip-link\" href=\"#content\">"))
            #expect(html.contains("<main id=\"content\""))
            #expect(html.components(separatedBy: "id=\"search\"").count == 2, "exactly one search box")
            #expect(html.contains("id=\"search-results\""))
            #expect(html.contains("<div class=\"search\" data-search hidden>"))
            #expect(!html.contains("http://") && !html.contains("https://"), "no external requests")
            #expect(!html.contains(#/\son[a-z]+=/#), "no inline event handlers")
        }
    }

    // MARK: - Index and 404

    @Test func indexListsCategoriesInOrderWithNoteCards() throws {
        let html = try Theme(overrides: nil).render("index", ThemeFixture.index())

        #expect(html.contains("<h1 class=\"index-title\">Notes</h1>"))
        #expect(html.contains("<p class=\"index-stats\">3 notes · 42 equations</p>"))
        let background = try #require(html.range(of: "<h2 id=\"background\" class=\"category-title\">Background</h2>"))
        let networks = try #require(html.range(of: "<h2 id=\"neural-networks\" class=\"category-title\">Neural networks</h2>"))
        #expect(background.lowerBound < networks.lowerBound)
        #expect(html.contains("<h3 class=\"note-card-title\"><a href=\"backprop.html\">Backprop &lt;b&gt;fast&lt;/b&gt;</a></h3>"))
        #expect(html.contains("<p class=\"note-card-id\">AI-NN-01</p>"))
        #expect(html.contains("<p class=\"note-card-summary\">Chain rule &amp; friends.</p>"))
        #expect(html.contains("<p class=\"note-card-meta\">14 min read</p>"))
    }

    @Test func countsUseSingularForOne() throws {
        var context = ThemeFixture.index()
        context.site.noteCount = 1
        context.site.equationCount = 1
        let html = try Theme(overrides: nil).render("index", context)

        #expect(html.contains("<p class=\"index-stats\">1 note · 1 equation</p>"))
    }

    @Test func notFoundPageLinksHomeAndOffersSearchInItsBody() throws {
        let html = try Theme(overrides: nil).render("404", ThemeFixture.notFound())

        #expect(html.contains("<h1>Page not found</h1>"))
        #expect(html.contains("<a href=\"index.html\">all notes</a>"))
        let main = try #require(html.range(of: "<main"))
        let search = try #require(html.range(of: "id=\"search\""))
        #expect(main.lowerBound < search.lowerBound, "the search box is in the page body, not the header")
    }

    // MARK: - Assets

    @Test func builtInAssetsAreTheStylesheetScriptAndIcon() throws {
        let assets = try Theme(overrides: nil).assets()

        #expect(assets.map(\.path) == ["favicon.svg", "live.js", "notes.css", "search.js"])
        for asset in assets {
            #expect(FileManager.default.fileExists(atPath: asset.source.path))
        }
    }

    // MARK: - Overrides

    @Test func overrideFolderReplacesTemplatesAndAssetsAndAddsExtras() throws {
        let folder = try OverrideFolder([
            "templates/note.mustache": "{{<base}}{{$main}}<p class=\"custom\">{{note.title}}</p>{{/main}}{{/base}}",
            "assets/notes.css": "body { color: red }",
            "assets/fonts/extra.woff2": "not really a font",
            "assets/.DS_Store": "ignored",
        ])
        defer { folder.remove() }
        let theme = try Theme(overrides: folder.url)

        let note = try theme.render("note", ThemeFixture.note())
        #expect(note.contains("<p class=\"custom\">Backprop &lt;b&gt;fast&lt;/b&gt;</p>"))
        #expect(note.contains("<link rel=\"stylesheet\" href=\"assets/notes.css\">"), "still built on the built-in base")
        #expect(try theme.render("index", ThemeFixture.index()).contains("note-cards"), "other templates stay built-in")

        let assets = Dictionary(uniqueKeysWithValues: try theme.assets().map { ($0.path, $0.source) })
        #expect(assets.keys.sorted() == ["favicon.svg", "fonts/extra.woff2", "live.js", "notes.css", "search.js"])
        #expect(try String(contentsOf: try #require(assets["notes.css"]), encoding: .utf8) == "body { color: red }")
        #expect(assets["fonts/extra.woff2"]?.standardizedFileURL == folder.url.appending(path: "assets/fonts/extra.woff2").standardizedFileURL)
        #expect(assets["search.js"]?.path.contains("Resources/Theme/assets") == true)
    }

    @Test func missingOverrideFolderIsAnErrorNamingIt() throws {
        let missing = FileManager.default.temporaryDirectory.appending(path: "no-such-theme-\(UUID().uuidString)")
        let error = #expect(throws: Theme.Error.self) { try Theme(overrides: missing) }
        #expect(error?.description == "Theme override folder not found: \(missing.path)")
    }

    @Test func brokenOverrideTemplateIsAnErrorNamingTheFileAndLine() throws {
        let folder = try OverrideFolder(["templates/index.mustache": "<h1>{{site.title}}</h1>\n{{#categories}}\n<p>{{name}}</p>\n"])
        defer { folder.remove() }
        let error = #expect(throws: Theme.Error.self) { try Theme(overrides: folder.url) }
        let message = error?.description ?? ""
        #expect(message.contains(folder.url.appending(path: "templates/index.mustache").path))
        #expect(message.contains("template syntax error: a section is never closed"))
    }

    @Test func mismatchedClosingTagPointsAtItsLine() throws {
        let folder = try OverrideFolder(["templates/404.mustache": "<p>\n{{#site}}\n{{/sight}}\n</p>"])
        defer { folder.remove() }
        let error = #expect(throws: Theme.Error.self) { try Theme(overrides: folder.url) }
        #expect(error?.description.contains("templates/404.mustache:3:") == true)
        #expect(error?.description.contains("{{/sight}}") == true)
    }

    @Test func unknownTemplateNameIsAnError() throws {
        let error = #expect(throws: Theme.Error.self) { try Theme(overrides: nil).render("nope", ThemeFixture.notFound()) }
        #expect(error?.description.hasPrefix("No theme template named 'nope'") == true)
    }
}

// MARK: - Fixtures

/// Page contexts with text that needs escaping (`<b>`, `&`).
private enum ThemeFixture {
    static let site = SiteInfo(title: "Notes", noteCount: 3, equationCount: 42, labelledEquationCount: 7)

    static let backprop = NoteLink(
        href: "backprop.html", id: "AI-NN-01", title: "Backprop <b>fast</b>", category: "Neural networks",
        summary: "Chain rule & friends.", readingMinutes: 14)
    static let perceptrons = NoteLink(
        href: "perceptrons.html", id: "AI-NN-00", title: "Perceptrons", category: "Neural networks",
        summary: "Step functions.", readingMinutes: 5)
    static let sgd = NoteLink(
        href: "sgd.html", id: "AI-NN-02", title: "Stochastic gradient descent", category: "Neural networks",
        summary: "Mini-batches.", readingMinutes: 9)

    static func note() -> NotePageContext {
        NotePageContext(
            site: SiteReads(site), pageTitle: "Backprop <b>fast</b> · Notes", note: backprop, wordCount: 2870,
            bodyHTML: "<h2 id=\"the-error\">The error</h2><p>Body <em>text</em></p>",
            toc: [
                TOCEntry(level: 2, isNested: false, anchor: "the-error", titleHTML: "The error δ<sup>l</sup>"),
                TOCEntry(level: 3, isNested: true, anchor: "backward", titleHTML: "Backward"),
            ],
            hasTOC: true, previous: perceptrons, next: sgd)
    }

    static func index() -> IndexPageContext {
        let chain = NoteLink(href: "chain.html", id: "MATH-01", title: "Chain rule", category: "Background",
                             summary: "Jacobians.", readingMinutes: 4)
        return IndexPageContext(site: site, pageTitle: "Notes", categories: [
            CategoryGroup(name: "Background", anchor: "background", notes: [chain]),
            CategoryGroup(name: "Neural networks", anchor: "neural-networks", notes: [perceptrons, backprop, sgd]),
        ])
    }

    static func notFound() -> NotFoundPageContext {
        NotFoundPageContext(site: site, pageTitle: "Page not found · Notes")
    }
}

/// A folder of files under the temporary directory, for override themes.
private struct OverrideFolder {
    let url: URL

    /// Creates the folder with the given files (relative path → contents).
    init(_ files: [String: String]) throws {
        url = FileManager.default.temporaryDirectory.appending(path: "notes-theme-\(UUID().uuidString)")
        for (path, contents) in files {
            let file = url.appending(path: path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: file, atomically: true, encoding: .utf8)
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
