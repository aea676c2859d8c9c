import Foundation
import NotebookSupport

/// Compiles and runs one note's cells and turns what happened into a `NotebookResult`.
struct NotebookRunner {
    let toolchain: Toolchain
    /// Folder of the compiled engine modules.
    let libraries: URL
    let modules: [String]
    /// Where the program runs.
    let sandbox: Sandbox
    /// The folder the program runs in (the notes folder, so `data/…` paths work).
    let workingDirectory: URL
    /// Seconds the whole note may run.
    let noteTimeout: Double

    private typealias CellResult = NotebookResult.CellResult

    /// A run's result, and whether it may be cached.
    struct Run {
        var result: NotebookResult
        /// False when a time limit stopped the program: a slower or busier machine's result,
        /// which must not stick until the note changes.
        var cacheable = true
    }

    /// Compiles and runs `notebook`, using `scratch` for its files.
    func run(_ notebook: Notebook, scratch: URL) throws -> Run {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let modules = EngineSources.modules(modules, for: notebook)
        var generator = ProgramGenerator(notebook: notebook, modules: modules)
        let runnable = notebook.runnableCells
        let mainCells = runnable.filter { $0.options.expectation != .compileError }
        var results: [Int: CellResult] = [:]
        var inlineValues: [Int: NotebookResult.InlineValue] = [:]

        // `expect=compile-error` cells are type-checked on their own, alongside the main compile.
        let expectedErrors = runnable.filter { $0.options.expectation == .compileError }
        let main = scratch.appendingPathComponent("main.swift"), binary = scratch.appendingPathComponent("note")
        let (runner, program) = (self, generator)
        let compiles = try Parallel.tryMap(1 + expectedErrors.count) { item -> (checked: CellResult?, compile: ProcessRunner.Result?) in
            guard item == 0 else {
                return (try runner.checkCompileError(expectedErrors[item - 1], generator: program, scratch: scratch), nil)
            }
            return (nil, try runner.compile(program, main: main, binary: binary))
        }
        for case let checked? in compiles.dropFirst().map(\.checked) { results[checked.index] = checked }
        var compiled = compiles[0].compile!

        // An inline value that does not compile is that value's error: the program is compiled
        // again without it, so that the cells and the other values still run.
        while compiled.status != .exited(0) {
            let errors = CompilerDiagnostic.parse(compiled.stderr)
            var broken: [Int: CompilerDiagnostic] = [:]
            for error in errors { if case .inline(let index)? = error.location?.unit, broken[index] == nil { broken[index] = error } }
            guard !broken.isEmpty else { break }
            for (index, error) in broken {
                inlineValues[index] = .error(.init("does not compile: " + error.message))
                generator.excludedInlineValues.insert(index)
            }
            compiled = try compile(generator, main: main, binary: binary)
        }
        guard compiled.status == .exited(0) else {
            let errors = CompilerDiagnostic.parse(compiled.stderr)
            for cell in mainCells {
                let own = errors.filter { $0.location?.unit == .cell(cell.index) }
                results[cell.index] = own.first.map { first in
                    CellResult(index: cell.index, outcome: .failed(.init("does not compile: " + first.message)),
                               compilerErrors: own)
                } ?? CellResult(index: cell.index, outcome: .notRun)
            }
            let located = errors.contains { error in mainCells.contains { error.location?.unit == .cell($0.index) } }
            if !located, let first = mainCells.first {
                results[first.index] = CellResult(index: first.index, outcome: .failed(.init("the note's program does not compile")),
                                                  compilerErrors: errors)
                if errors.isEmpty { results[first.index]?.stderr = compiled.stderr }
            }
            for value in notebook.inlineValues where inlineValues[value.index] == nil {
                inlineValues[value.index] = .notEvaluated("the note's program does not compile")
            }
            return Run(result: NotebookResult(cells: runnable.compactMap { results[$0.index] }, inlineValues: inlineValues))
        }
        let run = try execute(binary, cells: mainCells, scratch: scratch)
        for cell in mainCells { results[cell.index] = run.cells[cell.index] }
        inlineValues.merge(run.inlineValues) { compileError, _ in compileError }
        return Run(result: NotebookResult(cells: runnable.compactMap { results[$0.index] }, inlineValues: inlineValues),
                   cacheable: run.status != .timedOut)
    }

    private func compile(_ generator: ProgramGenerator, main: URL, binary: URL) throws -> ProcessRunner.Result {
        try generator.program().write(to: main, atomically: true, encoding: .utf8)
        return try ProcessRunner.run(toolchain.swiftc, toolchain.programArguments(
            main: main, output: binary, libraries: libraries, modules: generator.modules, typecheckOnly: false), timeout: 600)
    }

    // MARK: - Running

    private func execute(_ binary: URL, cells: [Notebook.Cell], scratch: URL) throws
        -> (cells: [Int: CellResult], inlineValues: [Int: NotebookResult.InlineValue], status: ProcessRunner.Status) {
        let stdout = scratch.appendingPathComponent("stdout"), stderr = scratch.appendingPathComponent("stderr")
        let events = scratch.appendingPathComponent("events")
        var watch = ProgressWatch(events: events, cells: cells, streams: [stdout, stderr])
        let environment = [RuntimeProtocol.Environment.eventsDescriptor: String(RuntimeProtocol.eventsDescriptor),
                           RuntimeProtocol.Environment.workingDirectory: workingDirectory.path,
                           "SWIFT_BACKTRACE": Self.backtraceSettings]
        var command = sandbox.command(binary, environment: environment,
                                      readOnly: [workingDirectory, libraries, binary.deletingLastPathComponent()],
                                      workingDirectory: workingDirectory)
        let processLimit = ProcessCountLimit.make(limit: sandbox.limits.processes)
        if let processLimit { command = processLimit.wrapping(command) }
        let registration = Interruption.register(cleanup: { processLimit?.remove() })
        defer {
            processLimit?.remove()
            registration.end()
        }
        let status = sandbox.programStatus(try ProcessRunner.spawnAndWait(
            command.executable, command.arguments, environment: sandbox.kind == .none ? environment : [:],
            inheritEnvironment: sandbox.kind == .none,
            stdout: stdout, stderr: stderr, events: events, timeout: noteTimeout, poll: { watch.shouldStop() }))
        var parsed = OutputParser().parse(events: (try? Data(contentsOf: events)) ?? Data(),
                                          stdout: (try? Data(contentsOf: stdout)) ?? Data(),
                                          stderr: (try? Data(contentsOf: stderr)) ?? Data())
        var results: [Int: CellResult] = [:]
        var inlineValues = parsed.inlineValues
        // A crash while evaluating an inline value belongs to that value, not to the cell before it.
        let last = parsed.inlineInProgress == nil ? parsed.started.last : nil
        if let inline = parsed.inlineInProgress, !parsed.finished {
            let (own, crash) = CrashReport.read(stderr: parsed.started.last.flatMap { parsed.stderr[$0] } ?? parsed.stderrBeforeCells)
            inlineValues[inline] = .error(failure(status, watch: watch, crash: crash))
            if let cell = parsed.started.last { parsed.stderr[cell] = own.isEmpty ? nil : own + "\n" }
        }
        for cell in cells {
            var result = CellResult(index: cell.index, outcome: .notRun,
                                    stdout: parsed.stdout[cell.index] ?? "", stderr: parsed.stderr[cell.index] ?? "",
                                    rich: parsed.rich[cell.index] ?? [])
            guard parsed.started.contains(cell.index) else {
                results[cell.index] = result
                continue
            }
            let completed = parsed.finished || cell.index != last
            if !completed {
                let (own, crash) = CrashReport.read(stderr: result.stderr)
                result.stderr = own
                if status != .timedOut { result.crash = crash }
                result.outcome = .failed(failure(status, watch: watch, crash: crash))
            } else if cell.options.expectation == .crash {
                if case .signal? = parsed.crashStatus[cell.index] {
                    let (own, crash) = CrashReport.read(stderr: result.stderr)
                    result.stderr = own
                    result.crash = crash
                    result.outcome = .passed
                } else {
                    result.outcome = .failed(.init("expected a crash (expect=crash), but the cell ran to its end"))
                }
            } else {
                result.outcome = .passed
            }
            result.stdout = OutputParser.truncated(result.stdout)
            result.stderr = OutputParser.truncated(result.stderr)
            results[cell.index] = result
        }
        // A program that ended before its first cell (it could not start, or something removed
        // its records) fails its first cell: no cell may pass unseen.
        if parsed.started.isEmpty, !parsed.finished, let first = cells.first {
            var result = results[first.index] ?? CellResult(index: first.index, outcome: .notRun)
            result.stderr = OutputParser.truncated(parsed.stderrBeforeCells)
            result.outcome = .failed(.init("the note's program ended before its first cell (\(status))"))
            results[first.index] = result
        }
        return (results, inlineValues, status)
    }

    /// The Swift runtime's crash reporter, set to print a short, symbolicated trace without
    /// registers or images (only the crashing frame's cell line is kept from it).
    static let backtraceSettings = "enable=yes,interactive=no,color=no,sanitize=yes,preset=friendly,threads=crashed,registers=none,images=none"

    private func failure(_ status: ProcessRunner.Status, watch: ProgressWatch, crash: CrashReport) -> NotebookResult.Failure {
        switch status {
        case .timedOut:
            if let reason = watch.stopReason { return .init(reason) }
            return .init("the note ran longer than its time limit of \(Self.seconds(noteTimeout)) and was stopped")
        case .signaled(let signal):
            let failure = crash.failure
            let memory = failure.message.contains("failed to allocate")
                ? " (a note's processes may use \(sandbox.limits.memory >> 30) GiB of memory each)" : ""
            return .init("crashed with \(ProcessRunner.Status.signaled(signal)): " + failure.message + memory, at: failure.location)
        case .exited(let code):
            return .init("the program exited with status \(code) in this cell" + (crash.fatalError.map { ": " + $0 } ?? ""))
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    // MARK: - expect=compile-error

    private func checkCompileError(_ cell: Notebook.Cell, generator: ProgramGenerator, scratch: URL) throws -> CellResult {
        let source = scratch.appendingPathComponent("cell-\(cell.index).swift")
        try generator.program(upTo: cell).write(to: source, atomically: true, encoding: .utf8)
        let check = try ProcessRunner.run(toolchain.swiftc, toolchain.programArguments(
            main: source, output: source, libraries: libraries, modules: generator.modules, typecheckOnly: true), timeout: 600)
        let errors = CompilerDiagnostic.parse(check.stderr)
        let own = errors.filter { $0.location?.unit == .cell(cell.index) }
        if !own.isEmpty {
            return CellResult(index: cell.index, outcome: .passed, compilerErrors: own)
        }
        if check.status == .exited(0) {
            return CellResult(index: cell.index, outcome: .failed(.init("expected a compile error (expect=compile-error), but the cell compiles")))
        }
        return CellResult(index: cell.index, outcome: .failed(.init("the cells before this one do not compile")),
                          stderr: errors.isEmpty ? check.stderr : "", compilerErrors: errors)
    }
}
