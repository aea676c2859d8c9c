import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// HTTP/1.1 over plain TCP with kept-alive connections, for `http://` cache servers.
///
/// A cache lookup is two small requests, and a course has hundreds of notes: URLSession on Linux
/// spends milliseconds of its own on each (libcurl's multi handle behind one dispatch queue),
/// where a kept-alive socket on loopback answers in a tenth of one. Each request takes an idle
/// connection or opens one; a response ends by `Content-Length`, by chunks, or by the connection
/// closing. Every wait, connecting included, is bounded by the time-out. A request on a reused
/// connection that the server closed meanwhile is sent once more on a new one.
final class PlainHTTPClient: @unchecked Sendable {
    let host: String
    let port: Int
    let timeout: Double
    private let lock = NSLock()
    private var idle: [Int32] = []

    init(host: String, port: Int, timeout: Double) {
        self.host = host
        self.port = port
        self.timeout = timeout
    }

    deinit {
        for connection in idle { close(connection) }
    }

    /// Sends `method path` with `headers` and `body`; the status and body, or why not.
    func send(_ method: String, _ path: String, headers: [(String, String)], body: Data = Data())
        -> Result<(status: Int, body: Data), RemoteCache.RequestFailure> {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host.contains(":") ? "[\(host)]" : host):\(port)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        let request = Array(head.utf8) + Array(body)
        let reused = lock.withLock { idle.popLast() }
        if let reused {
            switch exchange(request, on: reused) {
            case .success(let response): return .success(response)
            case .failure(.stale): break // closed by the server while idle: once more, anew
            case .failure(.failed(let reason)): return .failure(reason)
            }
        }
        let connection: Int32
        switch connect() {
        case .success(let opened): connection = opened
        case .failure(let reason): return .failure(reason)
        }
        switch exchange(request, on: connection) {
        case .success(let response): return .success(response)
        case .failure(.stale): return .failure(RemoteCache.RequestFailure("closed the connection without answering"))
        case .failure(.failed(let reason)): return .failure(reason)
        }
    }

    private enum ExchangeFailure: Error {
        /// Nothing came back at all: on a reused connection, the server had closed it.
        case stale
        case failed(RemoteCache.RequestFailure)
    }

    /// Sends `request` on `connection` and reads the response; the connection goes back to the
    /// idle ones if the response leaves it open, else it is closed.
    private func exchange(_ request: [UInt8], on connection: Int32) -> Result<(status: Int, body: Data), ExchangeFailure> {
        var keep = false
        defer {
            if keep { lock.withLock { idle.append(connection) } } else { close(connection) }
        }
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { Glibc.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return .failure(sent == 0 ? .stale : .failed(.init("closed the connection mid-request"))) }
            sent += count
        }
        var reader = Reader(connection: connection, timeout: timeout)
        guard let head = reader.head() else {
            return .failure(reader.timedOut ? .failed(.init("did not answer within \(String(format: "%g", timeout)) s"))
                            : reader.received == 0 ? .stale : .failed(.init("sent a malformed response")))
        }
        let body: [UInt8]?
        if head.chunked {
            body = reader.chunks()
        } else if let length = head.length {
            body = reader.bytes(length)
        } else {
            body = reader.rest()
        }
        guard let body else {
            return .failure(.failed(.init(reader.timedOut ? "did not answer within \(String(format: "%g", timeout)) s"
                                          : "closed the connection mid-response")))
        }
        keep = head.keepAlive && (head.chunked || head.length != nil)
        return .success((head.status, Data(body)))
    }

    /// A new connection to the server, within the time-out.
    private func connect() -> Result<Int32, RemoteCache.RequestFailure> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            return .failure(.init("has a host name that does not resolve"))
        }
        defer { freeaddrinfo(list) }
        var reason = "cannot be reached"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let address = candidate {
            candidate = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            let flags = fcntl(fd, F_GETFL)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            var status = Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen)
            if status != 0 && errno == EINPROGRESS {
                var poll = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                if Glibc.poll(&poll, 1, Int32(timeout * 1000)) == 1 {
                    var error: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                    status = error == 0 ? 0 : -1
                    if error != 0 { reason = "cannot be reached (\(String(cString: strerror(error))))" }
                } else {
                    reason = "did not accept a connection within \(String(format: "%g", timeout)) s"
                }
            } else if status != 0 {
                reason = "cannot be reached (\(String(cString: strerror(errno))))"
            }
            if status == 0 {
                _ = fcntl(fd, F_SETFL, flags)
                var yes: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
                return .success(fd)
            }
            close(fd)
        }
        return .failure(.init(reason))
    }

    /// Reads a response from a connection, waiting at most the time-out for each piece.
    private struct Reader {
        let connection: Int32
        let timeout: Double
        var buffer: [UInt8] = []
        var received = 0
        var timedOut = false
        var closed = false

        init(connection: Int32, timeout: Double) {
            self.connection = connection
            self.timeout = timeout
        }

        struct Head {
            var status: Int
            var length: Int?
            var chunked = false
            var keepAlive = true
        }

        /// Reads more bytes; false at the end of the stream or on time-out.
        mutating func fill() -> Bool {
            var poll = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            guard Glibc.poll(&poll, 1, Int32(timeout * 1000)) == 1 else {
                timedOut = true
                return false
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = recv(connection, &chunk, chunk.count, 0)
            guard count > 0 else {
                closed = true
                return false
            }
            buffer += chunk[0..<count]
            received += count
            return true
        }

        /// Bytes up to and without the next CRLF.
        mutating func line() -> [UInt8]? {
            var searched = 0
            while true {
                if buffer.count >= 2, let end = (searched..<(buffer.count - 1)).first(where: { buffer[$0] == 13 && buffer[$0 + 1] == 10 }) {
                    let line = Array(buffer[0..<end])
                    buffer.removeFirst(end + 2)
                    return line
                }
                searched = max(0, buffer.count - 1)
                guard fill() else { return nil }
            }
        }

        mutating func head() -> Head? {
            guard let statusLine = line() else { return nil }
            let parts = String(decoding: statusLine, as: UTF8.self).split(separator: " ")
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else { return nil }
            var head = Head(status: status)
            if parts[0] == "HTTP/1.0" { head.keepAlive = false }
            while true {
                guard let field = line() else { return nil }
                if field.isEmpty { break }
                let text = String(decoding: field, as: UTF8.self)
                guard let colon = text.firstIndex(of: ":") else { continue }
                let name = text[..<colon].lowercased()
                let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces).lowercased()
                switch name {
                case "content-length": head.length = Int(value)
                case "transfer-encoding": head.chunked = value.contains("chunked")
                case "connection": head.keepAlive = value.contains("keep-alive") || (head.keepAlive && !value.contains("close"))
                default: break
                }
            }
            // A HEAD-less cache protocol: 204 and 304 have no body.
            if status == 204 || status == 304 { head.length = 0 }
            return head
        }

        mutating func bytes(_ count: Int) -> [UInt8]? {
            while buffer.count < count { guard fill() else { return nil } }
            let body = Array(buffer[0..<count])
            buffer.removeFirst(count)
            return body
        }

        mutating func chunks() -> [UInt8]? {
            var body: [UInt8] = []
            while true {
                guard let sizeLine = line() else { return nil }
                let hex = String(decoding: sizeLine, as: UTF8.self).split(separator: ";").first ?? ""
                guard let size = Int(hex.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else { return nil }
                if size == 0 {
                    // Trailers, up to the empty line.
                    while let trailer = line(), !trailer.isEmpty {}
                    return body
                }
                guard let chunk = bytes(size), line() != nil else { return nil }
                body += chunk
            }
        }

        /// Everything until the server closes the connection.
        mutating func rest() -> [UInt8]? {
            while fill() {}
            return timedOut ? nil : buffer
        }
    }
}
