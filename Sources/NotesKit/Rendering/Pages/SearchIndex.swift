import Foundation

/// The build-time search index: one entry per note, written as a script (`search-index.js`) that file:// pages can load.
struct SearchIndex: Sendable {
    /// One note as the search script sees it.
    struct Entry: Codable, Sendable, Equatable {
        struct Heading: Codable, Sendable, Equatable {
            var title: String
            var anchor: String
        }
        var href: String
        var id: String
        var title: String
        var category: String
        var summary: String
        var headings: [Heading]
        /// The note's prose as plain text (no TeX, no code blocks).
        var text: String
    }

    /// Each note's entry as JSON (`encode`), in course order.
    var entries: [String] = []

    init(entries: [String] = []) {
        self.entries = entries
    }

    /// `entry` as the index holds it: JSON with sorted keys, so that builds are byte-identical,
    /// and with every `<` written `\u003c`, so that no `</script` can end the script early.
    static func encode(_ entry: Entry) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(entry), as: UTF8.self)
        return TextScan.contains(json, "<") ? json.replacingOccurrences(of: "<", with: "\\u003c") : json
    }

    /// Prose of a Markdown tree for searching: text, inline code and link text, without math
    /// and without the source of inline values (`{swift} expr`: code, not what the reader sees).
    static func plainText(of document: MarkdownNode) -> String {
        var words: [String] = []
        document.walk { node in
            switch node.kind {
            case .text(let text): words.append(text)
            case .code(let text) where !text.hasPrefix(NotebookExtractor.inlinePrefix): words.append(text)
            default: break
            }
        }
        return words.joined(separator: " ")
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// What the script starts with, before the JSON array of the entries.
    static let scriptPrefix = "window.NOTES_SEARCH_INDEX = "

    /// The index as a script defining `window.NOTES_SEARCH_INDEX` to the JSON array of the entries,
    /// loadable from file:// pages. The entries are copied as they are: `encode` made them safe.
    func script() -> Data {
        var script = Data()
        script.reserveCapacity(entries.reduce(64) { $0 + $1.utf8.count + 1 })
        script.append(contentsOf: Self.scriptPrefix.utf8)
        script.append(UInt8(ascii: "["))
        for (position, entry) in entries.enumerated() {
            if position > 0 { script.append(UInt8(ascii: ",")) }
            script.append(contentsOf: entry.utf8)
        }
        script.append(contentsOf: "];\n".utf8)
        return script
    }

    /// The entries of a script that `script()` wrote.
    static func entries(inScript script: Data) throws -> [Entry] {
        let text = String(decoding: script, as: UTF8.self)
        guard text.hasPrefix(scriptPrefix), text.hasSuffix(";\n") else {
            throw CocoaError(.coderReadCorrupt, userInfo: [NSDebugDescriptionErrorKey: "not a search index script"])
        }
        return try JSONDecoder().decode([Entry].self, from: Data(text.dropFirst(scriptPrefix.count).dropLast(2).utf8))
    }
}
