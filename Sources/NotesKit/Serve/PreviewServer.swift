import FlyingFox
import Foundation

/// The preview's HTTP server (FlyingFox): the site's files, the reload script, and the
/// WebSocket over which pages hear of builds.
///
/// Every answer has `Cache-Control: no-store`, so a reload always shows the last build. Only GET
/// and HEAD are answered.
final class PreviewServer: @unchecked Sendable {
    let files: PreviewFiles
    let events: PreviewEvents
    private let server: HTTPServer
    private var task: Task<Void, any Error>?

    /// A server for the site in `root` on `host`:`port` (0: a free port).
    init(root: URL, events: PreviewEvents, host: String, port: UInt16) throws {
        files = PreviewFiles(root: root)
        self.events = events
        let handler = PreviewHandler(files: files, events: events)
        server = host.contains(":")
            ? HTTPServer(address: try .inet6(ip6: host, port: port), timeout: 30, logger: .disabled, handler: handler)
            : HTTPServer(address: try .inet(ip4: host, port: port), timeout: 30, logger: .disabled, handler: handler)
    }

    /// Starts listening and returns the port; throws (with the reason) if the address cannot be had.
    func start() async throws -> UInt16 {
        let server = server
        let task = Task { try await server.run() }
        self.task = task
        do {
            try await server.waitUntilListening(timeout: 10)
        } catch {
            // The run failed (the port is taken, say): its error says why.
            if case .failure(let reason) = await task.result { throw PreviewError("cannot listen on that address: \(reason)") }
            throw error
        }
        switch await server.listeningAddress {
        case .ip4(_, let port)?, .ip6(_, let port)?: return port
        default: throw PreviewError("the server is not listening on an IP address")
        }
    }

    /// Stops listening and closes every connection.
    func stop() async {
        await server.stop(timeout: 1)
        task?.cancel()
    }

    /// `start()` for a thread outside Swift concurrency (the command's main thread): blocks it until listening.
    func startBlocking() throws -> UInt16 {
        try Self.wait { try await self.start() }.get()
    }

    /// `stop()` for a thread outside Swift concurrency.
    func stopBlocking() {
        _ = Self.wait { await self.stop() }
    }

    /// Runs `body` on the concurrency pool and blocks this thread until it ends.
    private static func wait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) -> Result<T, any Error> {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        Task {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return box.result!
    }

    private final class ResultBox<T>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }
}

/// Answers one request: the socket, the script, or a file of the site.
struct PreviewHandler: HTTPHandler {
    let files: PreviewFiles
    let events: PreviewEvents

    static let socketPath = "/__notes/events"

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let path = request.target.path(percentEncoded: true)
        if path == Self.socketPath {
            return try await WebSocketHTTPHandler(handler: MessageFrameWSHandler(handler: PreviewSocket(events: events)))
                .handleRequest(request)
        }
        guard request.method == .GET || request.method == .HEAD else {
            return Self.response(405, "text/plain; charset=utf-8", Data("405 Method Not Allowed\n".utf8), head: false)
        }
        if path == PreviewFiles.scriptPath {
            return Self.response(200, "text/javascript; charset=utf-8", PreviewScript.source, head: request.method == .HEAD)
        }
        let answer = files.answer(rawPath: path, build: events.build)
        return Self.response(answer.status, answer.contentType, answer.body, head: request.method == .HEAD)
    }

    private static func response(_ status: Int, _ type: String, _ body: Data, head: Bool) -> HTTPResponse {
        let code: HTTPStatusCode = switch status {
        case 200: .ok
        case 403: .forbidden
        case 405: .methodNotAllowed
        default: .notFound
        }
        return HTTPResponse(statusCode: code, headers: [.contentType: type, .cacheControl: "no-store",
                                                        HTTPHeader("X-Content-Type-Options"): "nosniff"],
                            body: head ? Data() : body)
    }
}

/// A preview that cannot start or go on, with the reason.
struct PreviewError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
