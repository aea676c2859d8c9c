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

    /// Each note's entry as JSON (`encode`), in course order.
    var entries: [String] = []

    init(entries: [String] = []) {
        self.entries = entries
    }

    /// `entry` as the index holds it: JSON with sorted keys, so that builds are byte-identical.
    static func encode(_ entry: Entry) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(entry), as: UTF8.self)
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

    /// The index as a JSON array of the entries: the bytes `JSONEncoder` writes for `[Entry]`.
    func json() -> Data {
        Data(("[" + entries.joined(separator: ",") + "]").utf8)
    }

    /// The index as a script defining `window.NOTES_SEARCH_INDEX`, loadable from file:// pages.
    func script() -> Data {
        // `</script` cannot appear in JSON text from the encoder except inside strings; escape `<` there.
        let json = json()
        var script = Data("window.NOTES_SEARCH_INDEX = ".utf8)
        script.reserveCapacity(json.count + 64)
        json.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            // Copied in runs between the `<`s, which are rare.
            var start = 0
            for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "<") {
                script.append(contentsOf: bytes[start..<index])
                script.append(contentsOf: "\\u003c".utf8)
                start = index + 1
            }
            script.append(contentsOf: bytes[start...])
        }
        script.append(contentsOf: ";\n".utf8)
        return script
    }
}
