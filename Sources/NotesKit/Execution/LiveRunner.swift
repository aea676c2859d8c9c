import Foundation

/// Builds a note's live cells twice, for the browser (Embedded Swift → WebAssembly) and natively,
/// runs every widget's scenario in both, and requires the same frames bit for bit.
///
/// The native run, in the sandbox like every cell, gives the page its static figures (each
/// widget's first frame). The module's run is in Node, also in the sandbox, from a fresh
/// instance per widget. A live cell fails at its line when it does not compile for either
/// build, when its scenario crashes or traps, or when the two runs disagree.
struct LiveRunner {
    let toolchain: Toolchain
    /// The WebAssembly toolchain and the engine built with it, or why there are none (the page
    /// then keeps its static figures).
    let webAssembly: Result<(toolchain: WebAssemblyToolchain, modules: WebAssemblyToolchain.Modules), LiveUnavailable>
    /// Folder of the compiled native engine modules (Backprop, LiveSupport).
    let libraries: URL
    let sandbox: Sandbox
    let workingDirectory: URL
    let timeout: Double

    private typealias CellResult = NotebookResult.CellResult

    /// What the live cells came to.
    struct Run {
        var cells: [NotebookResult.CellResult]
        var live: NotebookResult.Live
        var cacheable = true
    }

    func run(_ notebook: Notebook, scratch: URL) throws -> Run {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let program = LiveProgram(notebook: notebook)
        let native = scratch.appendingPathComponent("native"), browser = scratch.appendingPathComponent("wasm")
        for folder in [native, browser] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let nativeSources = [native.appendingPathComponent("cells.swift"), native.appendingPathComponent("driver.swift")]
        try program.cells().write(to: nativeSources[0], atomically: true, encoding: .utf8)
        try program.driver().write(to: nativeSources[1], atomically: true, encoding: .utf8)
        let moduleCells = [browser.appendingPathComponent("cells.swift"), browser.appendingPathComponent("exports.swift")]
        try program.cells().write(to: moduleCells[0], atomically: true, encoding: .utf8)
        try program.exports().write(to: moduleCells[1], atomically: true, encoding: .utf8)
        let binary = native.appendingPathComponent("live"), module = browser.appendingPathComponent("note.wasm")

        // Both compiles at once: they are independent, and each uses one core.
        let (runner, toolchain, libraries) = (self, toolchain, libraries)
        let compiles = try Parallel.tryMap(2) { item -> Result<ProcessRunner.Result, LiveUnavailable> in
            if item == 0 {
                // As a note's program: quick to compile, with crash messages and lines (optimisation cannot change the bits).
                let arguments = Toolchain.programFlags + ["-parse-as-library", "-module-name", "NoteLiveNative",
                                                          "-I", libraries.path, "-L", libraries.path,
                                                          "-Xlinker", "-rpath", "-Xlinker", libraries.path,
                                                          "-lBackprop", "-lLiveSupport", "-o", binary.path] + nativeSources.map(\.path)
                return .success(try ProcessRunner.run(toolchain.swiftc, arguments, timeout: 600))
            }
            return try runner.buildModule(moduleCells, in: browser, output: module)
        }
        let nativeCompile = try compiles[0].get()
        var cells: [Int: CellResult] = [:]
        for cell in notebook.liveCells { cells[cell.index] = CellResult(index: cell.index, outcome: .passed) }
        var live = NotebookResult.Live()
        func finish(cacheable: Bool = true) -> Run {
            Run(cells: notebook.liveCells.compactMap { cells[$0.index] }, live: live, cacheable: cacheable)
        }
        guard nativeCompile.status == .exited(0) else {
            attribute(CompilerDiagnostic.parse(nativeCompile.stderr), stderr: nativeCompile.stderr, notebook: notebook,
                      prefix: "does not compile", to: &cells)
            return finish()
        }

        // The native scenario runs: the reference, and the static figures.
        let stdout = native.appendingPathComponent("frames"), stderr = native.appendingPathComponent("stderr")
        let command = sandbox.command(binary, environment: ["SWIFT_BACKTRACE": NotebookRunner.backtraceSettings],
                                      readOnly: [workingDirectory, libraries, native], workingDirectory: workingDirectory)
        let status = sandbox.programStatus(try ProcessRunner.spawnAndWait(
            command.executable, command.arguments, environment: [:], inheritEnvironment: sandbox.kind == .none,
            stdout: stdout, stderr: stderr, timeout: timeout, poll: { false }))
        let reference = LiveRecords((try? Data(contentsOf: stdout)) ?? Data())
        let widgets = notebook.widgetCells
        for (k, cell) in widgets.enumerated() {
            if let first = reference.frames[k]?.first { live.firstFrames[cell.index] = first }
            if let last = reference.frames[k]?.last { live.lastFrames[cell.index] = last }
            live.scenarioFrames[cell.index] = reference.frames[k]?.count ?? 0
            if let error = reference.errors[k] { cells[cell.index]?.outcome = .failed(.init(error)) }
        }
        if status != .exited(0) {
            let crashed = reference.begun.last.map { widgets[$0] } ?? widgets.first
            let (own, crash) = CrashReport.read(stderr: (try? String(contentsOf: stderr, encoding: .utf8)) ?? "")
            if let crashed {
                let failure = status == .timedOut
                    ? NotebookResult.Failure("the widget's scenario ran longer than the note's time limit of \(NotebookRunner.seconds(timeout))")
                    : NotebookResult.Failure("its scenario crashed natively (\(status)): " + crash.failure.message, at: crash.failure.location)
                cells[crashed.index]?.outcome = .failed(failure)
                cells[crashed.index]?.stderr = OutputParser.truncated(own)
                if status != .timedOut { cells[crashed.index]?.crash = crash }
            }
            return finish(cacheable: status != .timedOut)
        }

        // The module: built, then run on the same scenarios.
        let built: ProcessRunner.Result
        switch compiles[1] {
        case .failure(let unavailable):
            live.unavailable = unavailable.description
            return finish()
        case .success(let result):
            built = result
        }
        guard built.status == .exited(0) else {
            attribute(CompilerDiagnostic.parse(built.stderr), stderr: built.stderr, notebook: notebook,
                      prefix: "does not compile for the browser (Embedded Swift, the subset of Swift that runs in WebAssembly)",
                      to: &cells)
            return finish()
        }
        live.module = try Data(contentsOf: module)
        let checker = try checkerScript(in: browser)
        let node = URL(fileURLWithPath: try KaTeXRenderer.findNode())
        // V8 reserves about 10 GiB of address space per WebAssembly memory for its bounds checks;
        // the module's own memory is capped at link time (WebAssemblyToolchain.linkFlags).
        var nodeSandbox = sandbox
        nodeSandbox.limits.memory = 64 << 30
        let nodeCommand = nodeSandbox.command(node, arguments: [checker.path, module.path], environment: [:],
                                          readOnly: [browser], workingDirectory: browser)
        let framesOut = browser.appendingPathComponent("frames"), nodeErrors = browser.appendingPathComponent("stderr")
        let nodeStatus = sandbox.programStatus(try ProcessRunner.spawnAndWait(
            nodeCommand.executable, nodeCommand.arguments, environment: [:], inheritEnvironment: sandbox.kind == .none,
            stdout: framesOut, stderr: nodeErrors, timeout: timeout, poll: { false }))
        let browserRun = LiveRecords((try? Data(contentsOf: framesOut)) ?? Data())
        for (k, cell) in widgets.enumerated() {
            guard case .passed? = cells[cell.index]?.outcome else { continue }
            if let trap = browserRun.traps[k] {
                cells[cell.index]?.outcome = .failed(.init("the browser's WebAssembly build traps in the widget's scenario (\(trap)), which runs natively"))
            } else if nodeStatus != .exited(0), browserRun.frames[k] == nil {
                let said = ((try? String(contentsOf: nodeErrors, encoding: .utf8)) ?? "").split(separator: "\n")
                    .filter { !$0.hasPrefix("file://") && !$0.hasPrefix("    at ") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }.prefix(3)
                cells[cell.index]?.outcome = .failed(.init("the WebAssembly module could not be run in Node (\(nodeStatus))" + (said.isEmpty ? "" : ": " + said.joined(separator: " "))))
            } else if let difference = LiveRecords.firstDifference(native: reference.frames[k] ?? [], wasm: browserRun.frames[k] ?? []) {
                cells[cell.index]?.outcome = .failed(.init("the browser's WebAssembly build disagrees with the native build: \(difference)"))
            }
        }
        return finish(cacheable: nodeStatus == .exited(0)) // Node that fails to start is this machine's problem
    }

    /// Compiles and links the module; `.failure` when this toolchain cannot build WebAssembly.
    private func buildModule(_ cells: [URL], in folder: URL, output: URL) throws -> Result<ProcessRunner.Result, LiveUnavailable> {
        let (webAssembly, modules): (WebAssemblyToolchain, WebAssemblyToolchain.Modules)
        switch self.webAssembly {
        case .failure(let unavailable): return .failure(unavailable)
        case .success(let found): (webAssembly, modules) = found
        }
        let object = folder.appendingPathComponent("note.o")
        let compile = try webAssembly.compile(cells, modules: modules, object: object)
        guard compile.status == .exited(0) else { return .success(compile) }
        let linked = folder.appendingPathComponent("linked.wasm")
        let link = try ProcessRunner.run(webAssembly.wasmLD, webAssembly.linkArguments([object] + modules.objects, output: linked), timeout: 120)
        // A symbol the runtime lacks (say `fmod`, from `truncatingRemainder`) is the cells' problem: shown as their error.
        guard link.status == .exited(0) else { return .success(link) }
        if let wasmOpt = webAssembly.wasmOpt {
            let optimized = try ProcessRunner.run(wasmOpt, webAssembly.optimizeArguments(linked, output: output), timeout: 300)
            guard optimized.status == .exited(0) else {
                return .failure(LiveUnavailable("wasm-opt cannot optimise the live module: " + (optimized.stderr.split(separator: "\n").first.map(String.init) ?? "\(optimized.status)")))
            }
        } else {
            try FileManager.default.moveItem(at: linked, to: output)
        }
        return .success(compile)
    }

    /// Gives each cell its own compiler errors; errors outside the cells go to the first live cell.
    private func attribute(_ errors: [CompilerDiagnostic], stderr: String, notebook: Notebook, prefix: String,
                           to cells: inout [Int: CellResult]) {
        var located = false
        for cell in notebook.liveCells {
            let own = errors.filter { $0.location?.unit == .cell(cell.index) }
            guard let first = own.first else { continue }
            located = true
            cells[cell.index] = CellResult(index: cell.index, outcome: .failed(.init(prefix + ": " + first.message)), compilerErrors: own)
        }
        if !located, let first = notebook.liveCells.first {
            cells[first.index] = CellResult(index: first.index, outcome: .failed(.init("the note's live cells do not compile (\(prefix))")),
                                            stderr: errors.isEmpty ? OutputParser.truncated(stderr) : "", compilerErrors: errors)
        }
    }

    /// Copies the Node runner of the module's scenarios next to the module (the sandbox sees that folder).
    private func checkerScript(in folder: URL) throws -> URL {
        guard let script = Bundle.module.url(forResource: "live-check", withExtension: "js", subdirectory: "Resources/Live") else {
            throw LiveUnavailable("the live-cell checker (Resources/Live/live-check.js) is missing from this build of notes")
        }
        let copy = folder.appendingPathComponent("live-check.js")
        try? FileManager.default.removeItem(at: copy)
        try FileManager.default.copyItem(at: script, to: copy)
        return copy
    }
}
