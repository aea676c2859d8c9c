import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// HTTP through URLSession, for `https://` cache servers: TLS with the system's certificate
/// authorities, and never a redirect followed.
///
/// A redirect could carry the `Authorization` header to another host, or from https to plain
/// http, so its answer is returned as it is (a 3xx status) and the caller gives the server up.
/// On Linux, URLSession asks about redirects only the delegate of tasks created without a
/// completion handler, so this client is that delegate and collects each task's answer itself.
/// The session's idle time-out is the cache's; a whole request may take four times that.
final class SessionHTTPClient: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let timeout: Double
    private var session: URLSession!
    private let lock = NSLock()
    private var answers: [Int: Answer] = [:]

    /// One task's answer as it arrives.
    private final class Answer: @unchecked Sendable {
        var status: Int?
        var body = Data()
        var failure: RemoteCache.RequestFailure?
        let done = DispatchSemaphore(value: 0)
    }

    init(timeout: Double) {
        self.timeout = timeout
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 4
        configuration.httpMaximumConnectionsPerHost = 8
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: queue)
    }

    /// Cancels what is under way and lets the session go (it holds its delegate until then).
    func close() { session.invalidateAndCancel() }

    /// Sends `method` for `url` with `headers` and `body`; the status and body, or why not.
    func send(_ method: String, _ url: URL, headers: [(String, String)], body: Data = Data())
        -> Result<(status: Int, body: Data), RemoteCache.RequestFailure> {
        var request = URLRequest(url: url)
        request.httpMethod = method
        if method == "PUT" { request.httpBody = body }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let answer = Answer()
        let task = session.dataTask(with: request)
        lock.withLock { answers[task.taskIdentifier] = answer }
        task.resume()
        if answer.done.wait(timeout: .now() + timeout * 4 + 1) == .timedOut {
            task.cancel()
            lock.withLock { _ = answers.removeValue(forKey: task.taskIdentifier) }
            return .failure(.late(timeout))
        }
        if let failure = answer.failure { return .failure(failure) }
        guard let status = answer.status else { return .failure(.init("gave no HTTP response")) }
        return .success((status, answer.body))
    }

    private func answer(_ task: URLSessionTask) -> Answer? {
        lock.withLock { answers[task.taskIdentifier] }
    }

    // MARK: - URLSessionDataDelegate

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        answer(dataTask)?.status = (response as? HTTPURLResponse)?.statusCode
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let answer = answer(dataTask) else { return }
        answer.body.append(data)
        if answer.body.count > PlainHTTPClient.largestBody {
            answer.failure = .init("sent a response larger than \(PlainHTTPClient.largestBody >> 30) GiB")
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        guard let answer = lock.withLock({ answers.removeValue(forKey: task.taskIdentifier) }) else { return }
        if let error, answer.failure == nil {
            answer.failure = RemoteCache.RequestFailure(error, timeout: timeout)
        }
        // A redirect refused ends the task with its 3xx answer, which may not have been
        // delivered as a response of its own.
        if answer.status == nil, answer.failure == nil, let response = task.response as? HTTPURLResponse {
            answer.status = response.statusCode
        }
        answer.done.signal()
    }
}
