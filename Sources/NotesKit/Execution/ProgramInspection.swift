import Foundation

/// What the tool compiles for a note, exposed so that benchmarks can time a bare `swiftc` run of
/// the very same program against the tool's own compile-and-run.
public enum ProgramInspection {
    /// The Swift program generated for `note`'s cells.
    public static func source(for note: Note) throws(DiagnosticsError) -> String {
        let sources = try EngineSources.locate()
        return ProgramGenerator(notebook: note.notebook, modules: sources.modules.map(\.name)).program()
    }

    /// Compiles `main` to `output` against the engine libraries in `libraries`, exactly as the tool does.
    public static func compile(main: URL, output: URL, libraries: URL) throws -> (status: Int32, seconds: Double) {
        let toolchain = try Toolchain.find()
        let modules = try EngineSources.locate().modules.map(\.name)
        let clock = ContinuousClock()
        let started = clock.now
        let result = try ProcessRunner.run(toolchain.swiftc, toolchain.programArguments(
            main: main, output: output, libraries: libraries, modules: modules, typecheckOnly: false), timeout: 600)
        let code: Int32
        if case .exited(let status) = result.status { code = status } else { code = -1 }
        return (code, (clock.now - started).seconds)
    }

    /// The engine libraries, compiled into `cache` if needed (as a build does).
    public static func libraries(cache: URL) throws(DiagnosticsError) -> URL {
        try Toolchain.find().buildLibraries(EngineSources.locate(), cache: cache)
    }
}
