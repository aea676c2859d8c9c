import Foundation

/// The first stage: reads every note of a notes folder into `Note`s, in site order, with the
/// equation index that resolves their references.
struct NoteLoader {
    let folder: URL
    let paths: PathDisplay
    let log: @Sendable (String) -> Void
    /// Notes parsed by an earlier build of this process (`notes serve`), reused for the same text.
    var memo: BuildMemo?
    /// The cache folder, whose note cache spares parsing unchanged notes; nil: parse every note.
    var cache: URL? = nil

    /// What loading found.
    struct Loaded: Sendable {
        var notes: [Note]
        var index: EquationIndex
        var warnings: [Diagnostic]
        /// The course's `course.yml`.
        var settings = CourseSettings()
    }

    /// Loads all `*.md` files on every core; every file's errors are collected before failing,
    /// in file order.
    func load() throws(DiagnosticsError) -> Loaded {
        let (files, listingWarnings) = try noteFiles()
        var folderWarnings = listingWarnings
        let settings = try CourseSettings.load(from: folder, paths: paths, warnings: &folderWarnings)
        var noteCache: NoteCache?
        if let cache {
            let shown = paths(cache)
            noteCache = memo?.noteCache(in: cache, rawHTML: settings.rawHTML)
                ?? NoteCache(folder: cache, rawHTML: settings.rawHTML, warning: { folderWarnings.append(.warning(shown, line: nil, $0)) })
        }
        let (log, memo, cached) = (log, memo, noteCache)
        let loaded = Parallel.map(files.count, started: { log("  reading \(files[$0].shown)") }) {
            index -> (note: Result<Note, DiagnosticsError>, warnings: [Diagnostic], identity: FileIdentity?) in
            var warnings: [Diagnostic] = []
            let (path, file) = (files[index].path, files[index].shown)
            // Taken before reading: a file written meanwhile has another identity next time.
            let identity = memo == nil ? nil : FileIdentity(path: path)
            do throws(DiagnosticsError) {
                if let identity, let kept = memo?.note(at: path, identity: identity, rawHTML: settings.rawHTML),
                   kept.note.file == file {
                    return (.success(kept.note), kept.warnings, identity)
                }
                let note = try Self.load(URL(fileURLWithPath: path, isDirectory: false), file: file, rawHTML: settings.rawHTML,
                                         warnings: &warnings, memo: memo, cache: cached)
                return (.success(note), warnings, identity)
            } catch {
                return (.failure(error), warnings, identity)
            }
        }
        var notes: [Note] = []
        var warnings = folderWarnings
        var errors: [Diagnostic] = []
        var parsed: [String: (note: Note, warnings: [Diagnostic], identity: FileIdentity?)] = [:]
        for (file, (result, noteWarnings, identity)) in zip(files, loaded) {
            warnings += noteWarnings
            switch result {
            case .success(let note):
                notes.append(note)
                parsed[file.path] = (note, noteWarnings, identity)
            case .failure(let error): errors += error.diagnostics
            }
        }
        memo?.keep(parsed, rawHTML: settings.rawHTML)
        if !errors.isEmpty { throw DiagnosticsError(errors + warnings) }
        if noteCache != nil, let cache {
            noteCache!.update(parsed.mapValues { ($0.note, $0.warnings) })
            let updated = noteCache!
            let shown = paths(cache)
            /// Writes the cache; a warning if it cannot.
            let save = { @Sendable () -> Diagnostic? in
                var saved = updated
                do { try saved.save() } catch {
                    return .warning(shown, line: nil, "cannot write the note cache: \(error.localizedDescription)")
                }
                memo?.keepNoteCache(saved)
                return nil
            }
            if let memo { memo.later(save) } else if let warning = save() { warnings.append(warning) }
        }
        notes = NoteOrder.sorted(notes)
        return Loaded(notes: notes, index: try EquationIndex(notes: notes), warnings: warnings, settings: settings)
    }

    /// A note file: its absolute path, and the path as diagnostics show it.
    private struct NoteFile: Sendable {
        var path: String
        var shown: String
    }

    /// The folder's notes, sorted by name; files that look like notes but cannot be read as
    /// such are errors or warnings.
    private func noteFiles() throws(DiagnosticsError) -> (files: [NoteFile], warnings: [Diagnostic]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DiagnosticsError([.error(paths(folder), line: nil, "cannot read the notes folder: no such folder (use --notes DIR)")])
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        } catch {
            throw DiagnosticsError([.error(paths(folder), line: nil, "cannot read the notes folder: \(error.localizedDescription)")])
        }
        var files: [NoteFile] = []
        var warnings: [Diagnostic] = []
        var errors: [Diagnostic] = []
        // Paths are joined as text: a URL per note costs more than the rest of listing it.
        let folderPath = folder.path.hasSuffix("/") ? folder.path : folder.path + "/"
        for name in names {
            let path = folderPath + name
            let shown = paths(path: path)
            switch NoteFileName(name) {
            case .other:
                continue
            case .skipped(let reason):
                warnings.append(.warning(shown, line: nil, reason))
            case .invalid(let reason):
                errors.append(.error(shown, line: nil, reason))
            case .note:
                var info = stat()
                if stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG { // the file, or what a link leads to
                    files.append(NoteFile(path: path, shown: shown))
                } else {
                    errors.append(.error(shown, line: nil, "not a regular file: a note must be a plain Markdown file"))
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

    /// Loads the note at `url`, naming it `file` in diagnostics; warnings go to `warnings`. A note
    /// `memo` holds for the same text is not parsed again, nor is one whose facts `cache` holds
    /// for the same text (its tree is parsed if its page is rendered).
    static func load(_ url: URL, file: String, rawHTML: RawHTMLPolicy = .sanitized, warnings: inout [Diagnostic],
                     memo: BuildMemo? = nil, cache: NoteCache? = nil) throws(DiagnosticsError) -> Note {
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
        let digest = Digest.sha256Hex(text)
        if let kept = memo?.note(at: url.path, digest: digest, rawHTML: rawHTML), kept.note.file == file {
            warnings += kept.warnings
            return kept.note
        }
        let slug = url.deletingPathExtension().lastPathComponent
        if let kept = cache?.note(at: url.path, text: text, digest: digest, file: file, slug: slug) {
            warnings += kept.warnings
            return kept.note
        }
        return try parse(text, file: file, slug: slug, rawHTML: rawHTML, digest: digest, warnings: &warnings)
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
    ///
    /// Under the `.sanitized` raw-HTML policy, what the page will drop from raw HTML and from
    /// link addresses is added to `warnings` at its line. `digest` is the text's SHA-256 when
    /// already known.
    static func parse(_ text: String, file: String, slug: String, rawHTML: RawHTMLPolicy = .sanitized, digest: String? = nil,
                      warnings: inout [Diagnostic]) throws(DiagnosticsError) -> Note {
        let split = try frontMatterSplit(of: text, file: file)
        let frontMatter = try FrontMatter.parse(split, file: file, warnings: &warnings)
        let document = try parseBody(split.body, file: file)
        var collector = Collector(file: file, sanitizer: rawHTML.sanitizer)
        collector.visit(document)
        warnings += collector.warnings
        // Every error of the file at once, in line order: equations and cells alike.
        var errors = collector.errors
        var notebook = Notebook()
        do {
            notebook = try NotebookExtractor.extract(document, file: file)
        } catch {
            errors += error.diagnostics
        }
        if !errors.isEmpty { throw DiagnosticsError(errors.sorted { ($0.line ?? 0) < ($1.line ?? 0) }) }
        return Note(file: file, slug: slug, frontMatter: frontMatter, source: NoteDocument(document),
                    equations: collector.equations, references: collector.references, notebook: notebook,
                    wordCount: collector.words, sourceDigest: digest ?? Digest.sha256Hex(text))
    }

    /// A note's text, line endings normalised, split into front matter and body.
    private static func frontMatterSplit(of text: String, file: String) throws(DiagnosticsError) -> FrontMatter.Split {
        let normalized = TextScan.contains(text, "\r\n") ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
        do {
            return try FrontMatter.split(normalized)
        } catch {
            throw DiagnosticsError(error.diagnostics.map { Diagnostic($0.severity, file: file, line: $0.line, $0.message) })
        }
    }

    /// The Markdown tree of a note's whole text, as `parse` makes it.
    static func markdownTree(of text: String, file: String) throws(DiagnosticsError) -> MarkdownNode {
        try parseBody(frontMatterSplit(of: text, file: file).body, file: file)
    }

    /// The Markdown tree of a note's body.
    private static func parseBody(_ body: String, file: String) throws(DiagnosticsError) -> MarkdownNode {
        do {
            return try MarkdownParser.parse(body)
        } catch {
            throw DiagnosticsError([.error(file, line: error.line, error.message)])
        }
    }

    /// Gathers equations, references and the word count in one walk.
    private struct Collector {
        let file: String
        var equations: [Note.Equation] = []
        var references: [Note.Reference] = []
        var errors: [Diagnostic] = []
        var warnings: [Diagnostic] = []
        var words = 0
        private var nextNumber = 1
        /// Set when raw HTML is sanitised: what it removes is warned about.
        let sanitizer: HTMLSanitizer?

        init(file: String, sanitizer: HTMLSanitizer?) {
            self.file = file
            self.sanitizer = sanitizer
        }

        /// Warns about what the page leaves out of raw HTML or a link address at `line`.
        private mutating func checkSafety(of node: MarkdownNode, line: Int) {
            guard let sanitizer else { return }
            switch node.kind {
            case .htmlBlock(let literal), .htmlInline(let literal):
                for removed in sanitizer.sanitize(literal).removed {
                    warnings.append(.warning(file, line: line, "raw HTML: \(removed) is removed from the page (HTML in notes is sanitised as on GitHub)"))
                }
            case .link(let url, _), .image(let url, _):
                var isImage = false
                if case .image = node.kind { isImage = true }
                if case .disallowedScheme(let scheme) = URLPolicy.verdict(for: url, in: isImage ? .src : .href) {
                    warnings.append(.warning(file, line: line, "the \(isImage ? "image" : "link") address '\(url)' is removed from the page: "
                                               + "'\(scheme):' is not a safe scheme (use http, https, mailto or a relative address)"))
                }
            default:
                break
            }
        }

        mutating func visit(_ node: MarkdownNode) {
            let line = node.range?.start.line ?? 1
            checkSafety(of: node, line: line)
            switch node.kind {
            case .math(let math):
                if math.display {
                    addEquation(math, line: line)
                } else {
                    words += 1
                }
            case .text(let text):
                words += TextScan.wordCount(text)
                if TextScan.contains(text, "{#eq"), let start = text.range(of: "{#eq") {
                    let attempt = text[start.lowerBound...].prefix { $0 != "}" && !$0.isWhitespace } + "}"
                    errors.append(.error(file, line: line, "'\(attempt)' is not read as an equation label: a label follows a display "
                                            + "equation's closing $$ and is 'eq-' and a name \(Self.labelRule)"))
                }
                for case .reference(let label) in EquationReference.segments(in: text) {
                    references.append(Note.Reference(label: label, line: line))
                }
            case .code(let code):
                words += TextScan.wordCount(code)
            default:
                break
            }
            for child in node.children { visit(child) }
        }

        /// What the name of an equation label is made of.
        static let labelRule = "made of letters, digits, '-', '_', ':' and '.' (e.g. {#eq-chain-rule})"

        static func isLabelCharacter(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_:.".unicodeScalars.contains(scalar))
        }

        private mutating func addEquation(_ math: MarkdownNode.Math, line: Int) {
            if let label = math.label, !label.hasPrefix("eq-") {
                errors.append(.error(file, line: line, "equation label '\(label)' must start with 'eq-' (e.g. {#eq-\(label)})"))
            } else if let label = math.label, label.count <= 3 {
                errors.append(.error(file, line: line, "equation label '\(label)' needs a name after 'eq-', \(Self.labelRule)"))
            } else if let label = math.label, !label.unicodeScalars.allSatisfy(Self.isLabelCharacter) {
                errors.append(.error(file, line: line, "equation label '\(label)' may not hold that character: a label is 'eq-' and a name \(Self.labelRule)"))
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
