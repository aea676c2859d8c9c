import Testing
@testable import NotesKit

/// Equation labels, numbering, tags and `@eq-…` references, within and across notes.
@Suite struct EquationTests {
    private func note(_ body: String, slug: String = "a") throws -> Note {
        var warnings: [Diagnostic] = []
        return try NoteLoader.parse("---\ntitle: \(slug)\n---\n" + body, file: "notes/\(slug).md", slug: slug, warnings: &warnings)
    }

    @Test func labelledEquationsAreNumberedUnlessTagged() throws {
        let n = try note("$$a$$ {#eq-a}\n\n$$b \\tag{BP1}$$ {#eq-b}\n\n$$c$$\n\n$$d$$ {#eq-d}\n")
        #expect(n.equations.map(\.displayName) == ["(1)", "(BP1)", nil, "(2)"])
        #expect(n.equations.map(\.line) == [4, 6, 8, 10])
    }

    @Test func referencesAreFoundWithTheirLines() throws {
        let n = try note("See @eq-a and\n@eq-b-c. Not me@eq-x.org or `@eq-code`.\n")
        #expect(n.references == [.init(label: "eq-a", line: 4), .init(label: "eq-b-c", line: 5)])
    }

    @Test func segmentsSplitProseAroundReferences() {
        #expect(EquationReference.segments(in: "by @eq-bp1, then (@eq-bp2).") == [
            .text("by "), .reference(label: "eq-bp1"), .text(", then ("), .reference(label: "eq-bp2"), .text(")."),
        ])
        #expect(EquationReference.segments(in: "mail a@eq-b.org") == [.text("mail a@eq-b.org")])
        #expect(EquationReference.segments(in: "@eq-") == [.text("@eq-")])
    }

    @Test func unknownReferenceIsAnErrorAtItsLine() throws {
        let a = try note("$$x$$ {#eq-x}\n\nThen\n@eq-y.\n")
        let error = #expect(throws: DiagnosticsError.self) { try EquationIndex(notes: [a]) }
        #expect(error?.diagnostics.map(\.description).first?.hasPrefix("notes/a.md:7: error: unknown equation label 'eq-y'") == true)
    }

    @Test func duplicateLabelIsAnErrorNamingBothPlaces() throws {
        let a = try note("$$x$$ {#eq-x}\n", slug: "a")
        let b = try note("text\n\n$$y$$ {#eq-x}\n", slug: "b")
        let error = #expect(throws: DiagnosticsError.self) { try EquationIndex(notes: [a, b]) }
        #expect(error?.diagnostics.map(\.description) == [
            "notes/b.md:6: error: duplicate equation label 'eq-x' (first defined at notes/a.md:4)",
        ])
    }

    @Test func labelsMustStartWithEq() {
        #expect(throws: DiagnosticsError.self) { try note("$$x$$ {#bp1}\n") }
    }

    @Test func referencesLinkWithinAndAcrossPages() throws {
        let a = try note("$$x \\tag{BP1}$$ {#eq-bp1}\n", slug: "backprop")
        let b = try note("Uses @eq-bp1.\n", slug: "other")
        let index = try EquationIndex(notes: [a, b])
        #expect(index.link(for: "eq-bp1", fromSlug: "backprop")! == ("#eq-bp1", "(BP1)"))
        #expect(index.link(for: "eq-bp1", fromSlug: "other")! == ("backprop.html#eq-bp1", "(BP1)"))
    }

    @Test func referencesRenderAsLinks() throws {
        let a = try note("$$x$$ {#eq-x}\n\nBy @eq-x we win.\n")
        let index = try EquationIndex(notes: [a])
        let body = NotePageRenderer(note: a, index: index, math: [:]).render()
        #expect(body.html.contains("<div class=\"equation\" id=\"eq-x\">"))
        #expect(body.html.contains("<p>By <a class=\"eq-ref\" href=\"#eq-x\">(1)</a> we win.</p>"))
    }

    @Test func texTagIsRead() {
        #expect(TeXTag.find(in: "a \\tag{BP{1}} b") == "BP{1}")
        #expect(TeXTag.find(in: "a \\tag*{x}") == "x")
        #expect(TeXTag.find(in: "a") == nil)
    }
}
