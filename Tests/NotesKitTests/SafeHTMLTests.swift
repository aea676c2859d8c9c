import Foundation
import Testing
@testable import NotesKit

/// No note text reaches a page as live script (issue 10): raw HTML is sanitised as on GitHub,
/// unsafe link addresses are dropped, a course may opt out only explicitly, and a poisoned math
/// cache is not trusted.
@Suite struct SafeHTMLTests {
    static func page(_ body: String) throws -> (html: String, warnings: [String]) {
        var warnings: [Diagnostic] = []
        let note = try NoteLoader.parse("---\ntitle: T\n---\n\n" + body, file: "notes/t.md", slug: "t", warnings: &warnings)
        return (HTMLRenderer.render(note.document).html, warnings.map(\.description))
    }

    @Test func rawHTMLIsSanitisedAndUnsafeAddressesAreDroppedWithWarningsAtTheirLines() throws {
        let (html, warnings) = try Self.page("""
            <img src=x onerror=alert(1)>

            <svg onload=alert(1)><circle/></svg>

            Click [here](javascript:alert(1)) or ![pic](javascript:alert(2)) or [safe](https://example.org/a?b=1).

            <details><summary>More</summary>

            *Hidden* text with <kbd>Ctrl</kbd> and <a href="jav&#x61;script:alert(3)">a link</a>.

            </details>

            <script>alert(4)</script>
            """)
        for forbidden in ["onerror", "onload", "javascript", "<script", "alert(4)", "<svg"] {
            #expect(!html.lowercased().contains(forbidden), "\(forbidden) reached the page:\n\(html)")
        }
        for kept in ["<img src=\"x\">", "<details>", "<summary>More</summary>", "<kbd>Ctrl</kbd>", "<a href=\"https://example.org/a?b=1\">safe</a>",
                     "<a>here</a>", "<img alt=\"pic\" />"] {
            #expect(html.contains(kept), "\(kept) is missing:\n\(html)")
        }
        #expect(warnings.contains("notes/t.md:5: warning: raw HTML: the onerror attribute of <img> is removed from the page (HTML in notes is sanitised as on GitHub)"), "\(warnings)")
        #expect(warnings.contains("notes/t.md:9: warning: the link address 'javascript:alert(1)' is removed from the page: 'javascript:' is not a safe scheme (use http, https, mailto or a relative address)"), "\(warnings)")
        #expect(warnings.contains { $0.hasPrefix("notes/t.md:9: warning: the image address 'javascript:alert(2)'") })
        #expect(warnings.contains { $0.hasPrefix("notes/t.md:17: warning: raw HTML: the <script> element") }, "\(warnings)")
        #expect(!warnings.contains { $0.contains("https://example.org") })
    }

    @Test func rawHTMLCannotCloseOrStraddleThePagesOwnElements() throws {
        let (html, _) = try Self.page("""
            Text </div></div></div> and <a href="https://example.org/x">an unclosed link

            Next paragraph.

            <details open>
            <summary>More</summary>

            Inside, *in Markdown*.

            </details>

            > <div>quoted, never closed
            >
            > still quoted
            """)
        #expect(!html.contains("</div></div>"), "end tags that close nothing reached the page:\n\(html)")
        #expect(try Self.page("<img src=\"a.png\" name=\"querySelectorAll\">").html == "<img src=\"a.png\">\n", "name= clobbers the page's script")
        #expect(html.contains("<p>Text  and <a href=\"https://example.org/x\">an unclosed link</a></p>"), "\(html)")
        #expect(html.contains("<p>Next paragraph.</p>"))
        #expect(html.contains("<details open=\"\">\n<summary>More</summary>\n<p>Inside, <em>in Markdown</em>.</p>\n</details>"), "\(html)")
        #expect(html.contains("<div>quoted, never closed\n<p>still quoted</p>\n</div>\n</blockquote>"), "\(html)")
    }

    @Test func aCourseMayTrustRawHTMLOnlyExplicitlyAndIsWarned() throws {
        let folder = try ExecutionTests.scratchNotes([
            "a.md": "---\ntitle: A\n---\n\n<img src=x onerror=alert(1)>\n",
            "course.yml": "raw-html: trusted\n",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let loader = NoteLoader(folder: folder, paths: PathDisplay(workingDirectory: folder), log: { _ in })
        let loaded = try loader.load()
        #expect(loaded.settings.rawHTML == .trusted)
        #expect(loaded.warnings.map(\.description) == [
            "course.yml:1: warning: raw-html: trusted: raw HTML and link addresses in notes reach the pages as written (only GFM's tag filter applies), so a note can put script, event handlers and forms on them; keep this only if you trust every note's author",
        ])
        let html = HTMLRenderer.render(loaded.notes[0].document, rawHTML: loaded.settings.rawHTML).html
        #expect(html.contains("onerror=alert(1)"))

        try "raw-html: yes\ncolour: blue\n".write(to: folder.appendingPathComponent("course.yml"), atomically: true, encoding: .utf8)
        let error = #expect(throws: DiagnosticsError.self) { try loader.load() }
        #expect(error?.diagnostics.map(\.description) == [
            "course.yml:1: error: raw-html must be 'sanitized' (the default) or 'trusted', not 'yes'",
            "course.yml:2: error: unknown setting 'colour' (known: raw-html)",
        ])
    }

    /// A typesetter that answers every formula with the same harmless HTML.
    struct FixedRenderer: MathRenderer {
        func render(_ requests: [MathRequest]) throws -> [MathOutcome] {
            requests.map { _ in .rendered(html: "<span class=\"katex\">fresh</span>") }
        }
    }

    @Test func aPoisonedMathCacheEntryIsTypesetAgainNotTrusted() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notes-math-\(UUID().uuidString)/math")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let (good, bad) = (MathRequest(tex: "x", display: false), MathRequest(tex: "y", display: false))
        let cache = MathCache(folder: folder, fingerprint: "test")
        try cache.save([good: "<span class=\"katex\"><span class=\"mord mathnormal\">x</span></span>",
                        bad: "<span class=\"katex\"><img src=x onerror=alert(1)></span>"], of: "page")
        let renderer = CachedMathRenderer(entries: cache.entries(of: "page"), makeRenderer: { FixedRenderer() })
        let outcomes = try renderer.render([good, bad])
        #expect(outcomes == [.rendered(html: "<span class=\"katex\"><span class=\"mord mathnormal\">x</span></span>"),
                             .rendered(html: "<span class=\"katex\">fresh</span>")])
        #expect(renderer.hits == 1)
        #expect(renderer.refused == 1)
    }
}
