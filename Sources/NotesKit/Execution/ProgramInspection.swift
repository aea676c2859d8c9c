import Foundation

/// What the tool compiles for a note, exposed so that benchmarks can time a bare `swiftc` run of
/// the very same program against the tool's own compile-and-run.
public enum ProgramInspection {
    /// A note with something to run, and the program the tool generates for it.
    public struct NoteProgram: Sendable {
        /// The note's file as diagnostics name it.
        public var file: String
        /// The generated Swift program.
        public var source: String
        /// The line of the Markdown file where the note's first runnable cell's code starts.
        public var firstCellLine: Int?
        /// The engine modules the program imports and links.
        public var modules: [String]
        let note: Note
    }

    /// The programs of the notes in `folder` that have cells or inline values, in file order.
    public static func programs(in folder: URL) throws(DiagnosticsError) -> [NoteProgram] {
        let modules = try EngineSources.locate().programModuleNames
        let loaded = try NoteLoader(folder: folder, paths: PathDisplay(workingDirectory: folder), log: { _ in }).load()
        return loaded.notes.filter { !$0.notebook.isEmpty }.sorted { $0.file < $1.file }.map { note in
            let imported = EngineSources.modules(modules, for: note.notebook)
            return NoteProgram(file: note.file, source: ProgramGenerator(notebook: note.notebook, modules: imported).program(),
                               firstCellLine: note.notebook.runnableCells.first?.firstLine, modules: imported, note: note)
        }
    }

    /// Compiles and runs `program`'s note as a build does, without the cache.
    public static func runAsTool(_ program: NoteProgram, notesFolder: URL, scratch: URL, sandboxed: Bool = true) throws(DiagnosticsError) {
        _ = try Executor(notesFolder: notesFolder, cache: nil, scratch: scratch, sandboxed: sandboxed, log: { _ in }).run([program.note])
    }

    /// Compiles `main` to `output` against the engine libraries in `libraries`, exactly as the tool does.
    public static func compile(main: URL, output: URL, libraries: URL, modules: [String]) throws
        -> (status: Int32, seconds: Double, errors: String) {
        let toolchain = try Toolchain.find()
        let clock = ContinuousClock()
        let started = clock.now
        let result = try ProcessRunner.run(toolchain.swiftc, toolchain.programArguments(
            main: main, output: output, libraries: libraries, modules: modules, typecheckOnly: false), timeout: 600)
        let code: Int32
        if case .exited(let status) = result.status { code = status } else { code = -1 }
        return (code, (clock.now - started).seconds, result.stderr)
    }

    /// The engine libraries, compiled into `cache` if needed (as a build does).
    public static func libraries(cache: URL) throws(DiagnosticsError) -> URL {
        try Toolchain.find().buildLibraries(EngineSources.locate(), cache: cache)
    }
}
