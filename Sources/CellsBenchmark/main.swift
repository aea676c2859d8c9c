import Foundation
import NotesKit

// Benchmark of executable notes (issue 4): build times of the course with and without the cache,
// after a prose edit and after a cell edit, and the per-note overhead of the tool's compile-and-run
// over a bare `swiftc` + run of the same generated program, all measured in this one run.
// Usage: swift run -c release cells-benchmark [--notes notes] [--rounds 5]

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: String) -> String {
    arguments.firstIndex(of: name).map { arguments[$0 + 1] } ?? fallback
}
let notesSource = URL(fileURLWithPath: option("--notes", "notes"))
let rounds = Int(option("--rounds", "5")) ?? 5
let work = FileManager.default.temporaryDirectory.appendingPathComponent("cells-benchmark-\(getpid())")
let notes = work.appendingPathComponent("notes")
try? FileManager.default.removeItem(at: work)
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
try FileManager.default.copyItem(at: notesSource, to: notes)
defer { try? FileManager.default.removeItem(at: work) }

func options(cache: URL?) -> BuildOptions {
    BuildOptions(notes: notes, output: work.appendingPathComponent("site"), cache: cache)
}

/// Seconds of one build, failing loudly on errors.
func build(cache: URL?) -> (seconds: Double, summary: BuildSummary) {
    let clock = ContinuousClock()
    let started = clock.now
    do {
        let summary = try SiteBuilder(options: options(cache: cache)).build()
        return ((clock.now - started).seconds, summary)
    } catch {
        FileHandle.standardError.write(Data("build failed:\n\(error)\n".utf8))
        exit(1)
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func row(_ name: String, _ values: [Double], reference: Double? = nil) {
    let m = median(values)
    var line = name.padding(toLength: 36, withPad: " ", startingAt: 0)
        + String(format: "median %8.3f s   (min %.3f, max %.3f, n=%d)", m, values.min()!, values.max()!, values.count)
    if let reference { line += String(format: "   %.2f× of cold", m / reference) }
    print(line)
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

let cache = work.appendingPathComponent(".cache")
let noteFiles = try FileManager.default.contentsOfDirectory(at: notes, includingPropertiesForKeys: nil)
    .filter { $0.pathExtension == "md" }.sorted { $0.path < $1.path }
guard let edited = noteFiles.first(where: { (try? String(contentsOf: $0, encoding: .utf8))?.contains("```swift") == true }) else {
    print("no note with Swift cells in \(notesSource.path)")
    exit(1)
}
let original = try String(contentsOf: edited, encoding: .utf8)
let programs = try ProgramInspection.programs(in: notes)
guard let firstCodeLine = programs.first(where: { $0.file == edited.lastPathComponent })?.firstCellLine else {
    print("no runnable cell in \(edited.lastPathComponent)")
    exit(1)
}
let firstCellLine = firstCodeLine - 1 // index of the cell's first code line

var cold: [Double] = [], cached: [Double] = [], prose: [Double] = [], cell: [Double] = [], toolOwn: [Double] = []
var last: BuildSummary?
for round in 0..<rounds {
    try? FileManager.default.removeItem(at: cache)
    let first = build(cache: cache)
    cold.append(first.seconds)
    let again = build(cache: cache)
    cached.append(again.seconds)
    // The tool's own time in a fully cached build: everything but the (empty) compile-and-run stage.
    toolOwn.append(again.summary.seconds)
    try (original + "\n\nA paragraph of prose added in round \(round).\n").write(to: edited, atomically: true, encoding: .utf8)
    prose.append(build(cache: cache).seconds)
    // A cell edit: one line added at the top of the note's first runnable cell.
    var lines = original.components(separatedBy: "\n")
    lines.insert("let benchmarkRound\(round) = \(round)", at: firstCellLine)
    try lines.joined(separator: "\n").write(to: edited, atomically: true, encoding: .utf8)
    let afterCell = build(cache: cache)
    cell.append(afterCell.seconds)
    last = afterCell.summary
    try original.write(to: edited, atomically: true, encoding: .utf8)
}
print("Course: \(noteFiles.count) notes, \(last?.cells.cells ?? 0) cells; edits in \(edited.lastPathComponent)")
row("cold build (empty cache)", cold)
row("rebuild, everything cached", cached, reference: median(cold))
row("rebuild after a prose edit", prose, reference: median(cold))
row("rebuild after a cell edit", cell, reference: median(cold))
print(String(format: "fully cached rebuild, tool's own time: median %.3f s (target < 1 s): %@", median(toolOwn),
             median(toolOwn) < 1 ? "PASS" : "FAIL"))

// Per-note overhead: the tool's compile-and-run of each note (in its sandbox, and with
// --no-sandbox) against a bare swiftc + run of the same generated program with the same flags
// and libraries.
setenv("NOTES_ENGINE_CACHE", work.appendingPathComponent("engine").path, 1) // compile the engine once, not per round
let libraries = try ProgramInspection.libraries(cache: work.appendingPathComponent("engine"))
print("\nPer-note overhead (tool compile+run vs bare swiftc+run of the same program), medians of \(rounds):")
var overheads: [Double] = []
for program in programs {
    var tool: [Double] = [], bare: [Double] = [], unsandboxed: [Double] = []
    let folder = work.appendingPathComponent("bare-\(program.file)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let main = folder.appendingPathComponent("main.swift"), binary = folder.appendingPathComponent("note")
    try program.source.write(to: main, atomically: true, encoding: .utf8)
    for _ in 0..<rounds {
        let clock = ContinuousClock()
        var started = clock.now
        try ProgramInspection.runAsTool(program, notesFolder: notes, scratch: work.appendingPathComponent("scratch"))
        tool.append((clock.now - started).seconds)
        started = clock.now
        try ProgramInspection.runAsTool(program, notesFolder: notes, scratch: work.appendingPathComponent("scratch"), sandboxed: false)
        unsandboxed.append((clock.now - started).seconds)
        started = clock.now
        let compiled = try ProgramInspection.compile(main: main, output: binary, libraries: libraries, modules: program.modules)
        guard compiled.status == 0 else {
            print("bare compile of \(program.file) failed:\n" + compiled.errors.split(separator: "\n").prefix(6).joined(separator: "\n"))
            exit(1)
        }
        let process = Process()
        process.executableURL = binary
        process.currentDirectoryURL = notes
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        bare.append((clock.now - started).seconds)
    }
    let overhead = median(tool) / median(bare) - 1
    // A note with live cells also gets its WebAssembly module built and its scenarios run
    // natively, which the bare program does not do: its figure is shown, not judged.
    let live = program.modules.contains("LiveSupport")
    if !live { overheads.append(overhead) }
    print(String(format: "  %-24@ tool %.3f s (%.3f s without the sandbox), bare %.3f s, overhead %+.1f%% (sandbox %+.1f%%)%@",
                 program.file as NSString, median(tool), median(unsandboxed), median(bare), overhead * 100,
                 (median(tool) / median(unsandboxed) - 1) * 100,
                 live ? "; live cells: the tool also builds their WebAssembly module" : ""))
}
if let worst = overheads.max() {
    print(String(format: "largest per-note overhead, notes without live cells: %+.1f%% (target < 20%%): %@",
                 worst * 100, worst < 0.2 ? "PASS" : "FAIL"))
}
