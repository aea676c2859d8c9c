import Foundation
import Testing
@testable import NotesKit

/// The notebook model: extraction ties every cell, output block and inline value to its node,
/// and the renderer places each of them by that node alone. Fast: nothing is compiled.
@Suite struct NotebookModelTests {
    static func note(_ body: String) throws -> Note {
        var warnings: [Diagnostic] = []
        return try NoteLoader.parse("---\ntitle: T\n---\n\n" + body, file: "notes/t.md", slug: "t", warnings: &warnings)
    }

    /// The node of the document with `id`.
    static func node(_ id: MarkdownNode.ID, in document: MarkdownNode) -> MarkdownNode? {
        var found: MarkdownNode?
        document.walk { if $0.id == id { found = $0 } }
        return found
    }

    static let sample = """
        Prose with `{swift} 1 + 1` and `plain code`.

        ```swift
        let a = 1
        ```

        ```output
        expected
        ```

        ```python
        not a cell
        ```

        > [!NOTE]
        > A callout with `{swift} a` inside.

        ![alt with `{swift} a`](x.png) is alt text, not a value.

        ```swift hide
        print(a)
        ```
        """

    @Test func nodesAreNumberedInDocumentOrder() throws {
        let document = try Self.note(Self.sample).document
        var ids: [Int] = []
        document.walk { ids.append($0.id.rawValue) }
        #expect(ids == Array(0..<ids.count))
    }

    @Test func everyNotebookPartPointsAtItsOwnNode() throws {
        let note = try Self.note(Self.sample)
        let notebook = note.notebook
        #expect(notebook.cells.count == 2)
        #expect(notebook.inlineValues.map(\.expression) == ["1 + 1", "a"])
        for cell in notebook.cells {
            guard case .codeBlock(let info, let literal, _)? = Self.node(cell.node, in: note.document)?.kind else {
                Issue.record("cell \(cell.index) does not point at a code block")
                continue
            }
            #expect(info.hasPrefix("swift") && literal == cell.code)
        }
        let output = try #require(notebook.cells[0].expectedOutput)
        #expect(Self.node(output.node, in: note.document)?.kind == .codeBlock(info: "output", literal: "expected\n", fenced: true))
        for value in notebook.inlineValues {
            #expect(Self.node(value.node, in: note.document)?.kind == .code("{swift} " + value.expression))
        }
    }

    @Test func theRendererPlacesEveryPartByItsNode() throws {
        let note = try Self.note(Self.sample)
        let body = NotePageRenderer(note: note, index: try EquationIndex(notes: [note]), math: [:]).render()
        #expect(body.unplaced.isEmpty)
        // Without results, inline values show as their code, plain code spans stay as they are.
        #expect(body.html.contains("<code>1 + 1</code>") && body.html.contains("<code>plain code</code>"))
        #expect(body.html.contains("A callout with <code>a</code> inside."))
        #expect(body.html.contains("<img src=\"x.png\" alt=\"alt with {swift} a\" />"))
        #expect(!body.html.replacingOccurrences(of: "alt=\"alt with {swift} a\"", with: "").contains("{swift}"))
        #expect(!body.html.contains("expected\n")) // the expected-output block is replaced by the cell's output
        #expect(body.html.contains("language-python"))
        #expect(!body.html.contains("print(a)")) // hide
    }

    @Test func aNotebookThatDisagreesWithItsTreeIsCaught() throws {
        var note = try Self.note(Self.sample)
        // A cell whose node is not in the tree, as a stale or mistaken extraction would make.
        note.notebook.cells[0].node = MarkdownNode.ID(rawValue: 10_000)
        let body = NotePageRenderer(note: note, index: try EquationIndex(notes: [note]), math: [:]).render()
        #expect(body.unplaced == [MarkdownNode.ID(rawValue: 10_000)])
    }

    @Test func cellAnchorsAreTheOnesTheReportLinksTo() throws {
        let note = try Self.note("```swift id=train test=eq-x\nexpect(true)\n```\n\n```swift\nprint(1)\n```\n\n$$x$$ {#eq-x}\n")
        #expect(note.notebook.cells.map(\.anchor) == ["cell-train", "cell-2"])
        let verdicts = ["t": NotebookVerdict(note: note, result: nil)]
        let test = try #require(EquationVerification(notes: [note], verdicts: verdicts).entry("eq-x")?.tests.first)
        #expect(VerificationBadge.link(test, fromPage: "t.html") == "#cell-train")
        #expect(VerificationBadge.link(test, fromPage: "verification.html") == "t.html#cell-train")
    }

    @Test func inlineValueSyntaxErrorsAreErrorsAtTheirLine() throws {
        let error = #expect(throws: DiagnosticsError.self) { try Self.note("One `{swift} ` empty.\n\n```swift hdie\n```\n") }
        #expect(error?.diagnostics.map(\.description) == [
            "notes/t.md:5: error: an inline value `{swift} …` needs an expression",
            "notes/t.md:7: error: unknown cell flag 'hdie' (flags: hide, no-run, live; attributes: output=hide, expect=compile-error|crash, timeout=SECONDS, id=NAME, test=eq-…)",
        ])
    }
}
