import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Typesets TeX to HTML+MathML with KaTeX, in one long-lived `node` process per instance.
///
/// Requests go to `katex-server.js` (in NotesKit's resources) as newline-delimited JSON on the
/// process's stdin, written on a helper thread while replies are read on the calling thread, so a
/// batch of any size cannot deadlock on full pipes. Identical requests are typeset once: within a
/// batch, and across batches through a cache bounded by ``cacheLimit``.
///
/// KaTeX runs with `output: "htmlAndMathml"`, `throwOnError: true`, `trust: false` and
/// `strict: "ignore"` (strict `"error"` rejects ordinary notes TeX such as `é` in math mode, and
/// `"warn"` only prints to stderr). Calls on one instance are serialized by a lock; use one
/// instance per thread to typeset in parallel.
final class KaTeXRenderer: MathRenderer, @unchecked Sendable {
    /// Where KaTeX is loaded from unless `NOTES_KATEX_MODULE` or the initializer says otherwise.
    static let defaultKaTeXModule = "/usr/share/nodejs/katex"

    /// How many bytes of typeset HTML the cross-batch cache may hold.
    static let cacheLimit = 64 << 20

    /// The version of KaTeX the process loaded, such as `0.16.4`.
    let katexVersion: String

    // Everything below is guarded by `lock` (hence `@unchecked Sendable`).
    private let lock = NSLock()
    private let process: Process
    private let input: FileHandle
    private let output: FileHandle
    private let replies: FrameReader
    private let stderr: StderrLog
    /// Kills Node if the tool is interrupted.
    private let registration: Interruption.Token
    private var cache: [MathRequest: MathOutcome] = [:]
    private var cacheBytes = 0
    private var failure: KaTeXRendererError?
    private var isClosed = false

    /// Starts the `node` process and waits until KaTeX has loaded in it.
    ///
    /// - Parameters:
    ///   - nodePath: The node executable; by default `node`, then `nodejs`, found on `PATH`.
    ///   - katexModule: What to `require` for KaTeX; by default `NOTES_KATEX_MODULE`, then
    ///     ``defaultKaTeXModule``.
    /// - Throws: ``KaTeXRendererError`` saying what to install when node or KaTeX is missing.
    init(nodePath: String? = nil, katexModule: String? = nil) throws {
        let node = try nodePath.map(Self.checkExecutable) ?? Self.findNode()
        let environment = ProcessInfo.processInfo.environment
        let module = katexModule ?? environment["NOTES_KATEX_MODULE"] ?? Self.defaultKaTeXModule
        if module.hasPrefix("/"), !FileManager.default.fileExists(atPath: module) {
            throw KaTeXRendererError.katexNotFound(module: module, detail: "no such file or directory")
        }
        guard let script = Bundle.module.url(
            forResource: "katex-server", withExtension: "js", subdirectory: "Resources"
        ) else { throw KaTeXRendererError.serverScriptMissing }

        let (stdinPipe, stdoutPipe, stderrPipe) = (Pipe(), Pipe(), Pipe())
        process = Process()
        process.executableURL = URL(fileURLWithPath: node)
        process.arguments = [script.path, module]
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        do {
            try process.run()
        } catch {
            throw KaTeXRendererError.nodeNotFound(detail: "cannot run \(node): \(error)")
        }
        registration = Interruption.register(process: process.processIdentifier)
        input = stdinPipe.fileHandleForWriting
        output = stdoutPipe.fileHandleForReading
        stderr = StderrLog(reading: stderrPipe.fileHandleForReading)
        replies = FrameReader(fileDescriptor: output.fileDescriptor)

        var ready: FrameReader.Frame?
        do { ready = try replies.next() } catch { process.terminate() }
        guard let frame = ready, frame.kind == "ready" else {
            if ready != nil { process.terminate() }
            let died = Self.deathError(of: process, stderr: stderr)
            registration.end()
            try? input.close()
            try? output.close()
            if case .processDied(3, let log) = died {
                throw KaTeXRendererError.katexNotFound(module: module, detail: log)
            }
            throw died
        }
        katexVersion = frame.payload
    }

    deinit { close() }

    /// Typesets every request, returning one outcome per request in the same order.
    ///
    /// - Throws: ``KaTeXRendererError`` when the process has died (with its stderr) or was closed;
    ///   never for a TeX error, which is that request's `.failed` outcome.
    func render(_ requests: [MathRequest]) throws -> [MathOutcome] {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        var outcomes = [MathOutcome?](repeating: nil, count: requests.count)
        var unique: [MathRequest] = []
        var slots: [MathRequest: Int] = [:]
        var pending: [(request: Int, slot: Int)] = []
        for (index, request) in requests.enumerated() {
            if let cached = cache[request] {
                outcomes[index] = cached
            } else if let slot = slots[request] {
                pending.append((index, slot))
            } else {
                slots[request] = unique.count
                pending.append((index, unique.count))
                unique.append(request)
            }
        }
        let fresh = try typeset(unique)
        for (index, slot) in pending { outcomes[index] = fresh[slot] }
        for (request, outcome) in zip(unique, fresh) { remember(outcome, for: request) }
        return outcomes.map { $0! }
    }

    /// Ends the process; later calls to ``render(_:)`` throw. Also done on deinit.
    func close() {
        lock.lock()
        defer { lock.unlock() }
        guard !isClosed else { return }
        isClosed = true
        registration.end()
        failure = failure ?? .closed
        try? input.close()  // node exits at the end of its input
        process.waitUntilExit()
        try? output.close()
    }

    /// The folder holding `katex.min.css` and `fonts/`, to copy into the site.
    ///
    /// Debian's libjs-katex and fonts-katex put them in `/usr/share/javascript/katex`;
    /// `NOTES_KATEX_ASSETS` overrides it.
    static var assetsDirectory: URL {
        let path = ProcessInfo.processInfo.environment["NOTES_KATEX_ASSETS"] ?? "/usr/share/javascript/katex"
        return URL(fileURLWithPath: path, isDirectory: true)
    }

    // MARK: - Talking to the process

    /// Sends distinct requests and reads their replies; the caller holds `lock`.
    private func typeset(_ requests: [MathRequest]) throws -> [MathOutcome] {
        guard !requests.isEmpty else { return [] }
        let writer = RequestWriter(requests, fileDescriptor: input.fileDescriptor)
        writer.start()
        var outcomes: [MathOutcome] = []
        outcomes.reserveCapacity(requests.count)
        do {
            while outcomes.count < requests.count {
                guard let frame = try replies.next() else {
                    throw Self.deathError(of: process, stderr: stderr)
                }
                guard frame.index == outcomes.count, frame.kind == "html" || frame.kind == "error" else {
                    throw KaTeXRendererError.protocolViolation(
                        "expected reply \(outcomes.count), got \(frame.index) \(frame.kind)")
                }
                outcomes.append(frame.kind == "html" ? .rendered(html: frame.payload) : .failed(message: frame.payload))
            }
        } catch let error as KaTeXRendererError {
            failure = error
            if process.isRunning { process.terminate() }
            writer.wait()
            throw error
        }
        writer.wait()
        return outcomes
    }

    /// Caches an outcome while the cache is under ``cacheLimit``.
    private func remember(_ outcome: MathOutcome, for request: MathRequest) {
        let size: Int
        switch outcome {
        case .rendered(let html): size = html.utf8.count
        case .failed(let message): size = message.utf8.count
        }
        guard cacheBytes + size <= Self.cacheLimit else { return }
        cache[request] = outcome
        cacheBytes += size
    }

    /// The error for a process that closed its output, once it has exited.
    private static func deathError(of process: Process, stderr: StderrLog) -> KaTeXRendererError {
        process.waitUntilExit()
        return .processDied(status: process.terminationStatus, stderr: stderr.contents())
    }

    // MARK: - Finding node

    /// The given node path, if it can be run.
    private static func checkExecutable(_ path: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw KaTeXRendererError.nodeNotFound(detail: "\(path) is not an executable")
        }
        return path
    }

    /// The first `node`, then `nodejs`, on `PATH`.
    static func findNode() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for name in ["node", "nodejs"] {
            for folder in path.split(separator: ":") where !folder.isEmpty {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        throw KaTeXRendererError.nodeNotFound(detail: "neither node nor nodejs is on PATH")
    }
}
