import Foundation
import Yams

/// The YAML header of a note: what the site shows about it and where it sorts.
struct FrontMatter: Sendable, Equatable {
    var title: String
    var id: String?
    var category: String?
    var summary: String?
    /// Position within the category; notes without one sort after those with one, by title.
    var order: Int?
    /// Data files the note's cells read, relative to the notes folder; part of the cache key.
    var data: [String] = []
    /// Seconds the note's cells may run in all (default 60).
    var timeout: Double?

    /// The keys a note may set; any other key draws a warning.
    static let knownKeys: Set<String> = ["title", "id", "category", "summary", "order", "data", "timeout"]

    init(title: String, id: String? = nil, category: String? = nil, summary: String? = nil, order: Int? = nil,
                data: [String] = [], timeout: Double? = nil) {
        self.title = title
        self.id = id
        self.category = category
        self.summary = summary
        self.order = order
        self.data = data
        self.timeout = timeout
    }

    /// A note's text split into its front matter block and its Markdown body.
    struct Split: Sendable {
        /// The YAML between the `---` lines, or nil when the file has no front matter.
        var yaml: String?
        /// Line of the opening `---` (1 when present).
        var yamlFirstLine: Int
        /// The body, with the front matter lines blanked so that line numbers stay those of the file.
        var body: String
    }

    /// Separates a leading `---` … `---` (or `...`) block from the Markdown.
    static func split(_ text: String) throws(DiagnosticsError) -> Split {
        // Line by line over the UTF-8 bytes, up to the closing line only: the body is the rest
        // of the text as it is, after one empty line for each line of the front matter.
        let utf8 = text.utf8
        var lineStart = utf8.startIndex
        var yamlStart = utf8.startIndex
        var number = 0
        while true {
            let lineEnd = utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            let line = text[lineStart..<lineEnd].trimmingTrailingWhitespace()
            if number == 0 {
                guard line == "---" else { return Split(yaml: nil, yamlFirstLine: 1, body: text) }
                yamlStart = lineEnd == utf8.endIndex ? lineEnd : utf8.index(after: lineEnd)
            } else if line == "---" || line == "..." {
                let yaml = number == 1 ? "" : String(text[yamlStart..<utf8.index(before: lineStart)])
                guard lineEnd != utf8.endIndex else {
                    return Split(yaml: yaml, yamlFirstLine: 1, body: String(repeating: "\n", count: number))
                }
                return Split(yaml: yaml, yamlFirstLine: 1,
                             body: String(repeating: "\n", count: number + 1) + text[utf8.index(after: lineEnd)...])
            }
            guard lineEnd != utf8.endIndex else {
                throw DiagnosticsError([.error("", line: 1, "front matter opened with '---' is never closed with '---'")])
            }
            lineStart = utf8.index(after: lineEnd)
            number += 1
        }
    }

    /// Reads the front matter of `file`; warnings (unknown keys) are appended to `warnings`.
    static func parse(_ split: Split, file: String, warnings: inout [Diagnostic]) throws(DiagnosticsError) -> FrontMatter {
        guard let yaml = split.yaml else {
            throw DiagnosticsError([.error(file, line: 1, "missing front matter: a note starts with '---', a 'title:' line and '---'")])
        }
        let firstLine = split.yamlFirstLine + 1
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw DiagnosticsError([.error(file, line: Self.line(of: error).map { $0 + firstLine - 1 } ?? firstLine,
                                           "malformed front matter: \(Self.summary(of: error))")])
        } catch {
            throw DiagnosticsError([.error(file, line: firstLine, "malformed front matter: \(error)")])
        }
        guard let root, case .mapping(let mapping) = root else {
            if root == nil { throw DiagnosticsError([.error(file, line: 1, "front matter has no 'title'")]) }
            throw DiagnosticsError([.error(file, line: firstLine, "front matter must be a mapping of keys to values")])
        }
        var values: [String: (value: Node, line: Int)] = [:]
        var errors: [Diagnostic] = []
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? "\(keyNode)"
            let line = (keyNode.mark?.line ?? 1) + firstLine - 1
            if !knownKeys.contains(key) {
                warnings.append(.warning(file, line: line, "unknown front matter key '\(key)' (known: \(knownKeys.sorted().joined(separator: ", ")))"))
            }
            values[key] = (value, line)
        }
        func text(_ key: String) -> String? {
            guard let entry = values[key] else { return nil }
            guard case .scalar(let scalar) = entry.value else {
                errors.append(.error(file, line: entry.line, "front matter '\(key)' must be text"))
                return nil
            }
            return scalar.string
        }
        let title = text("title")
        let order: Int? = values["order"].flatMap { entry in
            guard let number = entry.value.int else {
                errors.append(.error(file, line: entry.line, "front matter 'order' must be a whole number"))
                return nil
            }
            return number
        }
        let id = text("id"), category = text("category"), summary = text("summary")
        var data: [String] = []
        if let entry = values["data"] {
            switch entry.value {
            case .scalar(let scalar): data = [scalar.string]
            case .sequence(let sequence) where sequence.allSatisfy({ $0.scalar != nil }): data = sequence.compactMap(\.string)
            default: errors.append(.error(file, line: entry.line, "front matter 'data' must be a file path or a list of them"))
            }
            for path in data where path.hasPrefix("/") || path.split(separator: "/").contains("..") {
                errors.append(.error(file, line: entry.line, "data file '\(path)' must be inside the notes folder (a relative path without '..'): "
                                        + "cells can read nothing else"))
            }
        }
        var timeout: Double?
        if let entry = values["timeout"] {
            if let seconds = entry.value.float, seconds > 0 { timeout = seconds } else {
                errors.append(.error(file, line: entry.line, "front matter 'timeout' must be a positive number of seconds"))
            }
        }
        guard let title, !title.trimmingCharacters(in: .whitespaces).isEmpty else {
            errors.append(.error(file, line: values["title"]?.line ?? 1, "front matter has no 'title'"))
            throw DiagnosticsError(errors)
        }
        guard errors.isEmpty else { throw DiagnosticsError(errors) }
        return FrontMatter(title: title, id: id, category: category, summary: summary, order: order, data: data, timeout: timeout)
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    private static func summary(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
             .composer(let context, let problem, _, _):
            return [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        default:
            return "\(error)"
        }
    }
}

extension Substring {
    func trimmingTrailingWhitespace() -> Substring {
        var s = self
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s.removeLast() }
        return s
    }
}
