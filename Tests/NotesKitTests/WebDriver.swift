import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `chromedriver` process and headless Chromium sessions, driven through the W3C WebDriver HTTP API.
///
/// `WebDriver.run { driver in … }` starts `chromedriver` on a free port and always stops it;
/// inside, `driver.withSession { browser in … }` opens a browser and always quits it, even when
/// the body throws. Every request and every wait has a time limit, so a hung browser fails the
/// test instead of hanging it. Besides the W3C commands it uses two chromedriver extensions:
/// `POST /session/{id}/se/log` (the browser console) and `POST /session/{id}/goog/cdp/execute`
/// (DevTools commands such as device and media emulation).
///
/// Requests go over a loopback socket with a minimal HTTP/1.1 client, not `URLSession`: on Linux,
/// FoundationNetworking up to Swift 6.3 rejects chromedriver's header lines (`Content-Length:250`,
/// no space after the colon, which RFC 9110 allows) with "Failed writing header"
/// (fixed by swiftlang/swift-corelibs-foundation#5527).
final class WebDriver {
    /// A WebDriver failure, or a tool that is not installed, with a message for the test report.
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// How a browser session is set up.
    struct Options {
        /// Whether pages may run JavaScript (WebDriver's own scripts run either way).
        var javaScript = true
        /// The window size in CSS pixels before any emulation.
        var windowSize = (width: 1280, height: 900)
    }

    /// One console message from the browser log; `level` is `SEVERE` for errors and failed loads.
    struct LogEntry: Decodable, CustomStringConvertible {
        let level: String
        let message: String
        let source: String?
        var description: String { "[\(level)\(source.map { " \($0)" } ?? "")] \(message)" }
    }

    private static let installHint = "run script/setup --test to install chromium and chromium-driver"

    /// The loopback port chromedriver listens on.
    let port: Int
    private let log: URL
    private let chromium: String

    private init(port: Int, log: URL, chromium: String) {
        self.port = port
        self.log = log
        self.chromium = chromium
    }

    // MARK: - chromedriver

    /// Starts chromedriver (its output goes to `folder`), runs `body`, and stops chromedriver whatever happens.
    ///
    /// Throws, so the calling test fails, when `chromedriver` or Chromium is not on `PATH`.
    static func run<T>(logFolder folder: URL, _ body: (WebDriver) async throws -> T) async throws -> T {
        guard let chromedriver = executable(named: ["chromedriver"]) else {
            throw Failure("chromedriver is not on PATH: \(installHint)")
        }
        guard let chromium = executable(named: ["chromium", "chromium-browser", "google-chrome"]) else {
            throw Failure("Chromium is not on PATH (looked for chromium, chromium-browser, google-chrome): \(installHint)")
        }
        let log = folder.appendingPathComponent("chromedriver-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromedriver)
        process.arguments = ["--port=0"] // the system picks a free port; chromedriver prints it
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()

        let driver: WebDriver
        do {
            let port = try await waitForPort(process: process, log: log)
            driver = WebDriver(port: port, log: log, chromium: chromium)
            try await driver.waitUntilReady()
        } catch {
            await stop(process, port: nil)
            throw error
        }
        let result: T
        do {
            result = try await body(driver)
        } catch {
            await stop(process, port: driver.port)
            throw error
        }
        await stop(process, port: driver.port)
        return result
    }

    /// The first executable with one of `names` in a `PATH` folder.
    static func executable(named names: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            for name in names {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Reads chromedriver's output until it says which port it took (at most 60 s: a loaded machine starts it slowly).
    private static func waitForPort(process: Process, log: URL) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let match = text.firstMatch(of: /started successfully on port (\d+)/), let port = Int(match.1) {
                return port
            }
            if !process.isRunning {
                throw Failure("chromedriver exited with status \(process.terminationStatus) before listening: \(text.suffix(800))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure("chromedriver did not report its port within 60 s; its output: \((try? String(contentsOf: log, encoding: .utf8))?.suffix(800) ?? "")")
    }

    /// Polls `GET /status` until chromedriver is ready for sessions (at most 10 s).
    private func waitUntilReady() async throws {
        struct Status: Decodable { let ready: Bool }
        let deadline = ContinuousClock.now + .seconds(60)
        var last = "no answer"
        while ContinuousClock.now < deadline {
            do {
                let status: Status = try decode(try await send("GET", "/status", timeout: 2))
                if status.ready { return }
                last = "ready: false"
            } catch {
                last = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure("chromedriver on port \(port) was not ready within 60 s (\(last))")
    }

    /// Stops chromedriver with `GET /shutdown`, which also closes any browser left open, and kills it if it is still there after 5 s.
    ///
    /// Not `Process.terminate()`: a child started from a Swift Testing thread inherits that
    /// thread's signal mask, in which SIGTERM is blocked, so chromedriver would never see it.
    private static func stop(_ process: Process, port: Int?) async {
        guard process.isRunning else { return }
        if let port {
            _ = try? await exchangeOffThread(port: port, "GET", "/shutdown", nil, timeout: 5)
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    // MARK: - Sessions

    /// Opens a headless Chromium session, runs `body` with it, and quits the browser whatever happens.
    func withSession<T>(_ options: Options = Options(), _ body: (Session) async throws -> T) async throws -> T {
        var chromeOptions: [String: Any] = [
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=\(options.windowSize.width),\(options.windowSize.height)"],
        ]
        if !options.javaScript {
            chromeOptions["prefs"] = ["profile.managed_default_content_settings.javascript": 2]
        }
        let capabilities: [String: Any] = [
            "goog:chromeOptions": chromeOptions,
            "goog:loggingPrefs": ["browser": "ALL"],
            "timeouts": ["implicit": 0, "pageLoad": 20_000, "script": 10_000],
        ]
        let created: NewSession
        do {
            created = try decode(try await send("POST", "/session", ["capabilities": ["alwaysMatch": capabilities]], timeout: 60))
        } catch {
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw Failure("cannot start Chromium (\(chromium)): \(error)\nchromedriver output: \(output.suffix(800))")
        }
        let session = Session(driver: self, id: created.sessionId)
        let result: T
        do {
            result = try await body(session)
        } catch {
            await session.quit()
            throw error
        }
        await session.quit()
        return result
    }

    /// The answer to `POST /session`.
    private struct NewSession: Decodable { let sessionId: String }

    /// One browser (window, profile, console log) under chromedriver's control.
    final class Session {
        /// The W3C key under which an element reference is returned.
        private static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

        let driver: WebDriver
        let id: String
        private var isOpen = true

        fileprivate init(driver: WebDriver, id: String) {
            self.driver = driver
            self.id = id
        }

        private func send(_ method: String, _ path: String, _ body: [String: Any]? = nil, timeout: TimeInterval = 30) async throws -> Any {
            try await driver.send(method, "/session/\(id)\(path)", body, timeout: timeout)
        }

        /// Closes the browser; errors are ignored (this runs during cleanup).
        func quit() async {
            guard isOpen else { return }
            isOpen = false
            _ = try? await driver.send("DELETE", "/session/\(id)", timeout: 15)
        }

        /// Opens `url` and returns once the page has loaded (`load` event), within the page-load timeout.
        func open(_ url: URL) async throws {
            _ = try await send("POST", "/url", ["url": url.absoluteString])
        }

        /// The address of the current page.
        func currentURL() async throws -> String {
            try driver.decode(try await send("GET", "/url"))
        }

        /// Runs `script` as a function body in the page (`arguments` holds `args`) and decodes what it returns.
        ///
        /// A returned promise is awaited, within the session's 10 s script timeout.
        func run<T: Decodable>(_ script: String, _ args: [Any] = [], as type: T.Type = T.self) async throws -> T {
            try driver.decode(try await send("POST", "/execute/sync", ["script": script, "args": args]))
        }

        /// Runs `script` for its effect, ignoring what it returns.
        func run(_ script: String, _ args: [Any] = []) async throws {
            _ = try await send("POST", "/execute/sync", ["script": script, "args": args])
        }

        /// The references of the elements matching a CSS selector, possibly none.
        func elements(_ selector: String) async throws -> [String] {
            let found = try await send("POST", "/elements", ["using": "css selector", "value": selector])
            return (found as? [[String: Any]] ?? []).compactMap { $0[Self.elementKey] as? String }
        }

        /// The first element matching a CSS selector; throws if there is none.
        func element(_ selector: String) async throws -> String {
            guard let first = try await elements(selector).first else {
                throw Failure("no element matches \(selector) on \((try? await currentURL()) ?? "the page")")
            }
            return first
        }

        /// Clicks an element as a user would (scrolled into view, a real pointer event).
        func click(_ element: String) async throws {
            _ = try await send("POST", "/element/\(element)/click", [:])
        }

        /// Types `text` into an element as keystrokes (`"\u{E007}"` is Enter).
        func type(_ text: String, into element: String) async throws {
            _ = try await send("POST", "/element/\(element)/value", ["text": text])
        }

        /// Returns, and clears, the console messages logged since the last call.
        func consoleLog() async throws -> [LogEntry] {
            try driver.decode(try await send("POST", "/se/log", ["type": "browser"]))
        }

        /// Sends a Chrome DevTools Protocol command, e.g. `Emulation.setEmulatedMedia`.
        func devTools(_ command: String, _ parameters: [String: Any] = [:]) async throws {
            _ = try await send("POST", "/goog/cdp/execute", ["cmd": command, "params": parameters])
        }

        /// A PNG of the viewport.
        func screenshot() async throws -> Data {
            let base64: String = try driver.decode(try await send("GET", "/screenshot"))
            guard let png = Data(base64Encoded: base64) else { throw Failure("the screenshot is not base64") }
            return png
        }

        /// Polls `probe` every 100 ms until it returns a value, failing after `timeout`.
        func wait<T>(for what: String, timeout: Duration = .seconds(5), _ probe: () async throws -> T?) async throws -> T {
            let deadline = ContinuousClock.now + timeout
            while true {
                if let value = try await probe() { return value }
                if ContinuousClock.now >= deadline {
                    throw Failure("timed out after \(timeout) waiting for \(what) on \((try? await currentURL()) ?? "the page")")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    // MARK: - HTTP

    /// Sends one WebDriver command and returns its `value`, or throws the WebDriver error it reports.
    fileprivate func send(_ method: String, _ path: String, _ body: [String: Any]? = nil, timeout: TimeInterval = 30) async throws -> Any {
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let (status, data) = try await Self.exchangeOffThread(port: port, method, path, payload, timeout: timeout)
        let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        let value = (json as? [String: Any])?["value"] ?? NSNull()
        guard (200..<300).contains(status) else {
            let error = (value as? [String: Any])?["error"] as? String ?? "HTTP \(status)"
            let message = (value as? [String: Any])?["message"] as? String ?? String(decoding: data.prefix(500), as: UTF8.self)
            throw Failure("WebDriver \(method) \(path) failed: \(error): \(message.prefix(800))")
        }
        return value
    }

    /// Runs `exchange` on a thread of its own, so that its blocking socket calls stay off Swift's small cooperative pool.
    private static func exchangeOffThread(port: Int, _ method: String, _ path: String, _ body: Data?,
                                          timeout: TimeInterval) async throws -> (status: Int, body: Data) {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try exchange(port: port, method, path, body, timeout: timeout) })
            }.start()
        }
    }

    /// One HTTP/1.1 request to `127.0.0.1:port` and its response (status and body), within `timeout` seconds.
    private static func exchange(port: Int, _ method: String, _ path: String, _ body: Data?,
                                 timeout: TimeInterval) throws -> (status: Int, body: Data) {
        let deadline = Date().addingTimeInterval(timeout)
        func failure(_ what: String) -> Failure {
            Failure("\(method) \(path) to chromedriver on port \(port): \(what) (errno \(errno): \(String(cString: strerror(errno))))")
        }
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let noSignal = Int32(MSG_NOSIGNAL)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        let noSignal: Int32 = 0
        #endif
        guard fd >= 0 else { throw failure("cannot create a socket") }
        defer { close(fd) }
        #if canImport(Darwin)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        // Each send and recv gives up after a second without progress; the loops below check the deadline.
        var wait = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw failure("cannot connect") }

        let body = body ?? Data()
        var request = Data(("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
            + "Accept: application/json\r\nContent-Type: application/json; charset=utf-8\r\n"
            + "Content-Length: \(body.count)\r\n\r\n").utf8)
        request.append(body)
        var sent = 0
        while sent < request.count {
            #if canImport(Glibc)
            let count = request.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, request.count - sent, noSignal) }
            #else
            let count = request.withUnsafeBytes { Darwin.send(fd, $0.baseAddress! + sent, request.count - sent, noSignal) }
            #endif
            if count > 0 {
                sent += count
            } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) && Date() < deadline {
                continue
            } else {
                throw failure(Date() < deadline ? "cannot send the request" : "timed out after \(timeout) s sending the request")
            }
        }

        var response = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var expectedLength: Int?
        while true {
            if let headerEnd = response.range(of: Data("\r\n\r\n".utf8)) {
                if expectedLength == nil { expectedLength = contentLength(String(decoding: response[..<headerEnd.lowerBound], as: UTF8.self)) }
                if let expectedLength, response.count - headerEnd.upperBound >= expectedLength { break }
            }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 {
                response.append(contentsOf: buffer[0..<count])
            } else if count == 0 {
                break // the server closed the connection: the response is complete
            } else if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) && Date() < deadline {
                continue
            } else {
                throw failure(Date() < deadline ? "cannot read the response" : "no complete response within \(timeout) s")
            }
        }
        guard let headerEnd = response.range(of: Data("\r\n\r\n".utf8)) else {
            throw Failure("\(method) \(path): malformed HTTP response: \(String(decoding: response.prefix(300), as: UTF8.self))")
        }
        let head = String(decoding: response[..<headerEnd.lowerBound], as: UTF8.self)
        let statusLine = head.split(separator: "\r\n", maxSplits: 1).first ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw Failure("\(method) \(path): bad status line \(statusLine)") }
        var content = Data(response[headerEnd.upperBound...])
        if let expectedLength = contentLength(head) { content = content.prefix(expectedLength) }
        return (status, content)
    }

    /// The `Content-Length` of a response head, however the header line is spaced.
    private static func contentLength(_ head: String) -> Int? {
        for line in head.split(separator: "\r\n").dropFirst() {
            let field = line.split(separator: ":", maxSplits: 1)
            if field.count == 2, field[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-length" {
                return Int(field[1].trimmingCharacters(in: .whitespaces))
            }
        }
        return nil
    }

    /// Decodes a JSON `value` (as returned by `send`) into a Swift type.
    fileprivate func decode<T: Decodable>(_ value: Any, as type: T.Type = T.self) throws -> T {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw Failure("unexpected WebDriver answer for \(T.self): \(String(decoding: data.prefix(800), as: UTF8.self)) (\(error))")
        }
    }
}
