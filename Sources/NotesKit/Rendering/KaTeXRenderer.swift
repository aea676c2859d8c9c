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
public final class KaTeXRenderer: MathRenderer, @unchecked Sendable {
    /// Where KaTeX is loaded from unless `NOTES_KATEX_MODULE` or the initializer says otherwise.
    public static let defaultKaTeXModule = "/usr/share/nodejs/katex"

    /// How many bytes of typeset HTML the cross-batch cache may hold.
    public static let cacheLimit = 64 << 20

    /// The version of KaTeX the process loaded, such as `0.16.4`.
    public let katexVersion: String

    // Everything below is guarded by `lock` (hence `@unchecked Sendable`).
    private let lock = NSLock()
    private let process: Process
    private let input: FileHandle
    private let output: FileHandle
    private let replies: FrameReader
    private let stderr: StderrLog
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
    public init(nodePath: String? = nil, katexModule: String? = nil) throws {
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
        input = stdinPipe.fileHandleForWriting
        output = stdoutPipe.fileHandleForReading
        stderr = StderrLog(reading: stderrPipe.fileHandleForReading)
        replies = FrameReader(fileDescriptor: output.fileDescriptor)

        var ready: FrameReader.Frame?
        do { ready = try replies.next() } catch { process.terminate() }
        guard let frame = ready, frame.kind == "ready" else {
            if ready != nil { process.terminate() }
            let died = Self.deathError(of: process, stderr: stderr)
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
    public func render(_ requests: [MathRequest]) throws -> [MathOutcome] {
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
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        guard !isClosed else { return }
        isClosed = true
        failure = failure ?? .closed
        try? input.close()  // node exits at the end of its input
        process.waitUntilExit()
        try? output.close()
    }

    /// The folder holding `katex.min.css` and `fonts/`, to copy into the site.
    ///
    /// Debian's libjs-katex and fonts-katex put them in `/usr/share/javascript/katex`;
    /// `NOTES_KATEX_ASSETS` overrides it.
    public static var assetsDirectory: URL {
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
    private static func findNode() throws -> String {
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

/// Why a ``KaTeXRenderer`` cannot typeset; the description says what to install or what broke.
public enum KaTeXRendererError: Error, Equatable, CustomStringConvertible {
    /// No usable `node` executable.
    case nodeNotFound(detail: String)
    /// `require` of the KaTeX module failed.
    case katexNotFound(module: String, detail: String)
    /// NotesKit was built without its `katex-server.js` resource.
    case serverScriptMissing
    /// The node process exited while it was expected to answer.
    case processDied(status: Int32, stderr: String)
    /// The process answered something the renderer did not ask for.
    case protocolViolation(String)
    /// ``KaTeXRenderer/close()`` was called.
    case closed

    /// What went wrong and, for a missing dependency, the Debian package to install.
    public var description: String {
        switch self {
        case .nodeNotFound(let detail):
            "node not found (\(detail)): apt-get install nodejs"
        case .katexNotFound(let module, let detail):
            "KaTeX not found at \(module): apt-get install katex (\(detail.trimmingCharacters(in: .whitespacesAndNewlines)))"
        case .serverScriptMissing:
            "katex-server.js is missing from NotesKit's resources"
        case .processDied(let status, let stderr):
            "the KaTeX process (node) exited with status \(status) mid-batch; its stderr:\n\(stderr)"
        case .protocolViolation(let detail):
            "the KaTeX process broke the protocol: \(detail)"
        case .closed:
            "the KaTeX renderer was closed"
        }
    }
}

// MARK: - Pipe plumbing

/// Reads reply frames, `<index> <kind> <length>\n` then `length` bytes, from a file descriptor.
private final class FrameReader {
    struct Frame {
        var index: Int
        var kind: String
        var payload: String
    }

    private let fileDescriptor: Int32
    private var storage = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
    private var start = 0  // first unconsumed byte
    private var end = 0  // one past the last byte read

    init(fileDescriptor: Int32) { self.fileDescriptor = fileDescriptor }

    deinit { storage.deallocate() }

    /// The next frame, or nil at end of file.
    func next() throws -> Frame? {
        var newline = find(UInt8(ascii: "\n"), from: start)
        while newline == nil {
            let scanned = end - start
            guard try fill(atLeast: 1) else { return nil }
            newline = find(UInt8(ascii: "\n"), from: start + scanned)
        }
        let header = text(start..<newline!).split(separator: " ")
        guard header.count == 3, let index = Int(header[0]), let length = Int(header[2]), length >= 0 else {
            throw KaTeXRendererError.protocolViolation("bad reply header \(header.joined(separator: " ").prefix(80))")
        }
        let bodyOffset = newline! + 1 - start
        if end - start < bodyOffset + length {
            guard try fill(atLeast: bodyOffset + length - (end - start)) else { return nil }
        }
        let body = start + bodyOffset
        start = body + length
        return Frame(index: index, kind: String(header[1]), payload: text(body..<start))
    }

    /// The offset of the first `byte` at or after `offset` in the buffered bytes.
    private func find(_ byte: UInt8, from offset: Int) -> Int? {
        guard offset < end, let hit = memchr(storage.baseAddress! + offset, Int32(byte), end - offset) else { return nil }
        return storage.baseAddress!.distance(to: hit)
    }

    /// The buffered bytes in `range`, decoded as UTF-8.
    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: storage[range]), as: UTF8.self)
    }

    /// Reads until `count` more bytes are buffered, first moving the unconsumed bytes to the
    /// front and growing the storage if needed; false at end of file.
    private func fill(atLeast count: Int) throws -> Bool {
        let unconsumed = end - start
        let needed = unconsumed + max(count, 1 << 16)
        if needed > storage.count {
            let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: max(needed, storage.count * 2), alignment: 1)
            larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[start..<end]))
            storage.deallocate()
            storage = larger
        } else if start > 0 {
            memmove(storage.baseAddress!, storage.baseAddress! + start, unconsumed)
        }
        (start, end) = (0, unconsumed)
        while end < unconsumed + count {
            let got = read(fileDescriptor, storage.baseAddress! + end, storage.count - end)
            if got < 0 && errno == EINTR { continue }
            if got < 0 { throw KaTeXRendererError.protocolViolation("reading replies failed: errno \(errno)") }
            if got == 0 { return false }
            end += got
        }
        return true
    }
}

/// Writes a batch of requests as JSON lines on its own thread, so replies can be read meanwhile.
private final class RequestWriter: Sendable {
    private let bytes: [UInt8]
    private let fileDescriptor: Int32
    private let done = DispatchSemaphore(value: 0)

    init(_ requests: [MathRequest], fileDescriptor: Int32) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(requests.reduce(0) { $0 + $1.tex.utf8.count + 32 })
        for (index, request) in requests.enumerated() {
            bytes += Array("{\"i\":\(index),\"d\":\(request.display),\"t\":\"".utf8)
            for byte in request.tex.utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), byte]
                case 0..<0x20: bytes += Array(String(format: "\\u%04x", byte).utf8)
                default: bytes.append(byte)
                }
            }
            bytes += Array("\"}\n".utf8)
        }
        self.bytes = bytes
        self.fileDescriptor = fileDescriptor
    }

    /// Starts writing; a write to a dead process stops quietly (the reader reports the death).
    func start() {
        Thread { [self] in
            var blocked = sigset_t()
            sigemptyset(&blocked)
            sigaddset(&blocked, SIGPIPE)  // EPIPE instead of a process-killing SIGPIPE, this thread only
            pthread_sigmask(SIG_BLOCK, &blocked, nil)
            var offset = 0
            bytes.withUnsafeBytes { all in
                while offset < all.count {
                    let written = write(fileDescriptor, all.baseAddress! + offset, all.count - offset)
                    if written > 0 { offset += written } else if written < 0 && errno != EINTR { break }
                }
            }
            done.signal()
        }.start()
    }

    /// Blocks until the writing thread has finished.
    func wait() { done.wait() }
}

/// Collects the tail of the process's stderr on a thread of its own.
private final class StderrLog: @unchecked Sendable {
    private let lock = NSLock()
    private var tail: [UInt8] = []
    private let finished = DispatchSemaphore(value: 0)

    init(reading handle: FileHandle) {
        Thread { [self] in
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress!, 4096) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                lock.withLock {
                    tail += chunk[..<count]
                    if tail.count > 16_384 { tail.removeFirst(tail.count - 16_384) }
                }
            }
            try? handle.close()
            finished.signal()
        }.start()
    }

    /// What the process wrote to stderr, once it has closed it (or after two seconds).
    func contents() -> String {
        if finished.wait(timeout: .now() + 2) == .success { finished.signal() }
        return lock.withLock { String(decoding: tail, as: UTF8.self) }
    }
}
