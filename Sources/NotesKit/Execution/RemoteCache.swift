import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A shared cache server spoken to over the HTTP form of Bazel's remote cache protocol:
/// `GET`/`PUT <base>/cas/<sha256>` for blobs and `<base>/ac/<sha256>` for entries.
///
/// Stock nginx with WebDAV serves it, as do bazel-remote and S3- or GCS-compatible stores
/// behind their HTTP front ends. The server is never trusted: `ActionResultMessage` reads only
/// well-formed entries and callers check every blob against its digest. A server that cannot
/// be reached, times out or answers an error is given up for the rest of the build with one
/// warning, and cells run locally: the cache never fails a build.
final class RemoteCache: @unchecked Sendable {
    let options: RemoteCacheOptions
    /// For `http://`: kept-alive sockets of our own; for `https://`, URLSession.
    private let plain: PlainHTTPClient?
    private let session: SessionHTTPClient?
    /// The URL's path, percent-encoded as sent and ending in `/`: `ac/…` and `cas/…` go after it.
    let basePath: String
    private let lock = NSLock()
    private var failure: String?
    private var uploadFailure: String?
    private var messages: [String] = []
    private var requestCount = 0
    private var uploadCount = 0
    private var requestSeconds = 0.0

    init(options: RemoteCacheOptions) {
        self.options = options
        // As sent on the wire: still percent-encoded.
        let path = URLComponents(url: options.url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? "/"
        basePath = path.hasSuffix("/") ? path : path + "/"
        if options.url.scheme?.lowercased() == "http", let host = options.url.host {
            plain = PlainHTTPClient(host: host, port: options.url.port ?? 80, timeout: options.timeout)
            session = nil
        } else {
            plain = nil
            session = SessionHTTPClient(timeout: options.timeout)
        }
        let host = options.url.host ?? ""
        if options.authorization != nil, options.url.scheme?.lowercased() == "http",
           !["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) {
            messages.append("remote cache \(options.displayURL): credentials go over plain http, readable on the network; use https")
        }
    }

    deinit { session?.close() }

    /// False once the server failed: nothing more is asked of it in this build.
    var isAvailable: Bool { lock.withLock { failure == nil } }

    /// The warnings so far, each once: the first failure, uploads given up, and blobs whose bytes
    /// did not match their digest.
    var warnings: [String] { lock.withLock { messages } }

    /// How many requests were made and uploads stored, and the seconds spent waiting for them
    /// (summed over threads).
    var traffic: (requests: Int, uploads: Int, seconds: Double) {
        lock.withLock { (requestCount, uploadCount, requestSeconds) }
    }

    func warn(_ message: String) {
        lock.withLock { messages.append(message) }
    }

    // MARK: - Requests

    /// What a `GET` found.
    enum Found {
        case bytes(Data)
        case missing
        /// The server failed (and is now given up).
        case unavailable
    }

    /// The entry under `key`, or why there is none.
    func entry(_ key: String) -> Found { get("ac/" + key) }

    /// The blob `hash`, unchecked: the caller checks it against its digest.
    func blob(_ hash: String) -> Found { get("cas/" + hash) }

    /// Stores a blob; false when uploads have stopped.
    @discardableResult
    func putBlob(_ data: Data, hash: String) -> Bool { put("cas/" + hash, data) }

    /// Stores an entry; false when uploads have stopped.
    @discardableResult
    func putEntry(_ data: Data, key: String) -> Bool { put("ac/" + key, data) }

    private func get(_ path: String) -> Found {
        guard isAvailable else { return .unavailable }
        switch send("GET", path) {
        case .success((let status, let body)) where status == 200:
            return .bytes(body)
        case .success((let status, _)) where status == 404:
            return .missing
        case .success((let status, _)) where (300..<400).contains(status):
            giveUp(Self.redirected(status))
            return .unavailable
        case .success((let status, _)):
            giveUp("answered HTTP \(status) to GET /\(path.prefix(3))…")
            return .unavailable
        case .failure(let reason):
            giveUp(reason)
            return .unavailable
        }
    }

    private func put(_ path: String, _ data: Data) -> Bool {
        guard !options.readOnly, isAvailable, lock.withLock({ uploadFailure == nil }) else { return false }
        switch send("PUT", path, body: data) {
        case .success((let status, _)) where (200..<300).contains(status):
            lock.withLock { uploadCount += 1 }
            return true
        case .success((let status, _)) where (300..<400).contains(status):
            giveUp(Self.redirected(status))
            return false
        case .success((let status, _)):
            lock.withLock {
                guard uploadFailure == nil else { return }
                uploadFailure = "HTTP \(status)"
                messages.append("remote cache \(options.displayURL) answered HTTP \(status) to an upload; "
                                + "results of this build are kept locally only")
            }
            return false
        case .failure(let reason):
            giveUp(reason)
            return false
        }
    }

    /// Sends `method` for `path` below the base URL; counts the request and the time it took.
    private func send(_ method: String, _ path: String, body: Data = Data()) -> Result<(Int, Data), RequestFailure> {
        let clock = ContinuousClock(), started = clock.now
        defer {
            let waited = (clock.now - started).components
            lock.withLock {
                requestCount += 1
                requestSeconds += Double(waited.seconds) + Double(waited.attoseconds) / 1e18
            }
        }
        var headers = [("User-Agent", "notes"), ("Accept", "application/octet-stream")]
        if method == "PUT" { headers.append(("Content-Type", "application/octet-stream")) }
        if let authorization = options.authorization { headers.append(("Authorization", authorization)) }
        if let plain {
            return plain.send(method, basePath + path, headers: headers, body: body).map { ($0.status, $0.body) }
        }
        guard let session else { return .failure(RequestFailure("has no client")) }
        return session.send(method, options.url.appendingPathComponent(path), headers: headers, body: body)
            .map { ($0.status, $0.body) }
    }

    /// Why a redirect ends the cache: it could carry credentials elsewhere, or off https.
    static func redirected(_ status: Int) -> String {
        "answered with a redirect (HTTP \(status)), which is never followed: give the server's final address"
    }

    private func giveUp(_ reason: RequestFailure) { giveUp(reason.text) }

    private func giveUp(_ reason: String) {
        lock.withLock {
            guard failure == nil else { return }
            failure = reason
            messages.append("remote cache \(options.displayURL) \(reason); cells run locally for the rest of this build")
        }
    }

    /// Why a request failed, in a few words.
    struct RequestFailure: Error {
        let text: String

        init(_ text: String) { self.text = text }

        /// The server took longer than `timeout` seconds over a request.
        static func late(_ timeout: Double) -> RequestFailure {
            RequestFailure("did not answer within \(String(format: "%g", timeout)) s")
        }

        init(_ error: Error, timeout: Double) {
            let code = (error as? URLError)?.code
            switch code {
            case .timedOut?: text = Self.late(timeout).text
            case .cannotConnectToHost?, .networkConnectionLost?: text = "cannot be reached (\(error.localizedDescription))"
            case .cannotFindHost?, .dnsLookupFailed?: text = "has a host name that does not resolve"
            default: text = "cannot be reached (\(error.localizedDescription))"
            }
        }
    }
}
