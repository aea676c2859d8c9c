import Foundation

/// The build-time search index: one entry per note, written as JSON and as a script for file://.
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

    var entries: [Entry] = []

    init(entries: [Entry] = []) {
        self.entries = entries
    }

    /// Prose of a Markdown tree for searching: text, inline code and link text, without math.
    static func plainText(of document: MarkdownNode) -> String {
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
    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(entries)
    }

    /// The index as a script defining `window.NOTES_SEARCH_INDEX`, loadable from file:// pages.
    func script() throws -> Data {
        var data = Data("window.NOTES_SEARCH_INDEX = ".utf8)
        // `</script` cannot appear in JSON text from the encoder except inside strings; escape `<` there.
        let json = String(decoding: try json(), as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
        data.append(Data(json.utf8))
        data.append(Data(";\n".utf8))
        return data
    }
}
