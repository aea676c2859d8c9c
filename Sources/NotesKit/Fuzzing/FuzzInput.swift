import Foundation

/// One note's text through the whole parse → extract → render path, for the fuzzer.
///
/// Anything may come in: bytes that are not UTF-8, broken front matter, unclosed fences and
/// math, deep nesting. Errors are fine (they are diagnostics); a crash, a hang or a page whose
/// notebook nodes were not placed is a bug. Math is "typeset" by escaping its TeX, so the
/// fuzzer needs no KaTeX. Used by the `notes-fuzz` libFuzzer target and by the test that replays
/// its corpus.
public enum FuzzInput {
    /// Runs `bytes` as a note named `fuzz.md`; returns the rendered body, or nil when the note
    /// has errors. Traps when the renderer and the notebook disagree about the note.
    @discardableResult
    public static func run(_ bytes: [UInt8]) -> String? {
        let file = "notes/fuzz.md"
        guard let text = String(validating: bytes, as: UTF8.self) else {
            _ = NoteLoader.firstInvalidUTF8(in: Data(bytes))
            return nil
        }
        var warnings: [Diagnostic] = []
        guard let note = try? NoteLoader.parse(text, file: file, slug: "fuzz", warnings: &warnings),
              let index = try? EquationIndex(notes: [note]) else { return nil }
        var math: [MathRequest: String] = [:]
        let numbers = EquationNumbers(note)
        note.document.walk { node in
            guard case .math(let span) = node.kind else { return }
            let request = numbers.request(for: span)
            math[request] = HTML.escape(request.tex)
        }
        let body = NotePageRenderer(note: note, index: index, math: math).render()
        precondition(body.unplaced.isEmpty, "notebook nodes not placed on the page: \(body.unplaced)")
        for warning in warnings { _ = DiagnosticFormatter.format(warning, style: .text) }
        return body.html
    }
}
