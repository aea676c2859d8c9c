import Foundation

/// The first stage: reads every note of a notes folder into `Note`s, in site order, with the
/// equation index that resolves their references.
struct NoteLoader {
    let folder: URL
    let paths: PathDisplay
    let log: @Sendable (String) -> Void

    /// What loading found.
    struct Loaded: Sendable {
        var notes: [Note]
        var index: EquationIndex
        var warnings: [Diagnostic]
    }

    /// Loads all `*.md` files on every core; every file's errors are collected before failing,
    /// in file order.
    func load() throws(DiagnosticsError) -> Loaded {
        let (files, folderWarnings) = try noteFiles()
        let (paths, log) = (paths, log)
        let loaded = Parallel.map(files.count, started: { log("  reading \(paths(files[$0]))") }) {
            index -> (note: Result<Note, DiagnosticsError>, warnings: [Diagnostic]) in
            var warnings: [Diagnostic] = []
            do throws(DiagnosticsError) {
                let note = try Self.load(files[index], file: paths(files[index]), warnings: &warnings)
                return (.success(note), warnings)
            } catch {
                return (.failure(error), warnings)
            }
        }
        var notes: [Note] = []
        var warnings = folderWarnings
        var errors: [Diagnostic] = []
        for (result, noteWarnings) in loaded {
            warnings += noteWarnings
            switch result {
            case .success(let note): notes.append(note)
            case .failure(let error): errors += error.diagnostics
            }
        }
        if !errors.isEmpty { throw DiagnosticsError(errors + warnings) }
        notes = NoteOrder.sorted(notes)
        return Loaded(notes: notes, index: try EquationIndex(notes: notes), warnings: warnings)
    }

    /// The folder's notes, sorted by name; files that look like notes but cannot be read as
    /// such are errors or warnings.
    private func noteFiles() throws(DiagnosticsError) -> (files: [URL], warnings: [Diagnostic]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DiagnosticsError([.error(paths(folder), line: nil, "cannot read the notes folder: no such folder (use --notes DIR)")])
        }
        let entries: [URL]
        do {
            entries = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw DiagnosticsError([.error(paths(folder), line: nil, "cannot read the notes folder: \(error.localizedDescription)")])
        }
        var files: [URL] = []
        var warnings: [Diagnostic] = []
        var errors: [Diagnostic] = []
        for url in entries {
            switch NoteFileName(url.lastPathComponent) {
            case .other:
                continue
            case .skipped(let reason):
                warnings.append(.warning(paths(url), line: nil, reason))
            case .invalid(let reason):
                errors.append(.error(paths(url), line: nil, reason))
            case .note:
                if (try? url.resolvingSymlinksInPath().resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                    files.append(url)
                } else {
                    errors.append(.error(paths(url), line: nil, "not a regular file: a note must be a plain Markdown file"))
                }
            }
        }
        if !errors.isEmpty { throw DiagnosticsError((errors + warnings).sorted { $0.file < $1.file }) }
        if files.isEmpty {
            throw DiagnosticsError([.error(paths(folder), line: nil, "no .md notes in this folder")])
        }
        return (files, warnings)
    }

    // MARK: - One note

    /// Loads the note at `url`, naming it `file` in diagnostics; warnings go to `warnings`.
    static func load(_ url: URL, file: String, warnings: inout [Diagnostic]) throws(DiagnosticsError) -> Note {
        let text: String
        do {
            let data = try Data(contentsOf: url)
            guard let decoded = String(data: data, encoding: .utf8) else {
                let (line, offset) = Self.firstInvalidUTF8(in: data)
                throw DiagnosticsError([.error(file, line: line, "not valid UTF-8 text: byte \(offset) of the file cannot be read "
                                               + "(save the note as UTF-8)")])
            }
            text = decoded
        } catch let error as DiagnosticsError {
            throw error
        } catch {
            throw DiagnosticsError([.error(file, line: nil, "cannot read the file: \(error.localizedDescription)")])
        }
        return try parse(text, file: file, slug: url.deletingPathExtension().lastPathComponent, warnings: &warnings)
    }

    /// The line and byte offset (from 0) of the first byte of `data` that is not UTF-8.
    static func firstInvalidUTF8(in data: Data) -> (line: Int, offset: Int) {
        var bytes = data.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var line = 1, offset = 0
        while true {
            switch parser.parseScalar(from: &bytes) {
            case .valid(let scalar):
                if scalar.count == 1 && scalar.first == 0x0A { line += 1 }
                offset += scalar.count
            case .error, .emptyInput:
                return (line, offset)
            }
        }
    }

    /// Parses a note's text.
    static func parse(_ text: String, file: String, slug: String, warnings: inout [Diagnostic]) throws(DiagnosticsError) -> Note {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        let split: FrontMatter.Split
        do {
            split = try FrontMatter.split(normalized)
        } catch {
            throw DiagnosticsError(error.diagnostics.map { Diagnostic($0.severity, file: file, line: $0.line, $0.message) })
        }
        let frontMatter = try FrontMatter.parse(split, file: file, warnings: &warnings)
        let document: MarkdownNode
        do {
            document = try MarkdownParser.parse(split.body)
        } catch {
            throw DiagnosticsError([.error(file, line: error.line, error.message)])
        }
        var collector = Collector(file: file)
        collector.visit(document)
        // Every error of the file at once, in line order: equations and cells alike.
        var errors = collector.errors
        var notebook = Notebook()
        do {
            notebook = try NotebookExtractor.extract(document, file: file)
        } catch {
            errors += error.diagnostics
        }
        if !errors.isEmpty { throw DiagnosticsError(errors.sorted { ($0.line ?? 0) < ($1.line ?? 0) }) }
        return Note(file: file, slug: slug, frontMatter: frontMatter, document: document,
                    equations: collector.equations, references: collector.references, notebook: notebook,
                    wordCount: collector.words)
    }

    /// Gathers equations, references and the word count in one walk.
    private struct Collector {
        let file: String
        var equations: [Note.Equation] = []
        var references: [Note.Reference] = []
        var errors: [Diagnostic] = []
        var words = 0
        private var nextNumber = 1

        init(file: String) { self.file = file }

        mutating func visit(_ node: MarkdownNode) {
            let line = node.range?.start.line ?? 1
            switch node.kind {
            case .math(let math):
                if math.display {
                    addEquation(math, line: line)
                } else {
                    words += 1
                }
            case .text(let text):
                words += text.split(whereSeparator: { $0.isWhitespace }).count
                for case .reference(let label) in EquationReference.segments(in: text) {
                    references.append(Note.Reference(label: label, line: line))
                }
            case .code(let code):
                words += code.split(whereSeparator: { $0.isWhitespace }).count
            default:
                break
            }
            for child in node.children { visit(child) }
        }

        private mutating func addEquation(_ math: MarkdownNode.Math, line: Int) {
            if let label = math.label, !label.hasPrefix("eq-") {
                errors.append(.error(file, line: line, "equation label '\(label)' must start with 'eq-' (e.g. {#eq-\(label)})"))
            } else if let label = math.label, label.count <= 3 {
                errors.append(.error(file, line: line, "equation label '\(label)' needs a name after 'eq-', made of letters, digits, "
                                        + "'-', '_', ':' and '.' (e.g. {#eq-chain-rule})"))
            }
            let tag = TeXTag.find(in: math.tex)
            var number: Int?
            if math.label != nil && tag == nil {
                number = nextNumber
                nextNumber += 1
            }
            equations.append(Note.Equation(tex: math.tex, label: math.label, tag: tag, number: number, line: line))
        }
    }
}
