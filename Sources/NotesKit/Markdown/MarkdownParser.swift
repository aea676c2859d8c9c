import CCmarkGFM
import Foundation

/// Parses GitHub-flavoured Markdown with cmark-gfm into a tree of `MarkdownNode` values.
///
/// Attaches the GFM extensions (table, strikethrough, autolink, tagfilter, tasklist), footnotes
/// and our math extension. The C tree lives only inside `parse`; what it returns holds no pointers.
enum MarkdownParser {
    /// The GFM extensions attached to every parse, by cmark's names.
    static let gfmExtensions = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    /// Parses `text` and returns its document node.
    ///
    /// - Throws: `MarkdownError` for a `$$` that is never closed, at the line where it opens.
    static func parse(_ text: String) throws(MarkdownError) -> MarkdownNode {
        try parse(text, extensions: Set(gfmExtensions))
    }

    /// Parses with only the named GFM extensions (math and footnotes are always on); for conformance tests.
    static func parse(_ text: String, extensions: Set<String>) throws(MarkdownError) -> MarkdownNode {
        // cmark-gfm keeps the table of special inline characters in process-wide state: parsing
        // inlines adds each extension's characters (our `$`) and removes them again afterwards, both
        // when a parse finishes and while the table extension reads a row during `feed`. Two such
        // parses at once would remove `$` under each other's feet, and math would come out as text.
        // So feeding and finishing are serialised; converting the finished tree reads only this
        // parse's nodes and runs in parallel (on a 1,000-note course, loading is then twice as fast
        // on two cores as with the whole parse serialised).
        let options = CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES
        guard let parser = cmark_parser_new(options) else { fatalError("cmark_parser_new failed: out of memory") }
        defer { cmark_parser_free(parser) }
        for (name, extensionPointer) in SyntaxExtensions.shared.pointers where extensions.contains(name) || name == "math" {
            cmark_parser_attach_syntax_extension(parser, extensionPointer)
        }
        parseLock.lock()
        text.utf8CString.withUnsafeBufferPointer { buffer in
            cmark_parser_feed(parser, buffer.baseAddress, buffer.count - 1)
        }
        let finished = cmark_parser_finish(parser)
        parseLock.unlock()
        guard let root = finished else { fatalError("cmark_parser_finish failed: out of memory") }
        defer { cmark_node_free(root) }
        var converter = TreeConverter()
        return try converter.convert(root, enclosingLine: 1).numbered()
    }
}

/// Serialises parses: see `MarkdownParser.parse(_:extensions:)`.
private let parseLock = NSLock()

/// The syntax extensions every parser gets, looked up once per process.
private final class SyntaxExtensions: @unchecked Sendable {
    static let shared = SyntaxExtensions()
    let pointers: [(name: String, pointer: OpaquePointer)]

    private init() {
        cmark_gfm_core_extensions_ensure_registered()
        var found: [(name: String, pointer: OpaquePointer)] = []
        for name in MarkdownParser.gfmExtensions {
            guard let pointer = cmark_find_syntax_extension(name) else {
                fatalError("cmark-gfm has no '\(name)' extension: reinstall libcmark-gfm-extensions-dev")
            }
            found.append((name, pointer))
        }
        found.append(("math", MathSyntaxExtension.shared.pointer))
        pointers = found
    }
}
