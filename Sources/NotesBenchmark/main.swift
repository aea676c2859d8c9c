// notes-benchmark: how fast `notes build` is on a large course, next to Hugo on the same Markdown.
//
// Generates a deterministic corpus (1,000 notes of ~1,500 words and 20 display equations each by
// default) in a temporary folder, then measures in one run:
//   - notes cold build: empty math cache, no output folder (starts node, typesets every formula);
//   - notes rebuild with unchanged input: warm cache, previous site in place;
//   - notes rebuild after a prose edit of one note (another note each run): one page rendered;
//   - Hugo building the same Markdown files (math left as text) as a subprocess, output and
//     resources/ removed first; once as configured (Chroma highlights the Swift fences, as notes
//     highlights them) and once with highlighting off, a stricter reference.
// Prints medians with min–max, pages per second, formulas typeset per second in the cold build
// (formulas sent to KaTeX / seconds of the math stage), the ratios against Hugo marked PASS/FAIL
// against the targets (unchanged rebuild ≤ 1 s and ≤ 0.2× Hugo, prose edit ≤ 1.5 s, ≥ 2,000
// formulas/s), and checks that the cold builds and unchanged rebuilds wrote byte-identical output.
// Exits 0 unless something crashed or a build failed.
//
// Usage: swift run -c release notes-benchmark [--notes N] [--cold N] [--rebuild N] [--hugo N]
//                                             [--hugo-path PATH] [--keep] [--quiet] [--write-corpus DIR [--write-hugo DIR]]
// Defaults: 1,000 notes, 3 cold builds, 5 rebuilds, 5 Hugo builds of each kind (--hugo 0: none).
// Set NOTES_BENCH_STAGES=1 to print the stage timings (and CPU time) of every build.

import Foundation
import NotesKit

// MARK: - Options

struct Options {
    var notes = 1_000
    var coldRuns = 3
    var rebuildRuns = 5
    var hugoRuns = 5
    var hugo: String?
    var keep = false
    var quiet = false
    /// Write the corpus's notes to this folder and stop (for script/bench-serve).
    var writeCorpus: String?
    /// With `writeCorpus`, also write the Hugo site of the same notes here.
    var writeHugo: String?
    var stages = ProcessInfo.processInfo.environment["NOTES_BENCH_STAGES"].map { !$0.isEmpty && $0 != "0" } ?? false

    init(_ arguments: [String]) {
        var rest = arguments[...]
        func number(_ name: String, allowZero: Bool = false) -> Int {
            guard let text = rest.popFirst(), let value = Int(text), value >= (allowZero ? 0 : 1) else {
                fail("\(name) needs a positive number")
            }
            return value
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--notes": notes = number(argument)
            case "--cold": coldRuns = number(argument)
            case "--rebuild": rebuildRuns = number(argument)
            case "--hugo": hugoRuns = number(argument, allowZero: true)
            case "--hugo-path":
                guard let path = rest.popFirst() else { fail("--hugo-path needs a path") }
                hugo = path
            case "--keep": keep = true
            case "--write-corpus":
                guard let path = rest.popFirst() else { fail("--write-corpus needs a folder") }
                writeCorpus = path
            case "--write-hugo":
                guard let path = rest.popFirst() else { fail("--write-hugo needs a folder") }
                writeHugo = path
            case "--quiet": quiet = true
            case "-h", "--help":
                print("usage: notes-benchmark [--notes N] [--cold N] [--rebuild N] [--hugo N] [--hugo-path PATH] [--keep] [--quiet] [--write-corpus DIR [--write-hugo DIR]]")
                exit(0)
            default: fail("unknown argument \(argument)")
            }
        }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("notes-benchmark: \(message)\n".utf8))
    exit(1)
}

let options = Options(Array(CommandLine.arguments.dropFirst()))

func progress(_ message: String) {
    guard !options.quiet else { return }
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

// MARK: - Statistics

struct Samples {
    var values: [Double] = []
    var median: Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
    var min: Double { values.min() ?? .nan }
    var max: Double { values.max() ?? .nan }
}

func seconds(_ value: Double) -> String { String(format: "%.3f s", value) }
func rate(_ value: Double) -> String { String(format: "%.0f", value) }

func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let result = try body()
    let (s, atto) = (clock.now - start).components
    return (result, Double(s) + Double(atto) / 1e18)
}

/// CPU time (user + system) this process has used so far, node's excluded.
func cpuSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    func value(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return value(usage.ru_utime) + value(usage.ru_stime)
}

/// A digest of every file under `folder` (paths and bytes), to check that builds are byte-identical.
func digest(of folder: URL) throws -> (files: Int, bytes: Int, hash: UInt64) {
    let manager = FileManager.default
    let paths = try manager.subpathsOfDirectory(atPath: folder.path).sorted()
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    }
    var files = 0, total = 0
    for path in paths {
        let url = folder.appendingPathComponent(path)
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
        let data = try Data(contentsOf: url)
        Array(path.utf8 + [0]).withUnsafeBytes(mix)
        data.withUnsafeBytes(mix)
        files += 1
        total += data.count
    }
    return (files, total, hash)
}

// MARK: - Corpus

let manager = FileManager.default
let root = manager.temporaryDirectory.appendingPathComponent("notes-benchmark-\(ProcessInfo.processInfo.processIdentifier)")
let notesFolder = root.appendingPathComponent("notes")
let cacheFolder = root.appendingPathComponent("cache")
let siteFolder = root.appendingPathComponent("site")
let hugoFolder = root.appendingPathComponent("hugo")
let hugoOutput = root.appendingPathComponent("hugo-public")

do {
    try? manager.removeItem(at: root)
    try manager.createDirectory(at: notesFolder, withIntermediateDirectories: true)
} catch {
    fail("cannot create \(root.path): \(error)")
}

/// The 1-minute load average, to tell a quiet machine from a busy one when reading the results.
let loadAverage = ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?
    .split(separator: " ").first).map(String.init) ?? "unknown"

progress("Generating \(options.notes) notes in \(root.path)")
let generator = CorpusGenerator(noteCount: options.notes)
let corpus = generator.generate()
if let folder = options.writeCorpus {
    do {
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for note in corpus { try Data(note.text.utf8).write(to: URL(fileURLWithPath: folder).appendingPathComponent(note.slug + ".md")) }
        if let hugo = options.writeHugo.map({ URL(fileURLWithPath: $0) }) {
            try HugoSite.write(to: hugo)
            for note in corpus { try Data(note.text.utf8).write(to: hugo.appendingPathComponent("content/\(note.slug).md")) }
        }
    } catch {
        fail("cannot write the corpus to \(folder): \(error)")
    }
    try? manager.removeItem(at: root)
    progress("Wrote \(corpus.count) notes to \(folder)")
    exit(0)
}
let corpusWords = corpus.reduce(0) { $0 + $1.text.split(whereSeparator: { $0.isWhitespace }).count }
let corpusBytes = corpus.reduce(0) { $0 + $1.text.utf8.count }
do {
    try HugoSite.write(to: hugoFolder)
    for note in corpus {
        let data = Data(note.text.utf8)
        try data.write(to: notesFolder.appendingPathComponent(note.slug + ".md"))
        try data.write(to: hugoFolder.appendingPathComponent("content/\(note.slug).md"))
    }
} catch {
    fail("cannot write the corpus: \(error)")
}

// MARK: - notes

let buildOptions = BuildOptions(notes: notesFolder, output: siteFolder, title: "Benchmark Course", cache: cacheFolder)

func build(_ label: String) -> (BuildSummary, Double) {
    do {
        let cpuBefore = cpuSeconds()
        let (summary, wall) = try timed { try SiteBuilder(options: buildOptions).build() }
        let cpu = cpuSeconds() - cpuBefore
        var line = "  \(label): \(seconds(wall))"
        if options.stages {
            line += String(format: " (load %.3f, math %.3f, render %.3f, publish %.3f; cpu %.3f; %d formulas, %d from cache)",
                           summary.timings.load, summary.timings.math, summary.timings.render, summary.timings.publish,
                           cpu, summary.mathSpans, summary.mathCached)
        }
        progress(line)
        return (summary, wall)
    } catch {
        let diagnostics = (error as? DiagnosticsError)?.diagnostics ?? []
        if diagnostics.isEmpty { FileHandle.standardError.write(Data("\(error)\n".utf8)) }
        for diagnostic in diagnostics.prefix(20) { FileHandle.standardError.write(Data("\(diagnostic)\n".utf8)) }
        fail("notes build failed (\(label))")
    }
}

var cold = Samples(), coldMath = Samples(), coldMathRate = Samples()
var rebuild = Samples()
var coldSummary: BuildSummary?
var rebuildSummary: BuildSummary?
var digests: Set<UInt64> = []
var siteFiles = 0, siteBytes = 0

progress("notes cold builds (empty cache, no output folder):")
for run in 1...options.coldRuns {
    try? manager.removeItem(at: cacheFolder)
    try? manager.removeItem(at: siteFolder)
    let (summary, wall) = build("cold \(run)")
    cold.values.append(wall)
    coldMath.values.append(summary.timings.math)
    coldMathRate.values.append(Double(summary.mathSpans - summary.mathCached) / summary.timings.math)
    coldSummary = summary
    if let site = try? digest(of: siteFolder) {
        digests.insert(site.hash)
        (siteFiles, siteBytes) = (site.files, site.bytes)
    }
}
progress("notes rebuilds (unchanged input, warm cache, previous site in place):")
for run in 1...options.rebuildRuns {
    let (summary, wall) = build("rebuild \(run)")
    rebuild.values.append(wall)
    rebuildSummary = summary
    if run == 1 || run == options.rebuildRuns, let site = try? digest(of: siteFolder) { digests.insert(site.hash) }
}

progress("notes rebuilds after a prose edit of one note (another note each time):")
var proseEdit = Samples()
var proseEditSummary: BuildSummary?
for run in 1...options.rebuildRuns {
    let note = corpus[(run * 97) % corpus.count]
    let file = notesFolder.appendingPathComponent(note.slug + ".md")
    do {
        let text = try String(contentsOf: file, encoding: .utf8)
        guard let end = text.range(of: "\n---\n\n") else { fail("\(note.slug).md has no front matter") }
        try (text[..<end.upperBound] + "Edited in run \(run). " + text[end.upperBound...]).write(to: file, atomically: true, encoding: .utf8)
    } catch {
        fail("cannot edit \(note.slug).md: \(error)")
    }
    let (summary, wall) = build("prose edit \(run)")
    // Only the edited note's page is rendered (its neighbours, the index and the report show nothing that changed).
    guard summary.pagesKept == summary.pages - 1 else {
        fail("a prose edit of \(note.slug).md rendered \(summary.pages - summary.pagesKept) pages, expected 1")
    }
    proseEdit.values.append(wall)
    proseEditSummary = summary
}

// MARK: - Hugo

func findHugo() -> String? {
    if let path = options.hugo { return path }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for folder in path.split(separator: ":") where manager.isExecutableFile(atPath: "\(folder)/hugo") {
        return "\(folder)/hugo"
    }
    return nil
}

func runHugo(_ hugo: String, config: String = "config.toml") -> Double {
    try? manager.removeItem(at: hugoOutput)
    try? manager.removeItem(at: hugoFolder.appendingPathComponent("resources"))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: hugo)
    process.arguments = ["--quiet", "-s", hugoFolder.path, "-d", hugoOutput.path,
                         "--config", hugoFolder.appendingPathComponent(config).path]
    let errors = Pipe()
    process.standardError = errors
    let (_, wall) = timed { () -> Void in
        do { try process.run() } catch { fail("cannot run \(hugo): \(error)") }
        process.waitUntilExit()
    }
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    guard process.terminationStatus == 0 else { fail("hugo failed with status \(process.terminationStatus):\n\(stderr)") }
    return wall
}

var hugo = Samples(), hugoPlain = Samples()
var hugoVersion = "not found"
var hugoPages = 0
if options.hugoRuns > 0, let hugoPath = findHugo() {
    let version = Process()
    version.executableURL = URL(fileURLWithPath: hugoPath)
    version.arguments = ["version"]
    let pipe = Pipe()
    version.standardOutput = pipe
    if (try? version.run()) != nil {
        version.waitUntilExit()
        hugoVersion = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: " ").dropFirst().first.map(String.init) ?? "?"
    }
    progress("Hugo \(hugoVersion) builds (output and resources/ removed before each):")
    _ = runHugo(hugoPath) // warm-up, not counted: loads the binary and the content files into the page cache
    for run in 1...options.hugoRuns {
        let wall = runHugo(hugoPath)
        hugo.values.append(wall)
        progress("  hugo \(run): \(seconds(wall))")
    }
    hugoPages = ((try? manager.subpathsOfDirectory(atPath: hugoOutput.path)) ?? []).filter { $0.hasSuffix(".html") }.count
    progress("Hugo builds with code highlighting off (stricter reference):")
    for run in 1...options.hugoRuns {
        let wall = runHugo(hugoPath, config: "config-no-highlight.toml")
        hugoPlain.values.append(wall)
        progress("  hugo, no highlighting \(run): \(seconds(wall))")
    }
} else {
    progress("hugo not found on PATH (apt-get install hugo); Hugo columns are empty")
}

// MARK: - Report

guard let coldSummary, let rebuildSummary, proseEditSummary != nil else { fail("no builds ran") }
let pages = Double(coldSummary.pages)
let typesetCount = coldSummary.mathSpans - coldSummary.mathCached
let coldMathRateMedian = coldMathRate.median
let rebuildRatio = rebuild.median / hugo.median
let coldRatio = cold.median / hugo.median

func row(_ name: String, _ samples: Samples, pages: Double) -> String {
    name.padding(toLength: 34, withPad: " ", startingAt: 0)
        + seconds(samples.median).leftPad(10)
        + "   " + (seconds(samples.min) + " – " + seconds(samples.max)).padding(toLength: 23, withPad: " ", startingAt: 0)
        + rate(pages / samples.median).leftPad(9)
}

print("""

    notes build benchmark — \(corpus.count) notes, \(corpusWords) words, \(corpusBytes / 1024) KiB of Markdown, \
    \(coldSummary.equations) display equations, \(coldSummary.mathSpans) distinct formulas (display + inline)
    machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average before the run \(loadAverage); \
    notes pages: \(coldSummary.pages) (\(coldSummary.notes) notes + \(coldSummary.pages - coldSummary.notes) site pages, \
    plus the search index); Hugo pages: \(hugoPages)
    site: \(siteFiles) files, \(siteBytes / 1024 / 1024) MiB; byte-identical across all builds: \(digests.count == 1 ? "yes" : "NO (\(digests.count) different outputs)")
    Hugo \(hugoVersion): minimal layouts (page, index, 404, JSON search index), no theme, math left as text,
    Swift code fences highlighted by Chroma (Hugo's default; notes highlights them with swift-syntax);
    disabled kinds: \(HugoSite.disabledKinds.joined(separator: ", ")) (notes makes none of them)

    """)
print("run".padding(toLength: 34, withPad: " ", startingAt: 0) + "median".leftPad(10) + "   "
      + "min – max".padding(toLength: 23, withPad: " ", startingAt: 0) + "pages/s".leftPad(9))
print(String(repeating: "-", count: 79))
print(row("notes cold build (\(options.coldRuns)×)", cold, pages: pages))
print(row("notes rebuild, unchanged (\(options.rebuildRuns)×)", rebuild, pages: pages))
print(row("notes rebuild, prose edit (\(options.rebuildRuns)×)", proseEdit, pages: pages))
if !hugo.values.isEmpty {
    print(row("hugo build (\(options.hugoRuns)×)", hugo, pages: Double(hugoPages)))
    print(row("hugo, highlighting off (\(options.hugoRuns)×)", hugoPlain, pages: Double(hugoPages)))
}
print(String(repeating: "-", count: 79))
print(String(format: "cold typesetting step: %d formulas in %.3f s (median; min–max %.3f–%.3f s) → %.0f formulas/s",
             typesetCount, coldMath.median, coldMath.min, coldMath.max, coldMathRateMedian))
print(String(format: "stages, last cold build:  load %.3f s, math %.3f s, render %.3f s, publish %.3f s",
             coldSummary.timings.load, coldSummary.timings.math, coldSummary.timings.render, coldSummary.timings.publish))
print(String(format: "stages, last rebuild:     load %.3f s, math %.3f s, render %.3f s, publish %.3f s (%d of %d formulas from cache)",
             rebuildSummary.timings.load, rebuildSummary.timings.math, rebuildSummary.timings.render, rebuildSummary.timings.publish,
             rebuildSummary.mathCached, rebuildSummary.mathSpans))
print("")
if hugo.values.isEmpty {
    print("ratios: n/a (no Hugo)")
} else {
    print(String(format: "ratio rebuild / hugo: %.2f×   (target ≤ 0.20×)  ", rebuildRatio) + (rebuildRatio <= 0.2 ? "PASS" : "FAIL"))
    print(String(format: "ratio cold / hugo:    %.2f×", coldRatio))
    print(String(format: "against Hugo with highlighting off: rebuild %.2f×, cold %.2f×",
                 rebuild.median / hugoPlain.median, cold.median / hugoPlain.median))
}
print(String(format: "unchanged rebuild:    %.3f s   (target ≤ 1 s)  ", rebuild.median) + (rebuild.median <= 1 ? "PASS" : "FAIL"))
print(String(format: "one-note prose edit:  %.3f s   (target ≤ 1.5 s)  ", proseEdit.median) + (proseEdit.median <= 1.5 ? "PASS" : "FAIL"))
print(String(format: "cold math rate:       %.0f formulas/s   (target ≥ 2000/s)  ", coldMathRateMedian)
      + (coldMathRateMedian >= 2000 ? "PASS" : "FAIL"))

if options.keep {
    progress("kept \(root.path)")
} else {
    try? manager.removeItem(at: root)
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
