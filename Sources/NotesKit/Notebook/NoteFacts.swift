/// What the note cache keeps of a `Note`: everything loading found but the Markdown tree.
///
/// The file name and slug come from the note's path, the digest from its text. Written as
/// `FieldWriter` text, field by field in declaration order; a field added to the model must be
/// added here too (the note cache tests compare every fact with a fresh parse).
struct NoteFacts: Sendable {
    var frontMatter: FrontMatter
    var equations: [Note.Equation]
    var references: [Note.Reference]
    var notebook: Notebook
    var wordCount: Int
    /// Warnings loading gave, without their file.
    var warnings: [(line: Int?, message: String)]

    init(_ note: Note, warnings: [Diagnostic]) {
        frontMatter = note.frontMatter
        equations = note.equations
        references = note.references
        notebook = note.notebook
        wordCount = note.wordCount
        self.warnings = warnings.map { ($0.line, $0.message) }
    }

    /// The note these facts describe, named `file` and `slug`, with its tree to parse from `text`.
    func note(file: String, slug: String, text: String, digest: String) -> (note: Note, warnings: [Diagnostic]) {
        let note = Note(file: file, slug: slug, frontMatter: frontMatter, source: NoteDocument(text: text), equations: equations,
                        references: references, notebook: notebook, wordCount: wordCount, sourceDigest: digest)
        return (note, warnings.map { .warning(file, line: $0.line, $0.message) })
    }

    // MARK: - Text

    var text: String {
        var out = FieldWriter()
        let front = frontMatter
        out.string(front.title)
        out.string(front.id)
        out.string(front.category)
        out.string(front.summary)
        out.int(front.order)
        out.list(front.data) { $0.string($1) }
        out.double(front.timeout)
        out.list(equations) { out, equation in
            out.string(equation.tex)
            out.string(equation.label)
            out.string(equation.tag)
            out.int(equation.number)
            out.int(equation.line)
        }
        out.list(references) { out, reference in
            out.string(reference.label)
            out.int(reference.line)
        }
        out.list(notebook.cells) { out, cell in
            out.int(cell.index)
            out.int(cell.node.rawValue)
            let options = cell.options
            out.bool(options.showCode)
            out.bool(options.run)
            out.bool(options.showOutput)
            out.string(options.expectation.rawValue)
            out.double(options.timeout)
            out.string(options.id)
            out.list(options.tests) { $0.string($1) }
            out.bool(options.live)
            out.string(cell.code)
            out.int(cell.fenceLine)
            out.bool(cell.expectedOutput != nil)
            if let expected = cell.expectedOutput {
                out.int(expected.node.rawValue)
                out.string(expected.text)
                out.double(expected.options.relativeTolerance)
                out.double(expected.options.absoluteTolerance)
                out.int(expected.fenceLine)
            }
            out.string(cell.widget)
        }
        out.list(notebook.inlineValues) { out, value in
            out.int(value.index)
            out.int(value.node.rawValue)
            out.string(value.expression)
            out.int(value.line)
            out.int(value.cellsBefore)
        }
        out.int(wordCount)
        out.list(warnings) { out, warning in
            out.int(warning.line)
            out.string(warning.message)
        }
        return out.text
    }

    /// Reads facts written by `text`.
    init(text: String) throws(FieldReader.Damaged) {
        self = try FieldReader.read(text) { (input: inout FieldReader) throws(FieldReader.Damaged) -> NoteFacts in
            try NoteFacts(reading: &input)
        }
    }

    private init(reading input: inout FieldReader) throws(FieldReader.Damaged) {
        frontMatter = FrontMatter(title: try input.string(), id: try input.optionalString(), category: try input.optionalString(),
                                  summary: try input.optionalString(), order: try input.optionalInt(),
                                  data: try input.list { (input: inout FieldReader) throws(FieldReader.Damaged) in try input.string() },
                                  timeout: try input.double())
        equations = try input.list { (input: inout FieldReader) throws(FieldReader.Damaged) in
            Note.Equation(tex: try input.string(), label: try input.optionalString(), tag: try input.optionalString(),
                          number: try input.optionalInt(), line: try input.int())
        }
        references = try input.list { (input: inout FieldReader) throws(FieldReader.Damaged) in
            Note.Reference(label: try input.string(), line: try input.int())
        }
        notebook = Notebook()
        notebook.cells = try input.list { (input: inout FieldReader) throws(FieldReader.Damaged) in
            let index = try input.int()
            let node = MarkdownNode.ID(rawValue: try input.int())
            var options = CellOptions()
            options.showCode = try input.bool()
            options.run = try input.bool()
            options.showOutput = try input.bool()
            guard let expectation = CellOptions.Expectation(rawValue: try input.string()) else { throw FieldReader.Damaged() }
            options.expectation = expectation
            options.timeout = try input.double()
            options.id = try input.optionalString()
            options.tests = try input.list { (input: inout FieldReader) throws(FieldReader.Damaged) in try input.string() }
            options.live = try input.bool()
            let code = try input.string()
            let fenceLine = try input.int()
            var expected: Notebook.ExpectedOutput?
            if try input.bool() {
                let node = MarkdownNode.ID(rawValue: try input.int())
                let text = try input.string()
                var outputOptions = OutputOptions()
                guard let relative = try input.double(), let absolute = try input.double() else { throw FieldReader.Damaged() }
                outputOptions.relativeTolerance = relative
                outputOptions.absoluteTolerance = absolute
                expected = Notebook.ExpectedOutput(node: node, text: text, options: outputOptions, fenceLine: try input.int())
            }
            return Notebook.Cell(index: index, node: node, options: options, code: code, fenceLine: fenceLine,
                                 expectedOutput: expected, widget: try input.optionalString())
        }
        notebook.inlineValues = try input.list { (input: inout FieldReader) throws(FieldReader.Damaged) in
            Notebook.InlineValue(index: try input.int(), node: MarkdownNode.ID(rawValue: try input.int()),
                                 expression: try input.string(), line: try input.int(), cellsBefore: try input.int())
        }
        wordCount = try input.int()
        warnings = try input.list { (input: inout FieldReader) throws(FieldReader.Damaged) in
            (line: try input.optionalInt(), message: try input.string())
        }
    }
}
