/// A GitHub-style alert: a blockquote whose first line is `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`,
/// `[!WARNING]` or `[!CAUTION]` alone.
struct Callout {
    /// The lowercased kind, used as a CSS class suffix (`note`, `tip`, …).
    var kind: String
    /// The heading shown above the body (`Note`, `Tip`, …).
    var title: String
    /// The blockquote's content without the marker line.
    var body: [MarkdownNode]

    static let kinds = ["note", "tip", "important", "warning", "caution"]

    /// Reads `blockQuote` as a callout, or returns nil when it is an ordinary quotation.
    init?(_ blockQuote: MarkdownNode) {
        guard let first = blockQuote.children.first, first.kind == .paragraph,
              let marker = first.children.first, case .text(let text) = marker.kind,
              text.hasPrefix("[!"), text.hasSuffix("]") else { return nil }
        let name = text.dropFirst(2).dropLast().lowercased()
        guard Self.kinds.contains(name) else { return nil }
        var rest = Array(first.children.dropFirst())
        guard rest.isEmpty || rest[0].kind == .softBreak || rest[0].kind == .lineBreak else { return nil }
        if !rest.isEmpty { rest.removeFirst() }
        kind = name
        title = name.prefix(1).uppercased() + name.dropFirst()
        var paragraph = first
        paragraph.children = rest
        body = (rest.isEmpty ? [] : [paragraph]) + blockQuote.children.dropFirst()
    }
}
