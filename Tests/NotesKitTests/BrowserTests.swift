import Foundation
import Testing
@testable import NotesKit

/// The real course in a real browser: every built page opened in headless Chromium through chromedriver.
///
/// The suite builds the repository's `notes/` once into a temporary folder (`CourseBuiltOnce`, removed
/// afterwards); each test starts its own chromedriver and browser (`WebDriver`) and opens pages by
/// `file://` URL, as readers do. It needs `chromium` and `chromium-driver` (`script/setup --test`):
/// without them the tests fail, they do not skip. Screenshots are saved in the temporary folder, and
/// copied to /tmp/notes-screens/ when the environment variable `NOTES_SCREENSHOTS` is set:
/// `NOTES_SCREENSHOTS=1 swift test --filter BrowserTests`.
@Suite("Browser (headless Chromium)", .serialized, CourseBuiltOnce())
struct BrowserTests {
    /// The course built by `CourseBuiltOnce` for this suite's tests.
    @TaskLocal static var builtCourse: Course?

    /// A word that occurs only in the body of notes/backprop.md: not in its title, id, summary or headings.
    static let bodyOnlyWord = "multivariable"
    /// Where screenshots are copied when `NOTES_SCREENSHOTS` is set.
    static let screenshotCopies = URL(fileURLWithPath: "/tmp/notes-screens")

    // MARK: - Every page

    /// Each page loads with an empty error console, its stylesheets, scripts, fonts and images, and working links.
    @Test("Every page loads without console errors or missing resources")
    func everyPageLoadsCleanly() async throws {
        let course = try Self.course()
        let notes = try FileManager.default.contentsOfDirectory(atPath: course.notes.path).filter { $0.hasSuffix(".md") }
        #expect(course.noteCount == notes.count && !notes.isEmpty, "the build saw \(course.noteCount) notes, notes/ has \(notes.count)")
        #expect(course.pages.count == notes.count + 3, "expected index, 404, the verification report and one page per note, found \(course.pages)")
        #expect(course.pages.contains("index.html") && course.pages.contains("404.html") && course.pages.contains("backprop.html"),
                "pages: \(course.pages)")
        try await WebDriver.run(logFolder: course.root) { driver in
            try await driver.withSession { browser in
                for page in course.pages {
                    _ = try await browser.consoleLog()
                    try await browser.open(course.url(page))
                    let load = try await browser.run(Self.pageLoadProbe, as: PageLoad.self)
                    let errors = try await browser.consoleLog().filter { $0.level == "SEVERE" }
                    #expect(errors.isEmpty, "\(page): console errors:\n\(errors.map(\.description).joined(separator: "\n"))")

                    #expect(!load.title.isEmpty, "\(page): the page has no <title>")
                    #expect(!load.stylesheets.isEmpty, "\(page): no stylesheet is linked")
                    for sheet in load.stylesheets where !sheet.loaded {
                        Issue.record("\(page): the stylesheet \(sheet.href) did not load")
                    }
                    #expect(!load.themeBackground.isEmpty, "\(page): notes.css is not applied (no --bg on :root)")
                    #expect(load.katexFont.contains("KaTeX_Main"),
                            "\(page): katex.min.css is not applied (.katex font-family is \(load.katexFont))")
                    #expect(load.failedFonts.isEmpty, "\(page): web fonts failed to load: \(load.failedFonts)")
                    if load.math > 0 {
                        #expect(load.katexMainLoaded == true, "\(page): \(load.math) formulas but the KaTeX_Main font is not loaded")
                    }
                    #expect(load.brokenImages.isEmpty, "\(page): images failed to load: \(load.brokenImages)")
                    #expect(load.searchIndexEntries == course.noteCount,
                            "\(page): search-index.js should define NOTES_SEARCH_INDEX with \(course.noteCount) notes, found \(load.searchIndexEntries)")
                    #expect(load.searchBoxes > 0 && load.hiddenSearchBoxes == 0,
                            "\(page): search.js should unhide the search box (\(load.searchBoxes) boxes, \(load.hiddenSearchBoxes) still hidden)")
                    for link in load.links {
                        if let problem = course.problem(withLink: link) { Issue.record("\(page): broken link \(link): \(problem)") }
                    }
                }
            }
        }
    }

    // MARK: - Live widgets

    /// What the page's script reports about a widget after the reader's actions.
    struct LiveSession: Decodable {
        /// Every frame's event, null for a frame without one, from the widget's first frame on.
        var log: [[Double]?]
        /// The bits of the last frame's display list, as decimal strings (exact).
        var bits: [String]
        var readouts: [String]
        var firstFrameMilliseconds: Double
    }

    /// The Linear Regression Simulator, opened from `file://` with the network off: the reader moves
    /// the learning-rate slider, presses Step, drags a point, moves another with the keyboard, runs
    /// and pauses. The same events, replayed through the native build of the same cell, give the
    /// same last frame, bit for bit; with JavaScript off the static figure is there instead.
    @Test("A live widget in Chromium computes what the native build computes")
    func liveWidgetMatchesTheNativeBuild() async throws {
        let course = try Self.course()
        let session: LiveSession = try await WebDriver.run(logFolder: course.root) { driver in
            try await driver.withSession { browser in
                try await browser.devTools("Network.enable")
                try await browser.devTools("Network.emulateNetworkConditions",
                                           ["offline": true, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0])
                try await browser.open(course.url("linear-regression.html"))
                try await browser.run("document.getElementById('live-regression').scrollIntoView({block: 'start'})")
                _ = try await browser.wait(for: "the live simulator", timeout: .seconds(10)) {
                    try await browser.run("return document.querySelector('#live-regression.is-live canvas') !== null", as: Bool.self) ? true : nil
                }
                // The learning-rate slider, by keyboard: each arrow key is an input event.
                let slider = try await browser.element("#live-regression-c0")
                try await browser.click(slider)
                try await browser.type("\u{E014}\u{E014}\u{E014}", into: slider)
                // The number box beside it: cleared, then typed into, then Enter.
                let box = try await browser.element("#live-regression .live-number")
                try await browser.run("arguments[0].value = ''", [["element-6066-11e4-a52e-4f735466cecf": box]])
                try await browser.type("0.45\u{E007}", into: box)
                try await browser.click(try await browser.element("#live-regression-c3")) // Step
                // Drag point 0 with the mouse, through the DevTools input domain (real pointer events).
                let start: [Double] = try await browser.run("""
                    const w = window.notesLive.widgets[0], m = w.plots[0].mapping, box = w.plots[0].canvas.getBoundingClientRect();
                    const p = w.points(w.scene.plots[0].editable.control).list[0];
                    return [box.left + m.x(p[0]), box.top + m.y(p[1])];
                    """)
                try await browser.devTools("Input.dispatchMouseEvent", ["type": "mousePressed", "x": start[0], "y": start[1], "button": "left", "clickCount": 1])
                for step in 1...5 {
                    try await browser.devTools("Input.dispatchMouseEvent", ["type": "mouseMoved", "x": start[0] + Double(8 * step), "y": start[1] - Double(6 * step), "button": "left"])
                }
                try await browser.devTools("Input.dispatchMouseEvent", ["type": "mouseReleased", "x": start[0] + 40, "y": start[1] - 30, "button": "left", "clickCount": 1])
                // Another point by keyboard: Page Down selects the next one, the arrows move it.
                let canvas = try await browser.element("#live-regression .live-canvas")
                try await browser.type("\u{E00F}\u{E013}\u{E013}\u{E012}", into: canvas)
                // Run for a moment, then pause.
                let run = try await browser.element("#live-regression-c4")
                try await browser.click(run)
                try await Task.sleep(for: .milliseconds(400))
                try await browser.click(run)
                try await browser.click(try await browser.element("#live-regression-c3")) // and one more Step
                let png = try await browser.screenshot()
                try course.saveScreenshot(png, as: "live-desktop-light-regression.png")
                return try await browser.run("""
                    const w = window.notesLive.widgets[0];
                    return { log: w.log.map(e => e ? [0, 1, 2, 3, 4].map(i => e[i] || 0) : null),
                             bits: Array.from(new BigUint64Array(w.ops.slice().buffer), String),
                             readouts: Array.from(document.querySelectorAll('#live-regression .live-readouts dd'), d => d.textContent),
                             firstFrameMilliseconds: window.notesLive.firstFrameAt - window.notesLive.startedAt };
                    """, as: LiveSession.self)
            }
        }
        let events = session.log.dropFirst().compactMap { $0 }
        #expect(events.contains { $0[0] == 4 } && events.contains { $0[0] == 2 } && events.contains { $0[0] == 1 },
                "the session should have moved a point, pressed buttons and set the slider: \(events)")
        #expect(session.log.count > events.count + 1, "the run should have drawn frames without events")

        // The same events through the native build of the same cell.
        let markdown = try String(contentsOf: course.notes.appendingPathComponent("linear-regression.md"), encoding: .utf8)
        let fence = try #require(markdown.range(of: "```swift live id=regression\n"))
        let code = String(markdown[fence.upperBound...].prefix { _ in true }).components(separatedBy: "\n```\n")[0]
        let scenario = try #require(code.range(of: "    static var scenario: [LiveStep] {"))
        let steps = session.log.dropFirst().map { event -> String in
            guard let e = event else { return ".frames(1)" }
            return ".event(LiveEvent(LiveEvent.Kind(rawValue: \(Int(e[0])))!, control: \(Int(e[1])), value: \(e[2]), x: \(e[3]), y: \(e[4])))"
        }
        let replayed = String(code[..<scenario.lowerBound])
            + "    static var scenario: [LiveStep] {\n        [" + steps.joined(separator: ",\n         ") + "]\n    }\n}\n"
        let folder = try ExecutionTests.scratchNotes(["replay.md": "---\ntitle: Replay\n---\n\n```swift live id=regression\n" + replayed + "```\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let note = try ExecutionTests.load("replay.md", from: folder)
        let report = try ExecutionTests.run([note], folder: folder)
        let verdict = NotebookVerdict(note: note, result: report.results[note.slug])
        #expect(verdict.failures.isEmpty, "\(verdict.failures.map(\.message))")
        let native = try #require(report.results[note.slug]?.live?.lastFrames[note.notebook.cells[0].index])
        let browserValues = session.bits.map { Double(bitPattern: UInt64($0)!) }
        #expect(LiveRecords.firstDifference(native: [native], wasm: [LiveFrame(values: browserValues, text: native.text)]) == nil)
        #expect(native.values.count == browserValues.count)
        let scene = LiveScene(native)
        #expect(scene.readouts.map(\.text) == session.readouts, "the numbers shown are the native run's")
        #expect(session.firstFrameMilliseconds < 1000)

        // With JavaScript off, the static figure is there, with its readouts.
        try await WebDriver.run(logFolder: course.root) { driver in
            try await driver.withSession(WebDriver.Options(javaScript: false)) { browser in
                try await browser.open(course.url("linear-regression.html"))
                let shown: [Double] = try await browser.run("""
                    const f = document.getElementById('live-regression'); f.scrollIntoView();
                    return [f.querySelectorAll('svg.live-svg').length, f.querySelector('svg.live-svg').getBoundingClientRect().height,
                            f.querySelectorAll('canvas').length, f.querySelectorAll('.live-readouts dd').length];
                    """)
                #expect(shown[0] == 2 && shown[1] > 100 && shown[2] == 0 && shown[3] == 5, "\(shown)")
                try course.saveScreenshot(try await browser.screenshot(), as: "nojs-desktop-light-regression.png")
            }
        }
    }

    @Test("A shared link reopens a widget as it was; reduced motion keeps a widget still until asked")
    func liveStateInTheLinkAndReducedMotion() async throws {
        let course = try Self.course()
        try await WebDriver.run(logFolder: course.root) { driver in
            try await driver.withSession { browser in
                func waitForLive(_ id: String) async throws {
                    _ = try await browser.wait(for: "the live widget #\(id)", timeout: .seconds(10)) {
                        try await browser.run("return document.querySelector('#\(id).is-live canvas') !== null", as: Bool.self) ? true : nil
                    }
                }
                /// The widget's slider, toggle and choice values, and its editable points.
                func state(_ id: String) async throws -> [String] {
                    try await browser.run("""
                        const w = window.notesLive.widgets.filter(w => w.figure.id === arguments[0])[0];
                        const out = w.scene.controls.filter(c => c.kind <= 1 || c.kind === 3 || c.kind === 5).map(c => 'c' + c.id + '=' + c.value);
                        w.scene.plots.filter(p => p.editable).forEach(p => out.push('p=' + w.points(p.editable.control).list.map(q => q.join(',')).join(';')));
                        return out;
                        """, [id], as: [String].self)
                }
                try await browser.open(course.url("linear-regression.html"))
                try await browser.run("document.getElementById('live-regression').scrollIntoView({block: 'start'})")
                try await waitForLive("live-regression")
                let slider = try await browser.element("#live-regression-c0")
                try await browser.click(slider)
                try await browser.type("\u{E012}\u{E012}", into: slider) // η down two notches
                let canvas = try await browser.element("#live-regression .live-canvas")
                try await browser.type("\u{E00F}\u{E00F}\u{E013}\u{E014}+", into: canvas) // move the third point, add one
                let before = try await state("live-regression")
                let link: String = try await browser.run("return document.querySelector('#live-regression .live-share').href", as: String.self)
                #expect(link.contains("#live-regression:c0="), "\(link)")

                // A reader opening the link sees the same η and points, scrolled to the widget.
                try await browser.open(URL(string: "about:blank")!)
                try await browser.open(URL(string: link)!)
                try await waitForLive("live-regression")
                let after = try await state("live-regression")
                let sliders = before.filter { $0.hasPrefix("c") }, points = before.filter { $0.hasPrefix("p=") }
                #expect(after.filter { $0.hasPrefix("c") } == sliders, "controls: \(after) against \(before)")
                // Points travel rounded in the link: compare to 6 significant digits.
                func rounded(_ list: [String]) -> [[Double]] {
                    list.flatMap { $0.dropFirst(2).split(separator: ";").map { $0.split(separator: ",").map { Double(String(format: "%.6g", Double($0)!))! } } }
                }
                #expect(rounded(after.filter { $0.hasPrefix("p=") }) == rounded(points), "points: \(after) against \(before)")
                #expect(rounded(points).count > 0)
                let top: Double = try await browser.run("return document.getElementById('live-regression').getBoundingClientRect().top", as: Double.self)
                #expect(abs(top) < 200, "the page scrolls to the widget: its top is at \(top)")

                // The guide's decay widget runs by itself…
                try await browser.open(URL(string: course.url("authoring.html").absoluteString + "#live-decay")!)
                try await waitForLive("live-decay")
                let ran: Int = try await browser.wait(for: "the decay widget to run to its end", timeout: .seconds(20)) {
                    try await browser.run("""
                        const w = window.notesLive.widgets.filter(w => w.figure.id === 'live-decay')[0];
                        return w.animating ? null : w.log.filter(e => e === null).length;
                        """, as: Int?.self)
                }
                #expect(ran > 30, "it stepped \(ran) frames without input")

                // …but not for a reader who asked for reduced motion: Run starts it.
                try await browser.devTools("Emulation.setEmulatedMedia", ["features": [["name": "prefers-reduced-motion", "value": "reduce"]]])
                try await browser.open(URL(string: "about:blank")!)
                try await browser.open(URL(string: course.url("authoring.html").absoluteString + "#live-decay")!)
                try await waitForLive("live-decay")
                try await Task.sleep(for: .milliseconds(500))
                let still: [Int] = try await browser.run("""
                    const w = window.notesLive.widgets.filter(w => w.figure.id === 'live-decay')[0];
                    return [w.animating ? 1 : 0, w.log.filter(e => e === null).length, w.log.length];
                    """, as: [Int].self)
                #expect(still == [0, 1, 2], "paused at once, no frames on its own (animating, frames without input, frames): \(still)")
                let run: String = try await browser.run("""
                    const w = window.notesLive.widgets.filter(w => w.figure.id === 'live-decay')[0];
                    return '#live-decay-c' + w.scene.controls.filter(c => c.kind === 4)[0].id;
                    """, as: String.self)
                try await browser.click(try await browser.element(run))
                let steps: Int = try await browser.wait(for: "Run to start the decay widget", timeout: .seconds(20)) {
                    try await browser.run("""
                        const w = window.notesLive.widgets.filter(w => w.figure.id === 'live-decay')[0];
                        return w.animating || w.log.length < 4 ? null : w.log.filter(e => e === null).length;
                        """, as: Int?.self)
                }
                #expect(steps > 30, "after Run it stepped \(steps) frames")
            }
        }
    }

    @Test("On a 375 px phone, a live widget fits, its touch targets are 44 px, and a tap adds a point")
    func liveWidgetOnAPhone() async throws {
        let course = try Self.course()
        try await WebDriver.run(logFolder: course.root) { driver in
            try await driver.withSession { browser in
                try await browser.devTools("Emulation.setDeviceMetricsOverride", ["width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": true])
                try await browser.devTools("Emulation.setTouchEmulationEnabled", ["enabled": true, "maxTouchPoints": 1])
                try await browser.open(URL(string: course.url("linear-regression.html").absoluteString + "#live-regression")!)
                _ = try await browser.wait(for: "the live simulator", timeout: .seconds(10)) {
                    try await browser.run("return document.querySelector('#live-regression.is-live canvas') !== null", as: Bool.self) ? true : nil
                }
                let small: [String] = try await browser.run("""
                    return Array.from(document.querySelectorAll('#live-regression button, #live-regression input, #live-regression select, #live-regression .live-share'))
                      .filter(e => e.getClientRects().length)
                      .filter(e => { const b = e.getBoundingClientRect(); return b.height < 44 || b.width < 44; })
                      .map(e => e.outerHTML.slice(0, 80) + ' ' + Math.round(e.getBoundingClientRect().width) + '×' + Math.round(e.getBoundingClientRect().height));
                    """, as: [String].self)
                #expect(small.isEmpty, "touch targets under 44 px: \(small)")
                let widths: [Double] = try await browser.run("""
                    const f = document.getElementById('live-regression');
                    return [document.documentElement.scrollWidth, document.documentElement.clientWidth, f.getBoundingClientRect().right,
                            f.querySelector('canvas').getBoundingClientRect().width];
                    """, as: [Double].self)
                #expect(widths[0] <= widths[1] && widths[2] <= 375 && widths[3] > 300, "the widget fits the phone: \(widths)")
                // A tap on an empty place of the plot adds a point there.
                let target: [Double] = try await browser.run("""
                    const w = window.notesLive.widgets.filter(w => w.figure.id === 'live-regression')[0];
                    const box = w.plots[0].canvas.getBoundingClientRect(), m = w.plots[0].mapping;
                    const list = w.points(w.scene.plots[0].editable.control).list;
                    // The first place of the plot with no point within 40 px.
                    for (let y = m.top + 10; y < m.bottom; y += 10) for (let x = m.left + 10; x < m.right; x += 10) {
                      if (list.every(q => Math.hypot(m.x(q[0]) - x, m.y(q[1]) - y) > 40)) return [box.left + x, box.top + y, list.length];
                    }
                    return [0, 0, list.length];
                    """, as: [Double].self)
                try await browser.devTools("Input.dispatchTouchEvent", ["type": "touchStart", "touchPoints": [["x": target[0], "y": target[1]]]])
                try await browser.devTools("Input.dispatchTouchEvent", ["type": "touchEnd", "touchPoints": []])
                let count: Double = try await browser.wait(for: "the tapped point", timeout: .seconds(5)) {
                    let n: Double = try await browser.run("""
                        const w = window.notesLive.widgets.filter(w => w.figure.id === 'live-regression')[0];
                        return w.points(w.scene.plots[0].editable.control).list.length;
                        """, as: Double.self)
                    return n > target[2] ? n : nil
                }
                #expect(count == target[2] + 1)
                try course.saveScreenshot(try await browser.screenshot(), as: "live-phone-light-regression.png")
            }
        }
    }

    // MARK: - Search

    /// Typing a word found only in a note's body lists that note, Enter opens it, and nonsense lists nothing.
    @Test("Search finds a word from a note's body; nonsense finds nothing")
    func searchFindsBodyWords() async throws {
        let course = try Self.course()
        let word = Self.bodyOnlyWord
        let entries = try SearchIndex.entries(inScript: Data(contentsOf: course.site.appendingPathComponent("search-index.js")))
        let backprop = try #require(entries.first { $0.href == "backprop.html" }, "search-index.js has no entry for backprop.html")
        let markdown = try String(contentsOf: course.notes.appendingPathComponent("backprop.md"), encoding: .utf8)
        #expect(markdown.contains(word), "pick another word: notes/backprop.md no longer says \(word)")
        #expect(backprop.text.localizedCaseInsensitiveContains(word), "the search text of backprop.html lacks \(word)")
        for field in [backprop.title, backprop.id, backprop.summary] + backprop.headings.map(\.title) {
            #expect(!field.localizedCaseInsensitiveContains(word), "\(word) must occur only in the body, but backprop.html has it in \"\(field)\"")
        }
        for other in entries where other.href != backprop.href {
            let all = ([other.title, other.id, other.summary, other.text] + other.headings.map(\.title)).joined(separator: " ")
            #expect(!all.localizedCaseInsensitiveContains(word), "\(other.href) also contains \(word): pick a word unique to backprop.md")
        }

        try await WebDriver.run(logFolder: course.root) { driver in
            try await driver.withSession { browser in
                _ = try await browser.consoleLog()
                try await browser.open(course.url("index.html"))
                let field = try await Self.searchField(browser)
                try await browser.type(word, into: field)
                let found = try await browser.wait(for: "#search-results a.search-result[href$=\"backprop.html\"]") {
                    let results = try await browser.run(Self.searchResultsProbe, as: SearchResults.self)
                    return results.hrefs.contains { $0.hasSuffix("backprop.html") } ? results : nil
                }
                #expect(found.hrefs == ["backprop.html"], "only backprop.html contains \(word), the results are \(found.hrefs)")
                #expect(found.open, "#search-results should be shown")
                #expect(!found.marks.isEmpty && found.marks.allSatisfy { $0.caseInsensitiveCompare(word) == .orderedSame },
                        "the snippet should highlight \(word) with <mark>, it marks \(found.marks)")

                try await browser.type("\u{E007}", into: field) // Enter opens the first result
                let opened = try await browser.wait(for: "Enter to open backprop.html") {
                    let url = try await browser.currentURL()
                    return url.hasSuffix("/backprop.html") ? url : nil
                }
                #expect(opened == course.url("backprop.html").absoluteString)
                var errors = try await browser.consoleLog().filter { $0.level == "SEVERE" }
                #expect(errors.isEmpty, "console errors while searching:\n\(errors.map(\.description).joined(separator: "\n"))")

                try await browser.open(course.url("index.html"))
                let nonsense = "qzxvjwkh"
                try await browser.type(nonsense, into: try await Self.searchField(browser))
                let none = try await browser.wait(for: "a “no results” message for \(nonsense)") {
                    let results = try await browser.run(Self.searchResultsProbe, as: SearchResults.self)
                    return results.open && !(results.empty ?? "").isEmpty ? results : nil
                }
                #expect(none.hrefs.isEmpty, "\(nonsense) should match no note, it matched \(none.hrefs)")
                errors = try await browser.consoleLog().filter { $0.level == "SEVERE" }
                #expect(errors.isEmpty, "console errors after a search with no results:\n\(errors.map(\.description).joined(separator: "\n"))")
            }
        }
    }

    // MARK: - Without JavaScript

    /// With JavaScript off, math is still typeset by the build and Swift code still highlighted.
    @Test("Without JavaScript, math and highlighted code are still there")
    func mathAndCodeNeedNoJavaScript() async throws {
        let course = try Self.course()
        let html = try course.html("backprop.html")
        let mathInHTML = html.components(separatedBy: "class=\"katex\"").count - 1
        #expect(mathInHTML > 0, "backprop.html should contain typeset math")

        try await WebDriver.run(logFolder: course.root) { driver in
            try await driver.withSession(WebDriver.Options(javaScript: false)) { browser in
                try await browser.devTools("Emulation.setDeviceMetricsOverride", [
                    "width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false,
                ])
                _ = try await browser.consoleLog()
                try await browser.open(course.url("backprop.html"))
                let page = try await browser.run(Self.staticRenderingProbe, as: StaticRendering.self)

                #expect(!page.scriptsRan, "JavaScript should be off, but search-index.js defined NOTES_SEARCH_INDEX")
                #expect(page.searchBoxes > 0 && page.searchBoxesShown == 0,
                        "without JavaScript the search box must stay hidden (\(page.searchBoxesShown) of \(page.searchBoxes) shown)")

                #expect(page.math == mathInHTML, "the browser shows \(page.math) .katex elements, backprop.html has \(mathInHTML)")
                #expect(!page.displayHeights.isEmpty, "backprop.html should have display math (.katex-display)")
                #expect(page.displayHeights.allSatisfy { $0 > 10 }, "every .katex-display should have a height, got \(page.displayHeights)")
                #expect(page.mathMLHidden, "the MathML copy of each formula should be visually hidden by katex.min.css")
                #expect(page.katexFont.contains("KaTeX_Main"), ".katex font-family is \(page.katexFont)")
                #expect(page.katexMainLoaded, "the KaTeX_Main font should load without JavaScript")
                #expect(page.leakedTeX.isEmpty, "raw TeX is visible in the text: \(page.leakedTeX)")
                #expect(!page.equationReferences.isEmpty && page.equationReferences.allSatisfy { $0.hasPrefix("(") && $0.hasSuffix(")") },
                        "equation references should read like (BP1): \(page.equationReferences.prefix(5))")

                #expect(page.codeBlocks > 0, "backprop.html should have Swift code blocks (pre.code)")
                #expect(page.keywords > 0, "no pre.code .hl-keyword: Swift code is not highlighted")
                #expect(page.keywordColor != page.codeColor,
                        "a keyword's colour (\(page.keywordColor)) should differ from plain code text (\(page.codeColor))")
                #expect(page.colorsInFirstBlock >= 3, "the first code block uses only \(page.colorsInFirstBlock) colours")

                let errors = try await browser.consoleLog().filter { $0.level == "SEVERE" }
                #expect(errors.isEmpty, "console errors without JavaScript:\n\(errors.map(\.description).joined(separator: "\n"))")

                try await browser.run("document.querySelector(arguments[0]).scrollIntoView({block: 'center'})", [".katex-display"])
                try course.saveScreenshot(try await browser.screenshot(), as: "nojs-desktop-light-backprop-math.png")
            }
        }
    }

    // MARK: - Layout and colour

    /// At phone and desktop widths, light and dark: nothing scrolls sideways and the colours follow the scheme.
    @Test("Phone and desktop, light and dark: no sideways scrolling, readable colours, screenshots")
    func layoutsAndColourSchemes() async throws {
        let course = try Self.course()
        let screens: [(name: String, width: Int, height: Int, scale: Double, mobile: Bool)] = [
            ("phone", 390, 844, 2, true),
            ("desktop", 1280, 900, 1, false),
        ]
        try await WebDriver.run(logFolder: course.root) { driver in
            try await driver.withSession { browser in
                for screen in screens {
                    try await browser.devTools("Emulation.setDeviceMetricsOverride", [
                        "width": screen.width, "height": screen.height, "deviceScaleFactor": screen.scale, "mobile": screen.mobile,
                    ])
                    for scheme in ["light", "dark"] {
                        try await browser.devTools("Emulation.setEmulatedMedia", [
                            "features": [["name": "prefers-color-scheme", "value": scheme]],
                        ])
                        for page in course.pages {
                            let context = "\(page) at \(screen.width)px, \(scheme)"
                            _ = try await browser.consoleLog()
                            try await browser.open(course.url(page))
                            let layout = try await browser.run(Self.layoutProbe, as: Layout.self)

                            // A desktop page taller than the window loses a classic scrollbar's width (15 px).
                            #expect((screen.width - 20...screen.width).contains(layout.clientWidth),
                                    "\(context): the layout viewport is \(layout.clientWidth)px wide")
                            #expect(layout.scrollWidth <= layout.clientWidth && layout.innerWidth <= screen.width,
                                    "\(context): the page scrolls sideways (scrollWidth \(layout.scrollWidth), innerWidth \(layout.innerWidth)); too wide: \(layout.offenders)")
                            #expect(layout.dark == (scheme == "dark"), "\(context): prefers-color-scheme emulation did not apply")

                            let background = Self.luminance(layout.background)
                            let text = Self.luminance(layout.text)
                            if let background, let text {
                                if scheme == "dark" {
                                    #expect(background < 0.3, "\(context): the background \(layout.background) is not dark")
                                    #expect(text > 0.5, "\(context): the text \(layout.text) is not light")
                                } else {
                                    #expect(background > 0.7, "\(context): the background \(layout.background) is not light")
                                    #expect(text < 0.3, "\(context): the text \(layout.text) is not dark")
                                }
                                let contrast = (max(background, text) + 0.05) / (min(background, text) + 0.05)
                                #expect(contrast >= 4.5, "\(context): text contrast is only \(contrast):1")
                            } else {
                                Issue.record("\(context): cannot read the colours (background \(layout.background), text \(layout.text))")
                            }
                            let errors = try await browser.consoleLog().filter { $0.level == "SEVERE" }
                            #expect(errors.isEmpty, "\(context): console errors:\n\(errors.map(\.description).joined(separator: "\n"))")

                            let stem = (page as NSString).deletingPathExtension
                            try course.saveScreenshot(try await browser.screenshot(), as: "\(screen.name)-\(scheme)-\(stem).png")
                            if page == "backprop.html" {
                                for (part, selector, block) in [("math", "#eq-bp1", "center"), ("code", "pre.code", "start")] {
                                    try await browser.run("document.querySelector(arguments[0]).scrollIntoView({block: arguments[1]})", [selector, block])
                                    try course.saveScreenshot(try await browser.screenshot(), as: "\(screen.name)-\(scheme)-\(stem)-\(part).png")
                                }
                            }
                        }
                    }
                }
            }
        }
        if ProcessInfo.processInfo.environment["NOTES_SCREENSHOTS"] != nil {
            print("Browser screenshots: \(Self.screenshotCopies.path)")
        }
    }

    // MARK: - Helpers

    /// The course the suite trait built.
    static func course() throws -> Course {
        try #require(builtCourse, "the CourseBuiltOnce trait should have built the course for this suite")
    }

    /// Waits until search.js has shown the search box, and returns its input field.
    static func searchField(_ browser: WebDriver.Session) async throws -> String {
        _ = try await browser.wait(for: "search.js to show the search box") {
            try await browser.run("""
                const box = document.querySelector('[data-search]');
                return box !== null && !box.hidden && document.getElementById('search').getBoundingClientRect().width > 0;
                """, as: Bool.self) ? true : nil
        }
        return try await browser.element("#search")
    }

    /// The WCAG relative luminance of a `#rrggbb` colour, 0 (black) to 1 (white).
    static func luminance(_ hex: String) -> Double? {
        guard hex.count == 7, hex.hasPrefix("#"), let rgb = Int(hex.dropFirst(), radix: 16) else { return nil }
        func linear(_ channel: Int) -> Double {
            let c = Double(channel) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(rgb >> 16 & 0xff) + 0.7152 * linear(rgb >> 8 & 0xff) + 0.0722 * linear(rgb & 0xff)
    }

    // MARK: - Built course

    /// The real course built once into a temporary folder, with the paths the tests need.
    struct Course: Sendable {
        /// The temporary folder holding everything below; removed after the suite.
        let root: URL
        let notes: URL
        let site: URL
        let screenshots: URL
        /// The site's `.html` files, sorted: index, 404, the verification report and one per note.
        let pages: [String]
        let noteCount: Int

        /// Builds the repository's `notes/` (found from this file's path) with `SiteBuilder`, cache included, under `root`.
        static func build(into root: URL) throws -> Course {
            let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let notes = repository.appendingPathComponent("notes")
            let site = root.appendingPathComponent("site")
            let screenshots = root.appendingPathComponent("screenshots")
            try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
            let summary = try SiteBuilder(options: BuildOptions(notes: notes, output: site, title: "Course Notes",
                                                                cache: root.appendingPathComponent("cache"))).build()
            let pages = try FileManager.default.contentsOfDirectory(atPath: site.path).filter { $0.hasSuffix(".html") }.sorted()
            return Course(root: root, notes: notes, site: site, screenshots: screenshots, pages: pages, noteCount: summary.notes)
        }

        func url(_ page: String) -> URL { site.appendingPathComponent(page) }

        func html(_ page: String) throws -> String { try String(contentsOf: url(page), encoding: .utf8) }

        /// What is wrong with a `file:` link of the site (missing page, missing anchor), or nil.
        func problem(withLink link: String) -> String? {
            guard let target = URL(string: link), target.isFileURL else { return "not a file URL" }
            let path = target.path
            guard path.hasPrefix(site.path + "/") else { return "points outside the site" }
            guard FileManager.default.fileExists(atPath: path) else { return "no such file" }
            guard let fragment = target.fragment, !fragment.isEmpty, path.hasSuffix(".html") else { return nil }
            var anchor = fragment.removingPercentEncoding ?? fragment
            // A live widget's "link to this state": #live-NAME:STATE points at the figure #live-NAME.
            if anchor.hasPrefix("live-"), let colon = anchor.firstIndex(of: ":") { anchor = String(anchor[..<colon]) }
            guard let html = try? String(contentsOfFile: path, encoding: .utf8) else { return "unreadable" }
            return html.contains("id=\"\(anchor)\"") ? nil : "no element with id \"\(anchor)\""
        }

        /// Saves a screenshot in the temporary folder, and in /tmp/notes-screens/ when `NOTES_SCREENSHOTS` is set.
        func saveScreenshot(_ png: Data, as name: String) throws {
            try png.write(to: screenshots.appendingPathComponent(name))
            if ProcessInfo.processInfo.environment["NOTES_SCREENSHOTS"] != nil {
                try FileManager.default.createDirectory(at: BrowserTests.screenshotCopies, withIntermediateDirectories: true)
                try png.write(to: BrowserTests.screenshotCopies.appendingPathComponent(name))
            }
        }
    }

    // MARK: - Page probes

    /// What a page loaded, read once fonts are ready.
    struct PageLoad: Decodable {
        struct Stylesheet: Decodable { let href: String; let loaded: Bool }
        let title: String
        let stylesheets: [Stylesheet]
        let themeBackground: String
        let katexFont: String
        let failedFonts: [String]
        let math: Int
        let katexMainLoaded: Bool?
        let brokenImages: [String]
        let searchIndexEntries: Int
        let searchBoxes: Int
        let hiddenSearchBoxes: Int
        let links: [String]
    }

    static let pageLoadProbe = """
        return (async () => {
          await document.fonts.ready;
          const math = document.querySelectorAll('.katex').length;
          let katexMainLoaded = null;
          if (math > 0) {
            // Rejects with a NetworkError when the font file is missing.
            const faces = await document.fonts.load('12px KaTeX_Main').catch(() => []);
            katexMainLoaded = faces.length > 0 && faces.every(face => face.status === 'loaded');
          }
          const probe = document.createElement('span');
          probe.className = 'katex';
          document.body.append(probe);
          const katexFont = getComputedStyle(probe).fontFamily;
          probe.remove();
          return {
            title: document.title,
            stylesheets: [...document.querySelectorAll('link[rel~="stylesheet"]')].map(link => ({ href: link.href, loaded: link.sheet !== null })),
            themeBackground: getComputedStyle(document.documentElement).getPropertyValue('--bg').trim(),
            katexFont,
            failedFonts: [...document.fonts].filter(face => face.status === 'error').map(face => `${face.family} ${face.style} ${face.weight}`),
            math,
            katexMainLoaded,
            brokenImages: [...document.images].filter(image => !image.complete || image.naturalWidth === 0).map(image => image.src),
            searchIndexEntries: Array.isArray(window.NOTES_SEARCH_INDEX) ? window.NOTES_SEARCH_INDEX.length : -1,
            searchBoxes: document.querySelectorAll('[data-search]').length,
            hiddenSearchBoxes: document.querySelectorAll('[data-search][hidden]').length,
            links: [...document.querySelectorAll('a[href]')].map(a => a.href).filter(href => href.startsWith('file:')),
          };
        })();
        """

    /// The state of the search results list.
    struct SearchResults: Decodable {
        let open: Bool
        let hrefs: [String]
        let marks: [String]
        /// The list's text when it holds no link at all (the "no results" message), else nil.
        let empty: String?
    }

    static let searchResultsProbe = """
        const list = document.getElementById('search-results');
        return {
          open: !list.hidden,
          hrefs: [...list.querySelectorAll('a.search-result')].map(a => a.getAttribute('href')),
          marks: [...list.querySelectorAll('mark')].map(mark => mark.textContent),
          empty: list.querySelector('a') ? null : list.textContent.trim(),
        };
        """

    /// What a note shows without JavaScript: typeset math, highlighted code, a hidden search box.
    struct StaticRendering: Decodable {
        let scriptsRan: Bool
        let searchBoxes: Int
        let searchBoxesShown: Int
        let math: Int
        let displayHeights: [Double]
        let mathMLHidden: Bool
        let katexFont: String
        let katexMainLoaded: Bool
        let leakedTeX: [String]
        let equationReferences: [String]
        let codeBlocks: Int
        let keywords: Int
        let keywordColor: String
        let codeColor: String
        let colorsInFirstBlock: Int
    }

    static let staticRenderingProbe = #"""
        return (async () => {
          await document.fonts.ready;
          const faces = await document.fonts.load('12px KaTeX_Main').catch(() => []);
          const boxes = [...document.querySelectorAll('[data-search]')];
          const text = document.querySelector('.note-body').cloneNode(true);
          text.querySelectorAll('.katex, pre, code').forEach(element => element.remove());
          const prose = text.textContent;
          const mathML = [...document.querySelectorAll('.katex .katex-mathml')].map(element => element.getBoundingClientRect());
          const block = document.querySelector('pre.code');
          const keyword = document.querySelector('pre.code .hl-keyword');
          const colors = new Set(block ? [...block.querySelectorAll('*')].map(element => getComputedStyle(element).color) : []);
          return {
            scriptsRan: typeof window.NOTES_SEARCH_INDEX !== 'undefined',
            searchBoxes: boxes.length,
            searchBoxesShown: boxes.filter(box => !box.hidden || getComputedStyle(box).display !== 'none').length,
            math: document.querySelectorAll('.katex').length,
            displayHeights: [...document.querySelectorAll('.katex-display')].map(element => element.getBoundingClientRect().height),
            mathMLHidden: mathML.length > 0 && mathML.every(rect => rect.width <= 1 && rect.height <= 1),
            katexFont: getComputedStyle(document.querySelector('.katex')).fontFamily,
            katexMainLoaded: faces.length > 0 && faces.every(face => face.status === 'loaded'),
            leakedTeX: ['$$', '\\frac', '\\sigma', '\\partial', '\\delta'].filter(token => prose.includes(token)),
            equationReferences: [...document.querySelectorAll('a.eq-ref')].map(a => a.textContent),
            codeBlocks: document.querySelectorAll('pre.code').length,
            keywords: document.querySelectorAll('pre.code .hl-keyword').length,
            keywordColor: keyword ? getComputedStyle(keyword).color : '',
            codeColor: block ? getComputedStyle(block.querySelector('code') || block).color : '',
            colorsInFirstBlock: colors.size,
          };
        })();
        """#

    /// A page's width against the viewport, and its colours as `#rrggbb`.
    struct Layout: Decodable {
        let scrollWidth: Int
        let clientWidth: Int
        let innerWidth: Int
        let offenders: [String]
        let dark: Bool
        let background: String
        let text: String
    }

    /// Note: with mobile emulation `innerWidth` grows to fit content that is too wide, so the probe
    /// compares `scrollWidth` with the layout viewport (`clientWidth`), and lists the widest culprits.
    static let layoutProbe = #"""
        return (async () => {
          await document.fonts.ready;
          const root = document.documentElement;
          const limit = root.clientWidth;
          let offenders = [];
          if (root.scrollWidth > limit) {
            const clipped = element => {
              for (let parent = element.parentElement; parent && parent !== root; parent = parent.parentElement) {
                if (getComputedStyle(parent).overflowX !== 'visible') return true;
              }
              return false;
            };
            const wide = [...document.body.querySelectorAll('*')].filter(element => element.getBoundingClientRect().right > limit + 0.5 && !clipped(element));
            offenders = wide.filter(element => !wide.includes(element.parentElement)).slice(0, 5).map(element =>
              element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') +
              (typeof element.className === 'string' && element.className.trim() ? '.' + element.className.trim().split(/\s+/).join('.') : '') +
              ` (right edge at ${Math.round(element.getBoundingClientRect().right)}px)`);
          }
          const context = document.createElement('canvas').getContext('2d');
          const hex = color => { context.fillStyle = '#000000'; context.fillStyle = color; return context.fillStyle; };
          const opaque = color => color !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(color);
          const backgrounds = [document.body, root].map(element => getComputedStyle(element).backgroundColor).filter(opaque);
          return {
            scrollWidth: root.scrollWidth,
            clientWidth: limit,
            innerWidth: window.innerWidth,
            offenders,
            dark: matchMedia('(prefers-color-scheme: dark)').matches,
            background: backgrounds.length ? hex(backgrounds[0]) : 'transparent',
            text: hex(getComputedStyle(document.body).color),
          };
        })();
        """#
}

/// Builds the course once around the whole `BrowserTests` suite, shares it as `BrowserTests.builtCourse`, and removes it afterwards.
///
/// A suite trait because Swift Testing makes a new suite instance per test; it cannot be nested in
/// `BrowserTests`, whose own `@Suite` attribute names it (that would be a circular reference).
fileprivate struct CourseBuiltOnce: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("notes-browser-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let course = try BrowserTests.Course.build(into: root)
        try await BrowserTests.$builtCourse.withValue(course) { try await function() }
    }
}
