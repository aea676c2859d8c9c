import Foundation
import Testing
@testable import NotesKit

/// Live cells built for the browser and natively, their scenarios run in Node and natively, and
/// compared. Slow: compiles Embedded Swift and native Swift for every note.
@Suite("Live cells (slow: compiles WebAssembly)", .serialized) struct LiveExecutionTests {
    /// Runs `body` (the note's Markdown after its front matter) and returns the note, its verdict and its result.
    static func run(_ body: String) throws -> (Note, NotebookVerdict, NotebookResult?) {
        let folder = try ExecutionTests.scratchNotes(["live.md": "---\ntitle: Live\n---\n\n" + body])
        defer { try? FileManager.default.removeItem(at: folder) }
        let note = try ExecutionTests.load("live.md", from: folder)
        let report = try ExecutionTests.run([note], folder: folder)
        let result = report.results[note.slug]
        return (note, NotebookVerdict(note: note, result: result), result)
    }

    /// A widget on the engine: seeded data, fused multiply-adds, a slider, a button and points.
    static let widget = """
        ```swift live id=walk
        struct Walk: LiveWidget {
            var xs: [Double] = []
            var scale = 0.5
            var points = [LivePoint(x: 0.5, y: 0.5)]
            var random = Random(seed: 9)
            init() {}
            mutating func frame(_ ui: inout LiveUI) {
                ui.slider("Scale", &scale, in: 0.01...10, scale: .logarithmic)
                if ui.button("Step") { xs.append((xs.last ?? 0).addingProduct(scale, random.normal())) }
                let plot = ui.plot("Walk", x: 0...20, y: -5...5)
                ui.points("Marks", &points, on: plot)
                plot.series(xs)
                ui.readout("x", xs.last ?? 0)
                ui.readout("e^x", Elementary.exp(xs.last ?? 0))
            }
            static var scenario: [LiveStep] {
                [.press("Step"), .set("Scale", 3), .press("Step"), .press("Step"), .addPoint("Marks", x: 2, y: 1), .frames(2)]
            }
        }
        ```

        ```swift test=eq-none id=uses-the-widget
        var walk = Walk()
        walk.xs.append(1)
        expect(walk.xs == [1], "ordinary cells see the live cells' declarations")
        ```
        """

    @Test func aWidgetComputesTheSameBitsInNodeAsNatively() throws {
        let (note, verdict, result) = try Self.run(Self.widget.replacingOccurrences(of: " test=eq-none", with: ""))
        #expect(verdict.failures.isEmpty, "\(verdict.failures.map(\.message))")
        let cell = try #require(note.notebook.widgetCells.first)
        let live = try #require(result?.live)
        let module = try #require(live.module)
        #expect(module.prefix(4) == Data([0, 0x61, 0x73, 0x6D]))
        #expect(!Self.sections(of: module).contains(2), "the module imports nothing")
        #expect(module.count < 100_000)
        #expect(live.scenarioFrames[cell.index] == 1 + 5 + 2)
        let frame = try #require(live.firstFrames[cell.index])
        let html = LiveFigure.render(number: 0, anchor: cell.anchor, frame: frame, failure: nil)
        #expect(html.contains("aria-label=\"Walk\"") && html.contains("<dt>e^x</dt><dd>1</dd>"))
        #expect(verdict.cells.map(\.status) == [.passed, .passed])
        // Built again from scratch, the module is the same bytes: pages are reproducible.
        let (_, _, again) = try Self.run(Self.widget.replacingOccurrences(of: " test=eq-none", with: ""))
        #expect(again?.live?.module == module, "the module differs between two builds of the same note")
    }

    @Test func swiftThatEmbeddedSwiftLacksFailsAtItsLine() throws {
        let (_, verdict, _) = try Self.run("""
            ```swift live
            protocol Shape { var area: Double { get } }
            struct Square: Shape { var area: Double { 1 } }
            struct Shapes: LiveWidget {
                var shapes: [any Shape] = [Square()]
                init() {}
                mutating func frame(_ ui: inout LiveUI) { ui.readout("n", Double(shapes.count)) }
            }
            ```
            """)
        let failure = try #require(verdict.failures.first)
        #expect(failure.message.hasPrefix("does not compile for the browser (Embedded Swift"), "\(failure.message)")
        #expect(failure.line == 9, "\(failure.line): the line of `[any Shape]`")
        #expect(verdict.cells[0].stderr.contains("notes/live.md:9:"))
    }

    @Test func aCrashingScenarioFailsAndThePageKeepsTheFirstFrame() throws {
        let (note, verdict, result) = try Self.run("""
            ```swift live id=crash
            struct Crash: LiveWidget {
                var presses = 0
                init() {}
                mutating func frame(_ ui: inout LiveUI) {
                    if ui.button("Press") { presses += 1 }
                    precondition(presses < 2, "pressed twice")
                    ui.readout("presses", Double(presses))
                }
                static var scenario: [LiveStep] { [.press("Press"), .press("Press")] }
            }
            ```
            """)
        let failure = try #require(verdict.failures.first)
        #expect(failure.message.contains("its scenario crashed natively") && failure.message.contains("pressed twice"), "\(failure.message)")
        #expect(failure.line == 11, "\(failure.line): the precondition's line")
        let frame = result?.live?.firstFrames[note.notebook.cells[0].index]
        let html = CellRenderer.render(verdict.cells[0])
        #expect(frame != nil && html.contains("<figure class=\"live-widget\" id=\"live-crash\""))
        #expect(html.contains("This widget failed its check and is shown as drawn at build time"))
    }

    @Test func aTrapOnlyInWebAssemblyIsReported() throws {
        // 300 MB is fine natively but more than a page's module may have (256 MiB).
        let (_, verdict, _) = try Self.run("""
            ```swift live
            struct Hog: LiveWidget {
                var bytes: [UInt8] = []
                init() {}
                mutating func frame(_ ui: inout LiveUI) {
                    if ui.button("Grow") { bytes = [UInt8](repeating: 1, count: 300_000_000) }
                    ui.readout("bytes", Double(bytes.count))
                }
                static var scenario: [LiveStep] { [.press("Grow")] }
            }
            ```
            """)
        let failure = try #require(verdict.failures.first)
        #expect(failure.message.hasPrefix("the browser's WebAssembly build traps in the widget's scenario"), "\(failure.message)")
        #expect(failure.line == 6)
    }

    @Test func aScenarioNamingAMissingControlFails() throws {
        let (_, verdict, _) = try Self.run("""
            ```swift live
            struct Quiet: LiveWidget {
                init() {}
                mutating func frame(_ ui: inout LiveUI) { _ = ui.button("Go") }
                static var scenario: [LiveStep] { [.press("Stop")] }
            }
            ```
            """)
        #expect(verdict.failures.map(\.message) == ["the scenario names a control the widget does not have: Stop"])
    }

    @Test func engineErrorsReadTheSameInTheBrowserAsNatively() throws {
        // The browser build writes the engine's messages without String (ErrorText); the check
        // compares every byte of the readouts with the native run's String messages.
        let (note, verdict, result) = try Self.run("""
            ```swift live id=errors
            struct Errors: LiveWidget {
                var hidden = 0
                init() {}
                mutating func frame(_ ui: inout LiveUI) {
                    ui.slider("Hidden", &hidden, in: 0...3)
                    do throws(BackpropError) {
                        _ = try Network(sizes: [2, hidden, 1], seed: 1)
                        ui.readout("network", text: "built")
                    } catch {
                        ui.readout("network", text: Array(error.message.utf8))
                    }
                    do throws(BackpropError) {
                        _ = try Matrix(rows: 2, columns: 3 + hidden) * Matrix(rows: 2, columns: 2)
                    } catch {
                        ui.readout("product", text: Array(error.message.utf8))
                    }
                    do throws(BackpropError) {
                        _ = try Activation.tanh.backpropagate(Vector([1]), z: Vector([1, -12]), a: Vector([1, 2]))
                    } catch {
                        ui.readout("activation", text: Array(error.message.utf8))
                    }
                }
                static var scenario: [LiveStep] { [.set("Hidden", 2)] }
            }
            ```
            """)
        #expect(verdict.failures.isEmpty, "\(verdict.failures.map(\.message))")
        let cell = try #require(note.notebook.widgetCells.first)
        let first = try #require(result?.live?.firstFrames[cell.index]), last = try #require(result?.live?.lastFrames[cell.index])
        let firstText = String(decoding: first.text, as: UTF8.self), lastText = String(decoding: last.text, as: UTF8.self)
        #expect(firstText.contains("invalid network: layer 2 has 0 neurons; every layer needs at least one"), "\(firstText)")
        #expect(firstText.contains("matrix product 2 × 3 · 2 × 2: expected 3 rows on the right, found 2"), "\(firstText)")
        #expect(firstText.contains("tanh backpropagation: expected 2 components, found g: 1, a: 2"), "\(firstText)")
        #expect(lastText.contains("built") && lastText.contains("matrix product 2 × 5 · 2 × 2"), "\(lastText)")
    }

    @Test func withoutAWebAssemblyTargetThePageKeepsTheStaticFigure() throws {
        // A toolchain folder with swiftc but no wasm-ld beside it.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notes-no-wasm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let real = try Toolchain.find()
        let swiftc = folder.appendingPathComponent("swiftc")
        try "#!/bin/sh\nexec '\(real.swiftc.path)' \"$@\"\n".write(to: swiftc, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: swiftc.path)
        guard case .failure(let reason) = WebAssemblyToolchain.find(Toolchain(swiftc: swiftc, version: real.version)) else {
            Issue.record("found a WebAssembly toolchain where there is none")
            return
        }
        #expect(reason.description == "this Swift toolchain has no wasm-ld and clang beside swiftc")

        TestEnvironment.prepare()
        let notes = try ExecutionTests.scratchNotes(["live.md": "---\ntitle: Live\n---\n\n" + Self.widget.replacingOccurrences(of: " test=eq-none", with: "")])
        defer { try? FileManager.default.removeItem(at: notes) }
        let note = try ExecutionTests.load("live.md", from: notes)
        let sources = try EngineSources.locate()
        let libraries = try real.buildLibraries(sources, cache: TestEnvironment.engineCache)
        let runner = LiveRunner(toolchain: real, webAssembly: .failure(reason), libraries: libraries,
                                sandbox: try Sandbox.make(enabled: true), workingDirectory: notes, timeout: 60)
        let run = try runner.run(note.notebook, scratch: folder.appendingPathComponent("scratch"))
        #expect(run.live.module == nil && run.live.unavailable == reason.description)
        #expect(run.cells.map(\.outcome) == [.passed])
        #expect(run.live.firstFrames.count == 1)
    }

    /// The ids of the sections of a WebAssembly module.
    static func sections(of module: Data) -> [UInt8] {
        let bytes = [UInt8](module)
        var ids: [UInt8] = [], i = 8
        while i < bytes.count {
            let id = bytes[i]
            i += 1
            var size = 0, shift = 0
            while i < bytes.count {
                let byte = bytes[i]
                i += 1
                size |= Int(byte & 0x7F) << shift
                shift += 7
                if byte < 0x80 { break }
            }
            ids.append(id)
            i += size
        }
        return ids
    }
}
