import NotebookSupport

/// Writes a note's live cells as Swift for its two builds: the browser's WebAssembly module and
/// the native program that runs each widget's scenario at build time.
///
/// Both builds compile the same cell text, wrapped in `#sourceLocation` as in `ProgramGenerator`
/// so that errors point into the cells. The module's exports and the native driver go through
/// `LiveHost`, so the browser and the build run the same code on the same events.
struct LiveProgram {
    let notebook: Notebook

    /// The modules live cells see, in both builds.
    static let imports = EngineSources.liveModules

    /// The live cells, in order.
    func cells() -> String {
        var source = Self.imports.map { "import \($0)\n" }.joined()
        for cell in notebook.liveCells {
            var code = cell.code
            if !code.hasSuffix("\n") { code += "\n" }
            source += "#sourceLocation(file: \"\(RuntimeProtocol.Unit.cell(cell.index).fileName)\", line: 1)\n" + code + "#sourceLocation()\n"
        }
        return source
    }

    private var widgets: [String] { notebook.widgetCells.compactMap(\.widget) }

    /// The module's exports: numbers in, numbers out (addresses are offsets in its memory).
    func exports() -> String {
        var source = "// The exports the page's live.js calls; widget k is the k-th widget cell.\nimport LiveSupport\n"
        for (k, widget) in widgets.enumerated() { source += "var notesLiveHost\(k) = LiveHost<\(widget)>()\n" }
        func export(_ name: String, _ signature: String, _ result: String?, _ body: (Int) -> String) {
            source += "@_expose(wasm, \"\(name)\") @_cdecl(\"\(name)\")\n"
            source += "func \(name)(_ widget: Int32\(signature))\(result.map { " -> \($0)" } ?? "") {\n    switch widget {\n"
            for k in widgets.indices { source += "    case \(k): \(body(k))\n" }
            source += "    default: \(result == nil ? "break" : "return 0")\n    }\n}\n"
        }
        source += """
            @_expose(wasm, "notes_live_widgets") @_cdecl("notes_live_widgets")
            func notes_live_widgets() -> Int32 { \(widgets.count) }

            """
        export("notes_live_send", ", _ kind: Int32, _ control: Int32, _ value: Double, _ x: Double, _ y: Double", nil) {
            "if let kind = LiveEvent.Kind(rawValue: Int(kind)) { notesLiveHost\($0).send(LiveEvent(kind, control: Int(control), value: value, x: x, y: y)) }"
        }
        export("notes_live_frame", "", nil) { "notesLiveHost\($0).frame()" }
        export("notes_live_reset", "", nil) { "notesLiveHost\($0).reset()" }
        export("notes_live_ops", "", "Int32") { "return Int32(notesLiveHost\($0).list.opsAddress)" }
        export("notes_live_ops_count", "", "Int32") { "return Int32(notesLiveHost\($0).list.ops.count)" }
        export("notes_live_text", "", "Int32") { "return Int32(notesLiveHost\($0).list.textAddress)" }
        export("notes_live_text_count", "", "Int32") { "return Int32(notesLiveHost\($0).list.text.count)" }
        export("notes_live_scenario_begin", "", nil) { "notesLiveHost\($0).beginScenario()" }
        export("notes_live_scenario_next", "", "Int32") { "return notesLiveHost\($0).nextScenarioFrame() ? 1 : 0" }
        export("notes_live_scenario_error", "", "Int32") { "return Int32(notesLiveHost\($0).scenarioErrorAddress)" }
        export("notes_live_scenario_error_count", "", "Int32") { "return Int32(notesLiveHost\($0).scenarioError?.count ?? 0)" }
        return source
    }

    /// The native program: runs every widget's scenario and writes its frames to stdout as
    /// `LiveRecord`s, which the build compares with the module's run of the same scenario.
    func driver() -> String {
        var source = """
            import LiveSupport
            #if canImport(Glibc)
            import Glibc
            #endif

            @main enum NotesLiveDriver {
                /// Writes a record at once, so that a crash loses none of the frames before it.
                static func emit(_ bytes: [UInt8]) {
                    bytes.withUnsafeBufferPointer { _ = fwrite($0.baseAddress, 1, $0.count, stdout) }
                    fflush(stdout)
                }

                static func main() {

            """
        for (k, widget) in widgets.enumerated() {
            source += """
                        var host\(k) = LiveHost<\(widget)>()
                        emit(LiveRecord.begin(widget: \(k)))
                        host\(k).beginScenario()
                        while host\(k).nextScenarioFrame() { emit(LiveRecord.frame(widget: \(k), host\(k).list)) }
                        if let error = host\(k).scenarioError { emit(LiveRecord.error(widget: \(k), error)) }

                """
        }
        return source + "        fflush(stdout)\n    }\n}\n"
    }
}
