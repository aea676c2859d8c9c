import Foundation
@testable import LiveSupport
import Testing
@testable import NotesKit

/// The live-widget API and the build's side of it, without compiling anything: the display list,
/// immediate-mode controls, scenarios, number formatting, the records the two runs exchange,
/// and the static figure. Fast.
@Suite struct LiveWidgetTests {
    /// A small widget exercising every kind of control.
    struct Counter: LiveWidget {
        var value = 0.5
        var rate = 0.1
        var whole = 3
        var on = false
        var running = false
        var choice = 0
        var points = [LivePoint(x: 0.2, y: 0.2), LivePoint(x: 0.8, y: 0.6)]
        var steps = 0
        var presses = 0

        init() {}

        mutating func frame(_ ui: inout LiveUI) {
            ui.slider("Value", &value, in: 0...1)
            ui.slider("Rate", &rate, in: 0.001...10, scale: .logarithmic)
            ui.slider("Whole", &whole, in: 1...9)
            ui.toggle("On", &on)
            if ui.button("Press") { presses += 1 }
            ui.playPause(&running)
            ui.choice("Kind", &choice, ["a", "b", "c"])
            if running { steps += 1 }
            let plot = ui.plot("Plot", x: 0...1, y: 0...1, xLabel: "x", yLabel: "y")
            ui.points("Points", &points, on: plot)
            plot.line(0, 0, 1, value)
            plot.series([1, 2, 3])
            plot.number(value, 0.5, 0.5, prefix: "v = ")
            plot.shade(columns: 2, rows: 2) { x, y in x + y }
            ui.readout("steps", Double(steps))
        }

        static var scenario: [LiveStep] {
            [.set("Value", 0.25), .press("Press"), .run(frames: 3), .addPoint("Points", x: 0.5, y: 0.5), .deletePoint("Points", index: 0)]
        }
    }

    struct Broken: LiveWidget {
        init() {}
        mutating func frame(_ ui: inout LiveUI) { _ = ui.button("Go") }
        static var scenario: [LiveStep] { [.press("Stop")] }
    }

    /// The control operations of the host's last frame: (id, kind, label, value).
    static func controls(_ list: LiveDisplayList) -> [(Int, Int, String, Double)] {
        LiveScene(LiveFrame(values: list.ops, text: Data(list.text))).controls.enumerated().map {
            ($0.offset, $0.element.kind?.rawValue ?? -1, $0.element.label, $0.element.value)
        }
    }

    @Test func controlsAreNumberedInOrderAndEventsReachThem() {
        var host = LiveHost<Counter>()
        host.frame()
        #expect(Self.controls(host.list).map(\.2) == ["Value", "Rate", "Whole", "On", "Press", "Run", "Kind", "Points"])
        #expect(host.list.ops[0] == 0 && host.list.ops[1] == LiveDisplayList.version && host.list.ops[3] == 8 && host.list.ops[4] == 1)
        host.send(LiveEvent(.set, control: 0, value: 7)) // clamped to the range
        host.frame()
        #expect(host.widget.value == 1)
        host.send(LiveEvent(.set, control: 2, value: 4.6)) // whole numbers
        host.frame()
        #expect(host.widget.whole == 5)
        host.send(LiveEvent(.press, control: 4))
        host.frame()
        host.frame()
        #expect(host.widget.presses == 1) // a press counts once, in the frame after it
        host.send(LiveEvent(.press, control: 5))
        host.frame()
        #expect(host.widget.running && host.list.ops[2] == 1) // running asks for more frames
        host.send(LiveEvent(.set, control: 6, value: 5)) // no such option: ignored
        host.frame()
        #expect(host.widget.choice == 0)
        host.send(LiveEvent(.movePoint, control: 7, value: 1, x: 2, y: -1)) // kept inside the plot
        host.frame()
        #expect(host.widget.points[1] == LivePoint(x: 1, y: 0))
        host.send(LiveEvent(.deletePoint, control: 7, value: 9)) // no such point: ignored
        host.frame()
        #expect(host.widget.points.count == 2)
    }

    @Test func scenariosResolveLabelsAndReportUnknownOnes() {
        var host = LiveHost<Counter>()
        host.beginScenario()
        var frames = 0
        while host.nextScenarioFrame() { frames += 1 }
        // first frame, set, press, 3 running frames (the first starts the run), add, delete
        #expect(frames == 1 + 1 + 1 + 3 + 1 + 1)
        #expect(host.widget.value == 0.25 && host.widget.presses == 1 && host.widget.steps == 5)
        #expect(host.widget.points == [LivePoint(x: 0.8, y: 0.6), LivePoint(x: 0.5, y: 0.5)])
        #expect(host.scenarioError == nil)

        var broken = LiveHost<Broken>()
        broken.beginScenario()
        let first = broken.nextScenarioFrame(), second = broken.nextScenarioFrame()
        #expect(first && !second)
        #expect(String(decoding: broken.scenarioError ?? [], as: UTF8.self) == "the scenario names a control the widget does not have: Stop")
    }

    @Test func numbersAreFormattedBySwiftAlone() {
        func text(_ value: Double, _ digits: Int = 4) -> String { String(decoding: LiveNumber.format(value, significant: digits), as: UTF8.self) }
        #expect(text(0.1234567) == "0.1235")
        #expect(text(12345.678) == "12350")
        #expect(text(-2.5) == "−2.500")
        #expect(text(9.99996) == "10.00")
        #expect(text(0.00012345) == "0.0001234") // the double nearest 0.00012345 is just below it
        #expect(text(1.5e-7) == "1.500e-7")
        #expect(text(6.02e23, 3) == "6.02e23")
        #expect(text(0) == "0")
        #expect(text(.nan) == "nan")
        #expect(text(-.infinity) == "−∞")
        #expect(text(1e300, 2) == "1.0e300")
        #expect(text(802) == "802" && text(-3) == "−3" && text(2.5e15) == "2.500e15")
        func fixed(_ value: Double, _ decimals: Int) -> String { String(decoding: LiveNumber.fixed(value, decimals: decimals), as: UTF8.self) }
        #expect(fixed(0.25, 2) == "0.25")
        #expect(fixed(-0.5, 1) == "−0.5")
        #expect(fixed(-0.0001, 2) == "0.00")
        #expect(fixed(1234, 0) == "1234")
        #expect(fixed(0.05, 3) == "0.050")
    }

    /// The digits agree with a correctly rounding formatter (the C library's, as an oracle in
    /// the test only) on numbers of every magnitude.
    @Test func digitsAreCorrectlyRounded() {
        var state: UInt64 = 12345
        var mismatches: [String] = []
        for _ in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let value = Double(bitPattern: (state >> 2) & 0x7FEF_FFFF_FFFF_FFFF | 0x0010_0000_0000_0000)
            guard value.isFinite, value >= 1e-300, value <= 1e300 else { continue }
            let ours = String(decoding: LiveNumber.format(value, significant: 6), as: UTF8.self)
            let reference = String(format: "%.5e", value) // d.ddddde±XX
            let digits = reference.prefix(7).replacingOccurrences(of: ".", with: "")
            let exponent = Int(reference.split(separator: "e")[1])!
            let oursDigits = ours.filter(\.isNumber).drop { $0 == "0" }
            let expected = exponent >= -4 && exponent < 6 ? digits : digits + String(abs(exponent))
            if !String(oursDigits).hasPrefix(digits) || (exponent < -4 || exponent >= 6) && !ours.hasSuffix("e\(exponent)") {
                if mismatches.count < 5 { mismatches.append("\(value): \(ours) vs \(reference) (\(expected))") }
                else { mismatches.append("") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, such as \(mismatches.prefix(5))")
    }

    @Test func ticksFallOnRoundNumbers() {
        let (values, decimals) = LiveTicks.linear(0, 1)
        #expect(values == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1] && decimals == 1)
        #expect(LiveTicks.linear(-0.5, 1.5).values.count == 5)
        #expect(LiveTicks.logarithmic(1e-4, 1e4) == [1e-4, 1e-2, 1, 1e2, 1e4] || LiveTicks.logarithmic(1e-4, 1e4).count <= 8)
        #expect(LiveTicks.logarithmic(0.01, 3) == [0.01, 0.1, 1])
        #expect(LiveTicks.linear(1, 1).values.isEmpty)
    }

    @Test func recordsRoundTripAndCompareNaNsAsAClass() {
        var host = LiveHost<Counter>()
        host.frame()
        var bytes = LiveRecord.begin(widget: 0) + LiveRecord.frame(widget: 0, host.list)
        bytes += LiveRecord.error(widget: 1, Array("oops".utf8))
        let records = LiveRecords(Data(bytes + [1, 2, 3])) // a truncated tail is dropped
        #expect(records.begun == [0])
        #expect(records.frames[0]?.first?.values == host.list.ops)
        #expect(records.frames[0]?.first?.text == Data(host.list.text))
        #expect(records.errors[1] == "oops")

        func frame(_ ops: [Double]) -> LiveFrame { LiveFrame(values: ops, text: Data()) }
        let quietNaN = Double.nan, otherNaN = Double(nan: 0x1234, signaling: false)
        #expect(LiveRecords.firstDifference(native: [frame([1, quietNaN])], wasm: [frame([1, otherNaN])]) == nil)
        #expect(LiveRecords.firstDifference(native: [frame([0.0])], wasm: [frame([-0.0])])?.contains("operation word 0") == true)
        #expect(LiveRecords.firstDifference(native: [frame([1]), frame([2])], wasm: [frame([1]), frame([2.0000000000000004])])?
            .hasPrefix("frame 1, operation word 0") == true)
        #expect(LiveRecords.firstDifference(native: [frame([1])], wasm: []) == "the native build ran 1 frames, the browser's 0")
    }

    @Test func theStaticFigureIsTheFirstFrameAsSVG() {
        var host = LiveHost<Counter>()
        host.frame()
        let frame = LiveFrame(values: host.list.ops, text: Data(host.list.text))
        let html = LiveFigure.render(number: 0, anchor: "live-counter", frame: frame, failure: nil)
        #expect(html.hasPrefix("<figure class=\"live-widget\" id=\"live-counter\" data-live-widget=\"0\">"))
        #expect(html.contains("<svg class=\"live-svg\" viewBox=\"0 0 640 400\" role=\"img\" aria-label=\"Plot\">"))
        #expect(html.contains(">v = 0.500<"))                 // text drawn in the plot
        #expect(html.contains("<dt>steps</dt><dd>0</dd>"))     // readouts as text
        #expect(html.contains("Value = 0.5000; Rate = 0.1000")) // controls described for readers without JavaScript
        #expect(html.contains("clip-path=\"url(#live-counter-clip-0)\""))
        #expect(html.components(separatedBy: "live-handle").count - 1 == 2)
        #expect(html == LiveFigure.render(number: 0, anchor: "live-counter", frame: frame, failure: nil)) // deterministic

        let none = LiveFigure.render(number: 1, anchor: "live-x", frame: nil, failure: "its scenario crashed natively")
        #expect(none.contains("This widget has no figure: its scenario crashed natively."))
    }

    @Test func malformedDisplayListsDoNotCrashTheReader() {
        let hostile: [[Double]] = [[1, .nan, 0, 0], [5, 0, 0, 0, 1e300], [10, 0, 0, .infinity, -5], [8, 0, 0, 0, 1e9, 1e9], [99, 1, 2]]
        for ops in hostile {
            let scene = LiveScene(LiveFrame(values: ops, text: Data()))
            _ = LiveFigure.render(number: 0, anchor: "a", frame: LiveFrame(values: ops, text: Data()), failure: nil)
            #expect(scene.plots.count <= 1)
        }
    }

    // MARK: - Cells

    @Test func liveCellsAreParsedAndChecked() throws {
        let options = try #require(try CellOptions.parse(info: "swift live id=regression"))
        #expect(options.live && options.id == "regression" && options.showCode)
        #expect(throws: CellOptionsError.self) { try CellOptions.parse(info: "swift live test=eq-a") }
        #expect(throws: CellOptionsError.self) { try CellOptions.parse(info: "swift live expect=crash") }

        let note = try NotebookModelTests.note("```swift live id=w\nstruct W: LiveWidget {\n  init() {}\n  mutating func frame(_ ui: inout LiveUI) {}\n}\n```\n\n```swift live\nfunc helper() -> Double { 1 }\n```\n")
        #expect(note.notebook.liveCells.count == 2)
        #expect(note.notebook.widgetCells.map(\.widget) == ["W"])
        #expect(note.notebook.runnableCells.isEmpty && !note.notebook.isEmpty)
        #expect(note.notebook.cells[0].anchor == "live-w")

        func error(_ body: String) -> String {
            do { _ = try NotebookModelTests.note(body); return "" } catch let error as DiagnosticsError {
                return error.diagnostics.map { "\($0.line ?? 0): \($0.message)" }.joined(separator: "\n")
            } catch { return "\(error)" }
        }
        // Lines: front matter 3, blank, so the fence is line 5 and the code starts at 6.
        #expect(error("```swift live\nimport Foundation\nstruct W: LiveWidget {}\n```\n").hasPrefix("6: a live cell imports nothing"))
        #expect(error("```swift live\nstruct A: LiveWidget {}\nstruct B: LiveWidget {}\n```\n").hasPrefix("7: a live cell declares at most one widget"))
        #expect(error("```swift live\nstruct A {}\n```\n\n```output\nx\n```\n").contains("an ```output block must come right after a ```swift cell"))
    }
}
