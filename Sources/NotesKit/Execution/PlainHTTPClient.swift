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
/// closing. The time-out bounds each whole request, connecting, sending and reading included, so a
/// server that trickles bytes or stops reading is given up like one that is down. A request on a
/// reused connection that the server closed meanwhile is sent once more on a new one.
final class PlainHTTPClient: @unchecked Sendable {
    let host: String
    let port: Int
    let timeout: Double
    /// The largest response body accepted (a cell's output is far smaller).
    static let largestBody = 1 << 30
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
        // A CR or LF in a header value would split the request.
        guard !headers.contains(where: { $0.0.contains(where: \.isNewline) || $0.1.contains(where: \.isNewline) }),
              !path.contains(where: \.isNewline) else {
            return .failure(.init("was sent no request: a header holds a line break"))
        }
        let deadline = Deadline(seconds: timeout)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host.contains(":") ? "[\(host)]" : host):\(port)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        let request = Array(head.utf8) + Array(body)
        let reused = lock.withLock { idle.popLast() }
        if let reused {
            switch exchange(request, on: reused, deadline: deadline) {
            case .success(let response): return .success(response)
            case .failure(.stale): break // closed by the server while idle: once more, anew
            case .failure(.failed(let reason)): return .failure(reason)
            }
        }
        let connection: Int32
        switch connect(deadline: deadline) {
        case .success(let opened): connection = opened
        case .failure(let reason): return .failure(reason)
        }
        switch exchange(request, on: connection, deadline: deadline) {
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
    private func exchange(_ request: [UInt8], on connection: Int32,
                          deadline: Deadline) -> Result<(status: Int, body: Data), ExchangeFailure> {
        var keep = false
        defer {
            if keep { lock.withLock { idle.append(connection) } } else { close(connection) }
        }
        var sent = 0
        while sent < request.count {
            // The socket is non-blocking: wait until it takes more, within the deadline.
            var poll = pollfd(fd: connection, events: Int16(POLLOUT), revents: 0)
            guard Glibc.poll(&poll, 1, deadline.milliseconds) == 1 else { return .failure(.failed(.late(timeout))) }
            let count = request[sent...].withUnsafeBytes { Glibc.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { continue }
            if count <= 0 { return .failure(sent == 0 ? .stale : .failed(.init("closed the connection mid-request"))) }
            sent += count
        }
        var reader = Reader(connection: connection, deadline: deadline)
        guard let head = reader.head() else {
            return .failure(reader.timedOut ? .failed(.late(timeout)) : reader.received == 0 ? .stale : .failed(.init("sent a malformed response")))
        }
        let body: [UInt8]?
        if head.chunked {
            body = reader.chunks()
        } else if let length = head.length {
            guard length >= 0 && length <= Self.largestBody else { return .failure(.failed(.init("sent a malformed response"))) }
            body = reader.bytes(length)
        } else {
            body = reader.rest()
        }
        guard let body else {
            return .failure(.failed(reader.timedOut ? .late(timeout) : .init("closed the connection mid-response")))
        }
        keep = head.keepAlive && (head.chunked || head.length != nil)
        return .success((head.status, Data(body)))
    }

    /// A new connection to the server, within the time-out.
    private func connect(deadline: Deadline) -> Result<Int32, RemoteCache.RequestFailure> {
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
                if Glibc.poll(&poll, 1, deadline.milliseconds) == 1 {
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
                var yes: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
                return .success(fd)
            }
            close(fd)
        }
        return .failure(.init(reason))
    }

    /// When a request must be done by.
    struct Deadline {
        let end: ContinuousClock.Instant

        init(seconds: Double) { end = .now + .milliseconds(Int64(seconds * 1000)) }

        /// What is left, for `poll`: 0 once it has passed.
        var milliseconds: Int32 {
            let left = (end - .now).seconds * 1000
            return left <= 0 ? 0 : Int32(min(left.rounded(.up), Double(Int32.max)))
        }
    }

    /// Reads a response from a non-blocking connection, up to the request's deadline.
    private struct Reader {
        let connection: Int32
        let deadline: Deadline
        var buffer: [UInt8] = []
        var received = 0
        var timedOut = false
        var closed = false

        init(connection: Int32, deadline: Deadline) {
            self.connection = connection
            self.deadline = deadline
        }

        struct Head {
            var status: Int
            var length: Int?
            var chunked = false
            var keepAlive = true
        }

        /// Reads more bytes; false at the end of the stream, past the deadline, or past the
        /// largest body.
        mutating func fill() -> Bool {
            guard buffer.count <= PlainHTTPClient.largestBody else { return false }
            var poll = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            guard Glibc.poll(&poll, 1, deadline.milliseconds) == 1 else {
                timedOut = true
                return false
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = recv(connection, &chunk, chunk.count, 0)
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return fill() }
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

        /// The final response's head: interim 1xx responses are read past.
        mutating func head() -> Head? {
            while true {
                guard let head = oneHead() else { return nil }
                if !(100...199).contains(head.status) { return head }
            }
        }

        private mutating func oneHead() -> Head? {
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
                case "content-length":
                    guard let length = Int(value), length >= 0 else { return nil }
                    head.length = length
                case "transfer-encoding": head.chunked = value.contains("chunked")
                case "connection": head.keepAlive = value.contains("keep-alive") || (head.keepAlive && !value.contains("close"))
                default: break
                }
            }
            // A HEAD-less cache protocol: 204 and 304 have no body.
            if status == 204 || status == 304 || (100...199).contains(status) { head.length = 0 }
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
                guard let size = Int(hex.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0,
                  body.count + size <= PlainHTTPClient.largestBody else { return nil }
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
            return timedOut || buffer.count > PlainHTTPClient.largestBody ? nil : buffer
        }
    }
}
