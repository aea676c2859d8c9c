import Foundation
import Testing
@testable import NotesKit

/// `notes serve` end to end: the real binary on an ephemeral port, a real page in headless
/// Chromium, and an author editing, breaking, fixing and deleting a note.
@Suite("Preview in the browser (slow: runs notes serve)", .serialized) struct PreviewBrowserTests {
    /// A running `notes serve` and what it printed.
    final class Server: @unchecked Sendable {
        let process = Process()
        let root: URL
        private let lock = NSLock()
        private var out = Data(), err = Data()

        init(root: URL, port: Int = 0) throws {
            self.root = root
            TestEnvironment.prepare()
            process.executableURL = CommandLineTests.binary
            process.arguments = ["serve", "--port", String(port), "--notes", "notes", "--output", "site", "--cache", "cache"]
            process.currentDirectoryURL = root
            let stdout = Pipe(), stderr = Pipe()
            process.standardOutput = stdout
            process.standardError = stderr
            process.standardInput = FileHandle.nullDevice
            stdout.fileHandleForReading.readabilityHandler = { [weak self] handle in self?.append(handle.availableData, error: false) }
            stderr.fileHandleForReading.readabilityHandler = { [weak self] handle in self?.append(handle.availableData, error: true) }
            try process.run()
        }

        private func append(_ data: Data, error: Bool) {
            lock.lock()
            if error { err.append(data) } else { out.append(data) }
            lock.unlock()
        }

        var stdout: String { lock.lock(); defer { lock.unlock() }; return String(decoding: out, as: UTF8.self) }
        var stderr: String { lock.lock(); defer { lock.unlock() }; return String(decoding: err, as: UTF8.self) }

        /// The address it prints once the first build is done and it listens.
        func address() async throws -> URL {
            let deadline = ContinuousClock.now + .seconds(240)
            while ContinuousClock.now < deadline {
                if let line = stdout.split(separator: "\n").first(where: { $0.hasPrefix("Serving http") }),
                   let url = URL(string: String(line.split(separator: " ")[1])) {
                    return url
                }
                guard process.isRunning else { throw PreviewError("notes serve exited: \(stderr)") }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw PreviewError("notes serve printed no address: \(stderr)")
        }

        /// Ctrl-C, and the exit status.
        func interrupt() -> Int32 {
            kill(process.processIdentifier, SIGINT)
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    static let filler = (1...40).map { "Paragraph \($0) of filler, so that the page scrolls: gradient descent, step by step." }
        .joined(separator: "\n\n")

    static func page(sentence: String, code: String) -> String {
        "---\ntitle: Preview page\n---\n\n\(sentence)\n\n\(filler)\n\n```swift\n\(code)\n```\n\n```output\n4\n```\n\nThe end.\n"
    }

    @Test func anAuthorEditsBreaksFixesAndDeletesANote() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("notes-serve-e2e-\(UUID().uuidString)")
        let notes = root.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: notes, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let note = notes.appendingPathComponent("page.md")
        let good = "let x = 2 + 2\nprint(x)"
        try Self.page(sentence: "The original sentence.", code: good).write(to: note, atomically: true, encoding: .utf8)
        try "---\ntitle: Other page\n---\n\nAnother note.\n".write(to: notes.appendingPathComponent("other.md"), atomically: true, encoding: .utf8)

        let server = try Server(root: root)
        defer { if server.process.isRunning { _ = server.interrupt() } }
        let base = try await server.address()
        #expect(base.host == "127.0.0.1")

        try await WebDriver.run(logFolder: root) { driver in
            try await driver.withSession { browser in
                func connected() async throws {
                    _ = try await browser.wait(for: "the page's connection to notes serve", timeout: .seconds(10)) {
                        try await browser.run("return window.notesServe && window.notesServe.connected ? true : null", as: Bool?.self)
                    }
                }
                try await browser.open(base.appendingPathComponent("page.html"))
                try await connected()
                try await browser.run("window.scrollTo(0, 900); window.notesMarker = 'before'")
                let scrolled: Double = try await browser.run("return window.scrollY", as: Double.self)
                #expect(scrolled > 800)

                // A prose edit: the page changes by itself, in place (it is not reloaded: the
                // marker stays), at the same place, with the new text.
                try Self.page(sentence: "The edited sentence.", code: good).write(to: note, atomically: true, encoding: .utf8)
                let how: String = try await browser.wait(for: "the edited text", timeout: .seconds(20)) {
                    try await browser.run("return document.body && document.body.innerText.includes('The edited sentence.') && window.notesServe.shown "
                                          + "&& window.notesServe.shown.how === 'patched' ? String(window.notesMarker) : null", as: String?.self)
                }
                #expect(how == "before")
                #expect(try await browser.run("return document.querySelectorAll('p').length > 40 && document.title.includes('Preview page')", as: Bool.self))
                _ = try await browser.wait(for: "the scroll position after the update", timeout: .seconds(5)) {
                    let y: Double = try await browser.run("return window.scrollY", as: Double.self)
                    return abs(y - scrolled) < 2 ? y : nil
                }
                try await connected()

                // A broken cell: an overlay names the file and line, and the last good page stays.
                let broken = "let x = 2 + 2\nprint(undefinedName)"
                try Self.page(sentence: "The edited sentence.", code: broken).write(to: note, atomically: true, encoding: .utf8)
                let brokenLine = Self.page(sentence: "", code: broken).components(separatedBy: "\n").firstIndex(of: "print(undefinedName)")! + 1
                let overlay: String = try await browser.wait(for: "the error overlay", timeout: .seconds(60)) {
                    try await browser.run("const o = document.getElementById('notes-serve-overlay'); return o ? o.innerText : null", as: String?.self)
                }
                #expect(overlay.contains("page.md:\(brokenLine)"), "\(overlay)")
                #expect(overlay.contains("undefinedName"), "\(overlay)")
                #expect(try await browser.run("return document.body.innerText.includes('The edited sentence.')", as: Bool.self))

                // Fixed: the overlay goes.
                try Self.page(sentence: "The fixed sentence.", code: good).write(to: note, atomically: true, encoding: .utf8)
                _ = try await browser.wait(for: "the overlay to go", timeout: .seconds(60)) {
                    try await browser.run("return !document.getElementById('notes-serve-overlay') && document.body.innerText.includes('The fixed sentence.') ? true : null", as: Bool?.self)
                }

                // Deleted: the page goes to the index.
                try FileManager.default.removeItem(at: note)
                _ = try await browser.wait(for: "the index", timeout: .seconds(20)) {
                    let url = try await browser.currentURL()
                    return url == base.absoluteString || url.hasSuffix("/index.html") ? url : nil
                }
            }
        }
        #expect(server.stderr.contains("1 page changed (page.html)"), "\(server.stderr)")
        #expect(server.stderr.contains("still serving the last good site"))

        // Ctrl-C stops it cleanly: status 130, no staging folder left.
        #expect(server.interrupt() == 130)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func aPageThatMissedABuildWhileTheServerWasDownReloadsWhenItReconnects() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("notes-serve-reconnect-\(UUID().uuidString)")
        let notes = root.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: notes, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let note = notes.appendingPathComponent("page.md")
        try "---\ntitle: Reconnecting\n---\n\nThe first sentence.\n".write(to: note, atomically: true, encoding: .utf8)

        let first = try Server(root: root)
        defer { if first.process.isRunning { _ = first.interrupt() } }
        let base = try await first.address()
        try await WebDriver.run(logFolder: root) { driver in
            try await driver.withSession { browser in
                try await browser.open(base.appendingPathComponent("page.html"))
                _ = try await browser.wait(for: "the page's connection to notes serve", timeout: .seconds(10)) {
                    try await browser.run("return window.notesServe && window.notesServe.connected ? true : null", as: Bool?.self)
                }
                try await browser.run("window.notesMarker = 'before'")
                #expect(first.interrupt() == 130)
                _ = try await browser.wait(for: "the page to see the server go", timeout: .seconds(10)) {
                    try await browser.run("return window.notesServe.connected ? null : true", as: Bool?.self)
                }
                // Edited while nobody serves; a new server on the same port builds it.
                try "---\ntitle: Reconnecting\n---\n\nThe sentence written while the server was down.\n"
                    .write(to: note, atomically: true, encoding: .utf8)
                let second = try Server(root: root, port: base.port!)
                defer { if second.process.isRunning { _ = second.interrupt() } }
                _ = try await second.address()
                _ = try await browser.wait(for: "the page to reload with the new build", timeout: .seconds(30)) {
                    try await browser.run("return !window.notesMarker && window.notesServe && window.notesServe.connected "
                                          + "&& document.body.innerText.includes('written while the server was down') ? true : null", as: Bool?.self)
                }
                #expect(second.interrupt() == 130)
            }
        }
    }
}
