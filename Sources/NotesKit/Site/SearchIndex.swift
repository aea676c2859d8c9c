import Foundation

/// The build-time search index: one entry per note, written as JSON and as a script for file://.
public struct SearchIndex: Sendable {
    /// One note as the search script sees it.
    public struct Entry: Codable, Sendable, Equatable {
        public struct Heading: Codable, Sendable, Equatable {
            public var title: String
            public var anchor: String
        }
        public var href: String
        public var id: String
        public var title: String
        public var category: String
        public var summary: String
        public var headings: [Heading]
        /// The note's prose as plain text (no TeX, no code blocks).
        public var text: String
    }

    public var entries: [Entry] = []

    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    /// Prose of a Markdown tree for searching: text, inline code and link text, without math.
    public static func plainText(of document: MarkdownNode) -> String {
        var words: [String] = []
        document.walk { node in
            switch node.kind {
            case .text(let text), .code(let text): words.append(text)
            default: break
            }
        }
        return words.joined(separator: " ")
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The index as JSON, with keys sorted so that builds are byte-identical.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(entries)
    }

    /// The index as a script defining `window.NOTES_SEARCH_INDEX`, loadable from file:// pages.
    public func script() throws -> Data {
        var data = Data("window.NOTES_SEARCH_INDEX = ".utf8)
        // `</script` cannot appear in JSON text from the encoder except inside strings; escape `<` there.
        let json = String(decoding: try json(), as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
        data.append(Data(json.utf8))
        data.append(Data(";\n".utf8))
        return data
    }
}
