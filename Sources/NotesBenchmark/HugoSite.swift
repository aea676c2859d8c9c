import Foundation

/// The reference: a minimal Hugo site (no theme) over the same Markdown files, math left as text.
///
/// It produces what `notes build` produces: one page per note (title, meta, table of contents,
/// body, previous/next links), an index grouped by category, a 404 page and a JSON search index
/// (title, summary, plain text). Kinds `notes` does not produce are disabled: taxonomy and term
/// pages, RSS and the sitemap (robots.txt is off by default). URLs are "ugly" (`note-0001.html`),
/// as ours are. Goldmark renders raw HTML (`unsafe`), and Chroma highlights code fences (Hugo's
/// default), as notes highlights Swift. `config-no-highlight.toml` is the same site with code
/// fences left unhighlighted, a stricter reference (Chroma's Swift lexer is half of Hugo's time).
enum HugoSite {
    static let disabledKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]

    static let config = """
        baseURL = "https://example.org/"
        title = "Benchmark Course"
        languageCode = "en"
        uglyURLs = true
        disableKinds = [\(disabledKinds.map { "\"\($0)\"" }.joined(separator: ", "))]

        [outputs]
          home = ["HTML", "JSON"]
          page = ["HTML"]

        [markup.goldmark.renderer]
          unsafe = true

        [markup.tableOfContents]
          startLevel = 2
          endLevel = 3

        """

    static let layouts: [String: String] = [
        "layouts/_default/baseof.html": """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{ block "title" . }}{{ .Title }} · {{ .Site.Title }}{{ end }}</title>
            <link rel="stylesheet" href="assets/notes.css">
            <script src="index.json" defer></script>
            </head>
            <body>
            <header><a href="index.html">{{ .Site.Title }}</a></header>
            <main>{{ block "main" . }}{{ end }}</main>
            <footer>{{ .Site.Title }} · {{ len .Site.RegularPages }} notes</footer>
            </body>
            </html>

            """,
        "layouts/_default/single.html": """
            {{ define "main" }}
            <header>
              <p>{{ .Params.id }} · {{ .Params.category }}</p>
              <h1>{{ .Title }}</h1>
              <p>{{ .Params.summary }}</p>
              <p>{{ .ReadingTime }} min read · {{ .WordCount }} words</p>
            </header>
            <nav class="toc">{{ .TableOfContents }}</nav>
            <article>
            {{ .Content }}
            </article>
            <nav>
              {{ with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
              {{ with .NextInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
            </nav>
            {{ end }}

            """,
        "layouts/_default/list.html": """
            {{ define "main" }}
            <h1>{{ .Title }}</h1>
            <ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
            {{ end }}

            """,
        "layouts/index.html": """
            {{ define "title" }}{{ .Site.Title }}{{ end }}
            {{ define "main" }}
            {{ range .Site.RegularPages.GroupByParam "category" }}
            <section>
              <h2>{{ .Key }}</h2>
              <ul>
              {{ range .Pages.ByParam "order" }}
                <li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span>{{ .Params.id }}</span> {{ .Params.summary }} ({{ .ReadingTime }} min)</li>
              {{ end }}
              </ul>
            </section>
            {{ end }}
            {{ end }}

            """,
        "layouts/index.json": """
            [{{ range $i, $p := .Site.RegularPages }}{{ if $i }},{{ end }}{{ dict "href" $p.RelPermalink "id" $p.Params.id "title" $p.Title "category" $p.Params.category "summary" $p.Params.summary "text" $p.Plain | jsonify }}{{ end }}]

            """,
        "layouts/404.html": """
            {{ define "title" }}Page not found · {{ .Site.Title }}{{ end }}
            {{ define "main" }}<h1>Page not found</h1><p><a href="index.html">Back to the index</a></p>{{ end }}

            """,
    ]

    /// The same configuration with highlighting of code fences turned off.
    static let configWithoutHighlighting = config + """

        [markup.highlight]
          codeFences = false

        """

    /// Writes the site skeleton under `root`; notes go to `root/content`.
    static func write(to root: URL) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: root.appendingPathComponent("content"), withIntermediateDirectories: true)
        try Data(config.utf8).write(to: root.appendingPathComponent("config.toml"))
        try Data(configWithoutHighlighting.utf8).write(to: root.appendingPathComponent("config-no-highlight.toml"))
        for (path, text) in layouts {
            let url = root.appendingPathComponent(path)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }
}
