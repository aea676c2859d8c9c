import Foundation

/// Compiles and runs one note's cells and turns what happened into a `NotebookResult`.
struct NotebookRunner {
    let toolchain: Toolchain
    /// Folder of the compiled engine modules.
    let libraries: URL
    let modules: [String]
    /// The folder the program runs in (the notes folder, so `data/…` paths work).
    let workingDirectory: URL
    /// Seconds the whole note may run.
    let noteTimeout: Double

    /// Compiles and runs `notebook`, using `scratch` for its files.
    ///
    /// Locations in the result name placeholder files (`@cell-3@:2`); `SourceMap` maps them.
    func run(_ notebook: Notebook, scratch: URL) throws -> NotebookResult {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let generator = ProgramGenerator(notebook: notebook, modules: modules)
        let main = scratch.appendingPathComponent("main.swift")
        let binary = scratch.appendingPathComponent("note")
        try generator.program().write(to: main, atomically: true, encoding: .utf8)
        var results: [Int: NotebookResult.CellResult] = [:]
        let runnable = notebook.runnableCells

        // `expect=compile-error` cells are type-checked on their own, alongside the main compile.
        let expectedErrors = runnable.filter { $0.options.expectation == .compileError }
        let checks = ConcurrentResults<NotebookResult.CellResult>(count: expectedErrors.count)
        let group = DispatchGroup()
        for (position, cell) in expectedErrors.enumerated() {
            DispatchQueue.global().async(group: group) {
                checks.set(position, Result { try checkCompileError(cell, generator: generator, scratch: scratch) })
            }
        }
        let mainCells = runnable.filter { $0.options.expectation != .compileError }
        let compile = try ProcessRunner.run(toolchain.swiftc, toolchain.programArguments(
            main: main, output: binary, libraries: libraries, modules: modules, typecheckOnly: false), timeout: 600)
        group.wait()
        for (position, cell) in expectedErrors.enumerated() {
            results[cell.index] = try checks.value(position).get()
        }
        guard compile.status == .exited(0) else {
            let errors = CompilerDiagnostic.parse(compile.stderr)
            for cell in mainCells {
                let own = errors.filter { $0.cell == cell.index }
                results[cell.index] = own.isEmpty
                    ? .init(index: cell.index, outcome: .notRun)
                    : .init(index: cell.index, outcome: .failed(message: "does not compile: " + own[0].message),
                            stderr: own.map(\.text).joined(separator: "\n"))
            }
            if !errors.contains(where: { error in mainCells.contains { $0.index == error.cell } }), let first = mainCells.first {
                results[first.index] = .init(index: first.index, outcome: .failed(message: "the note's program does not compile"),
                                             stderr: compile.stderr)
            }
            return NotebookResult(cells: runnable.compactMap { results[$0.index] })
        }
        let run = try execute(binary, cells: mainCells, scratch: scratch)
        for cell in mainCells { results[cell.index] = run.cells[cell.index] }
        return NotebookResult(cells: runnable.compactMap { results[$0.index] }, inlineValues: run.inlineValues)
    }

    // MARK: - Running

    private func execute(_ binary: URL, cells: [Notebook.Cell], scratch: URL) throws
        -> (cells: [Int: NotebookResult.CellResult], inlineValues: [Int: NotebookResult.InlineValue]) {
        let nonce = UUID().uuidString
        let stdout = scratch.appendingPathComponent("stdout"), stderr = scratch.appendingPathComponent("stderr")
        let progress = scratch.appendingPathComponent("progress")
        var watch = ProgressWatch(file: progress, cells: cells, stdout: stdout)
        let status = try ProcessRunner.spawnAndWait(
            binary, [], environment: ["NOTES_RUN_NONCE": nonce, "NOTES_PROGRESS_FILE": progress.path,
                                      "NOTES_WORKING_DIRECTORY": workingDirectory.path,
                                      "SWIFT_BACKTRACE": Self.backtraceSettings],
            stdout: stdout, stderr: stderr, timeout: noteTimeout, poll: { watch.shouldStop() })
        var parsed = OutputParser(nonce: nonce).parse(
            stdout: String(decoding: (try? Data(contentsOf: stdout)) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: stderr)) ?? Data(), as: UTF8.self))
        var results: [Int: NotebookResult.CellResult] = [:]
        var inlineValues = parsed.inlineValues
        // A crash while evaluating an inline value belongs to that value, not to the cell before it.
        let last = parsed.inlineInProgress == nil ? parsed.started.last : nil
        if let inline = parsed.inlineInProgress, !parsed.finished {
            let crash = CrashReport(stderr: parsed.started.last.flatMap { parsed.stderr[$0] } ?? "")
            inlineValues[inline] = .error(failure(status, watch: watch, crash: crash))
            if let cell = parsed.started.last { parsed.stderr[cell] = crash.ownOutput.isEmpty ? nil : crash.ownOutput + "\n" }
        }
        for cell in cells {
            var result = NotebookResult.CellResult(index: cell.index, outcome: .notRun,
                                                   stdout: parsed.stdout[cell.index] ?? "", stderr: parsed.stderr[cell.index] ?? "",
                                                   rich: parsed.rich[cell.index] ?? [])
            guard parsed.started.contains(cell.index) else {
                results[cell.index] = result
                continue
            }
            let completed = parsed.finished || cell.index != last
            if !completed {
                let crash = CrashReport(stderr: result.stderr)
                result.stderr = status == .timedOut ? crash.ownOutput : crash.shownOutput
                result.outcome = .failed(message: failure(status, watch: watch, crash: crash))
            } else if cell.options.expectation == .crash {
                let how = parsed.crashStatus[cell.index] ?? "exit 0"
                let crash = CrashReport(stderr: result.stderr)
                result.stderr = how.hasPrefix("signal") ? crash.shownOutput : result.stderr
                result.outcome = how.hasPrefix("signal")
                    ? .passed
                    : .failed(message: "expected a crash (expect=crash), but the cell ran to its end")
            } else {
                result.outcome = .passed
            }
            results[cell.index] = result
        }
        return (results, inlineValues)
    }

    /// The Swift runtime's crash reporter, set to print a short, symbolicated trace without
    /// registers or images (only the crashing frame's cell line is kept from it).
    static let backtraceSettings = "enable=yes,interactive=no,color=no,sanitize=yes,preset=friendly,threads=crashed,registers=none,images=none"

    private func failure(_ status: ProcessRunner.Status, watch: ProgressWatch, crash: CrashReport) -> String {
        let detail = ": " + crash.summary
        switch status {
        case .timedOut:
            if let reason = watch.stopReason { return reason }
            return "the note ran longer than its time limit of \(Self.seconds(noteTimeout)) and was stopped"
        case .signaled(let signal):
            return "crashed with \(ProcessRunner.Status.signaled(signal))" + detail
        case .exited(let code):
            return "the program exited with status \(code) in this cell" + (crash.fatalError.map { ": " + $0 } ?? "")
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    // MARK: - expect=compile-error

    private func checkCompileError(_ cell: Notebook.Cell, generator: ProgramGenerator, scratch: URL) throws
        -> NotebookResult.CellResult {
        let source = scratch.appendingPathComponent("cell-\(cell.index).swift")
        try generator.program(upTo: cell).write(to: source, atomically: true, encoding: .utf8)
        let check = try ProcessRunner.run(toolchain.swiftc, toolchain.programArguments(
            main: source, output: source, libraries: libraries, modules: modules, typecheckOnly: true), timeout: 600)
        let errors = CompilerDiagnostic.parse(check.stderr)
        let own = errors.filter { $0.cell == cell.index }
        if !own.isEmpty {
            return .init(index: cell.index, outcome: .passed, stderr: own.map(\.text).joined(separator: "\n"))
        }
        if check.status == .exited(0) {
            return .init(index: cell.index, outcome: .failed(message: "expected a compile error (expect=compile-error), but the cell compiles"))
        }
        return .init(index: cell.index, outcome: .failed(message: "the cells before this one do not compile"), stderr: check.stderr)
    }
}

/// Results written by concurrent jobs, one slot each.
final class ConcurrentResults<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Value, any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ position: Int, _ value: Result<Value, any Error>) {
        lock.lock()
        slots[position] = value
        lock.unlock()
    }

    func value(_ position: Int) -> Result<Value, any Error> {
        lock.lock()
        defer { lock.unlock() }
        return slots[position] ?? .failure(ProcessError(message: "the check did not run"))
    }
}
