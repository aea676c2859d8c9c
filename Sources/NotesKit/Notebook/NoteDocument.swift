import Foundation

/// A note's Markdown tree: parsed when the note is loaded, or later from the note's text.
///
/// A note taken from the note cache (`NoteCache`) carries every fact a build plans with, but not
/// its tree: only the pages being rendered need one, and parsing is most of the cost of loading.
/// Its tree is parsed from the same text by `parse`, which `Pipeline.typeset` calls for every
/// note it typesets, before anything reads the tree. Copies of a `Note` share one document, so
/// a tree is parsed at most once.
final class NoteDocument: @unchecked Sendable {
    private let lock = NSLock()
    private var parsed: MarkdownNode?
    /// The note's text as read, kept until its tree is parsed.
    private var text: String?

    /// A document already parsed.
    init(_ tree: MarkdownNode) {
        parsed = tree
    }

    /// A document to parse from `text`, the note's whole text (front matter included).
    init(text: String) {
        self.text = text
    }

    /// Whether the tree is parsed.
    var isParsed: Bool { lock.withLock { parsed != nil } }

    /// The tree; only after `parse` for a document made from text.
    var tree: MarkdownNode {
        lock.withLock {
            guard let parsed else { preconditionFailure("a cached note's Markdown tree was read before NoteDocument.parse") }
            return parsed
        }
    }

    /// Parses the tree from the text, if that is not done yet; errors name `file`.
    func parse(file: String) throws(DiagnosticsError) {
        lock.lock()
        defer { lock.unlock() }
        guard parsed == nil, let text else { return }
        parsed = try NoteLoader.markdownTree(of: text, file: file)
        self.text = nil
    }

    /// Parses the trees of `notes` that are not parsed yet, on every core.
    static func parse(_ notes: [Note]) throws(DiagnosticsError) {
        let pending = notes.filter { !$0.source.isParsed }
        let errors = Parallel.map(pending.count) { index -> [Diagnostic] in
            do throws(DiagnosticsError) {
                try pending[index].source.parse(file: pending[index].file)
                return []
            } catch {
                return error.diagnostics
            }
        }.flatMap { $0 }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
    }
}
