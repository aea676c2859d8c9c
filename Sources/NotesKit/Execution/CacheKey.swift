import Foundation

/// The key a note's cell results are cached under: a canonical text document of everything the
/// run depends on, and its SHA-256.
///
/// The document is UTF-8 with LF line ends, one field a line, in a fixed order:
///
/// ```
/// notes cell-results 4
/// toolchain Swift version 6.3.1 (swift-6.3.1-RELEASE)
/// host x86_64-linux
/// flags -Onone -g -swift-version 5 …
/// sandboxed true
/// engine <sha256 of the engine's and support modules' sources>
/// webassembly <sha256 of the Embedded toolchain's flags and runtime>   (notes with live cells)
/// note-timeout 60
/// cell 3 expect=success timeout=none 118
/// <118 bytes of the cell's code>
/// live 7 ActivationExplorer 2210
/// <2210 bytes>
/// inline 0 after=2 21
/// <21 bytes of the expression>
/// data 312512 <sha256 of the file> 15
/// data/digits.csv
/// ```
///
/// Every variable-length field is preceded by its length in bytes, so no two different inputs
/// write the same document. Prose, and how a cell is shown (`hide`, `output=`, `id=`, `test=`),
/// are not in it: editing them re-renders without re-running. The document names no path
/// outside the notes folder, so checkouts on other machines share keys.
struct CacheKey: Sendable, Equatable {
    /// Changes whenever `NotebookResult`'s stored form, or this document's, does.
    static let format = "notes cell-results 4"

    /// What every note's key shares: the toolchain, flags and engine.
    struct Environment: Sendable {
        var toolchain: String
        var flags: [String]
        var sandboxed: Bool
        /// SHA-256 of the engine's and support modules' sources (`EngineSources.fingerprintData`).
        var engine: String
        /// SHA-256 of the WebAssembly toolchain's flags and runtime, when it was found.
        var webAssembly: String?

        /// The machine's architecture and system: results are the same bits on every machine of
        /// one kind, but only checked so.
        static let host: String = {
            #if arch(x86_64)
            let architecture = "x86_64"
            #elseif arch(arm64)
            let architecture = "aarch64"
            #else
            let architecture = "other"
            #endif
            #if os(Linux)
            return architecture + "-linux"
            #else
            return architecture + "-other"
            #endif
        }()
    }

    let document: String
    /// The lowercase hex SHA-256 of `document`: the `/ac/` address.
    let digest: String

    init(document: String) {
        self.document = document
        self.digest = Digest.sha256Hex(document)
    }

    /// The key of `note`; reads the data files the note declares from `notesFolder`.
    init(note: Note, environment: Environment, notesFolder: URL) throws(DiagnosticsError) {
        var lines = [Self.format,
                     "toolchain \(environment.toolchain)",
                     "host \(Environment.host)",
                     "flags \(environment.flags.joined(separator: " "))",
                     "sandboxed \(environment.sandboxed)",
                     "engine \(environment.engine)"]
        let notebook = note.notebook
        if !notebook.liveCells.isEmpty { lines.append("webassembly \(environment.webAssembly ?? "none")") }
        lines.append("note-timeout \(note.frontMatter.timeout.map { "\($0)" } ?? "default")")
        /// A field of `text`, preceded by its length in bytes.
        func field(_ head: String, _ text: String) {
            lines.append("\(head) \(text.utf8.count)")
            lines.append(text)
        }
        for cell in notebook.runnableCells {
            let options = cell.options
            field("cell \(cell.index) expect=\(options.expectation.rawValue) timeout=\(options.timeout.map { "\($0)" } ?? "none")",
                  cell.code)
        }
        for cell in notebook.liveCells {
            field("live \(cell.index) \(cell.widget ?? "-")", cell.code)
        }
        for value in notebook.inlineValues {
            field("inline \(value.index) after=\(value.cellsBefore)", value.expression)
        }
        for path in note.frontMatter.data {
            guard let contents = try? Data(contentsOf: notesFolder.appendingPathComponent(path)) else {
                throw DiagnosticsError([.error(note.file, line: 1, "data file '\(path)' named in the front matter cannot be read")])
            }
            field("data \(contents.count) \(Digest.sha256Hex(contents))", path)
        }
        self.init(document: lines.joined(separator: "\n") + "\n")
    }
}
