import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A Bazel HTTP cache in memory on loopback, with faults to order: for the remote-cache tests
/// that a real nginx cannot play (errors, hangs, tampered bytes, a server that stops mid-build).
///
/// It speaks just enough HTTP/1.1 for the protocol: `GET` and `PUT` of `/ac/<hash>` and
/// `/cas/<hash>`, `Content-Length` bodies, keep-alive. Every request is recorded.
final class CacheTestServer: @unchecked Sendable {
    enum Mode {
        case normal
        /// Every request answered with this status.
        case failing(Int)
        /// Requests are read and never answered.
        case hanging
        /// `cas/` blobs are served with their first byte changed.
        case tampering
        /// Requests without `Authorization: <value>` are answered 401.
        case requiring(authorization: String)
    }

    struct Request: Sendable {
        var method: String
        var path: String
        var authorization: String?
    }

    let port: Int
    var url: URL { URL(string: "http://127.0.0.1:\(port)/")! }

    private let lock = NSLock()
    private var listener: Int32
    private var connections: Set<Int32> = []
    private var stopped = false
    private var _mode = Mode.normal
    private var _store: [String: Data] = [:]
    private var _requests: [Request] = []
    private var stopAfter: Int?
    private var hiddenEntries = 0

    var mode: Mode {
        get { lock.withLock { _mode } }
        set { lock.withLock { _mode = newValue } }
    }

    /// Everything stored, by path (`ac/…`, `cas/…`).
    var store: [String: Data] {
        get { lock.withLock { _store } }
        set { lock.withLock { _store = newValue } }
    }

    var requests: [Request] { lock.withLock { _requests } }

    /// Stops the server (as if it went down) once it has answered `count` more requests.
    func stop(afterRequests count: Int) { lock.withLock { stopAfter = _requests.count + count } }

    /// Answers the next `count` `GET /ac/…` with 404, as if the entries appeared later.
    func hideEntries(_ count: Int) { lock.withLock { hiddenEntries = count } }

    init() throws {
        let (fd, port) = try Loopback.bind()
        guard listen(fd, 64) == 0 else {
            close(fd)
            throw Loopback.Failure(description: "cannot listen on port \(port)")
        }
        listener = fd
        self.port = port
        Thread.detachNewThread { [self] in
            while true {
                let connection = accept(fd, nil, nil)
                guard connection >= 0 else { return }
                let accepted: Bool = lock.withLock {
                    if stopped { return false }
                    connections.insert(connection)
                    return true
                }
                guard accepted else { close(connection); return }
                Thread.detachNewThread { [self] in serve(connection) }
            }
        }
    }

    deinit { stop() }

    /// Closes the listener and every connection: later requests are refused.
    func stop() {
        lock.withLock {
            guard !stopped else { return }
            stopped = true
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
            for connection in connections { shutdown(connection, Int32(SHUT_RDWR)) }
        }
    }

    // MARK: - HTTP

    private func serve(_ connection: Int32) {
        defer {
            lock.withLock { _ = connections.remove(connection) }
            close(connection)
        }
        var buffer = [UInt8]()
        while let request = readRequest(connection, &buffer) {
            guard let response = respond(to: request) else {
                // Hanging: hold the connection until the server stops or the client gives up.
                var byte: UInt8 = 0
                while recv(connection, &byte, 1, 0) > 0 {}
                return
            }
            guard sendAll(connection, response) else { return }
            let stopNow: Bool = lock.withLock { stopAfter.map { _requests.count >= $0 } ?? false }
            if stopNow { stop(); return }
        }
    }

    /// The method, path, headers and body of the next request, or nil when the connection ends.
    private func readRequest(_ connection: Int32, _ buffer: inout [UInt8])
        -> (method: String, path: String, headers: [String: String], body: Data)? {
        func fill() -> Bool {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = recv(connection, &chunk, chunk.count, 0)
            guard count > 0 else { return false }
            buffer += chunk[0..<count]
            return true
        }
        let separator: [UInt8] = [13, 10, 13, 10]
        var end: Int?
        while end == nil {
            if buffer.count >= 4 {
                end = (0...(buffer.count - 4)).first { Array(buffer[$0..<$0 + 4]) == separator }
            }
            if end == nil, !fill() { return nil }
        }
        let head = String(decoding: buffer[0..<end!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        buffer.removeFirst(end! + 4)
        while buffer.count < length { if !fill() { return nil } }
        let body = Data(buffer[0..<length])
        buffer.removeFirst(length)
        return (String(requestLine[0]), String(requestLine[1]), headers, body)
    }

    /// The response's bytes, or nil to never answer.
    private func respond(to request: (method: String, path: String, headers: [String: String], body: Data)) -> [UInt8]? {
        let key = String(request.path.drop { $0 == "/" })
        return lock.withLock { () -> [UInt8]? in
            _requests.append(Request(method: request.method, path: key, authorization: request.headers["authorization"]))
            switch _mode {
            case .hanging:
                return nil
            case .failing(let status):
                return Self.response(status, Data("failing on purpose".utf8))
            case .requiring(let authorization) where request.headers["authorization"] != authorization:
                return Self.response(401, Data())
            default:
                break
            }
            switch request.method {
            case "PUT":
                _store[key] = request.body
                return Self.response(201, Data())
            case "GET", "HEAD":
                if key.hasPrefix("ac/"), hiddenEntries > 0 {
                    hiddenEntries -= 1
                    return Self.response(404, Data())
                }
                guard var data = _store[key] else { return Self.response(404, Data()) }
                if case .tampering = _mode, key.hasPrefix("cas/"), !data.isEmpty { data[data.startIndex] ^= 0x20 }
                return Self.response(200, request.method == "HEAD" ? Data() : data)
            default:
                return Self.response(405, Data())
            }
        }
    }

    private static func response(_ status: Int, _ body: Data) -> [UInt8] {
        Array("HTTP/1.1 \(status) X\r\nContent-Length: \(body.count)\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            + Array(body)
    }

    private func sendAll(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return false }
            sent += count
        }
        return true
    }
}
