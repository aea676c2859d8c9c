import FlyingFox
import Foundation

/// What the preview server tells the open pages, each over its WebSocket, as JSON.
///
/// A page is served with the id of the build it comes from. On connecting (and reconnecting) it
/// gets a `hello` with the current build and state: a page that missed a build reloads itself.
/// Then `building`, `built` (with the pages that changed or went away) and `failed` (with every
/// diagnostic) as they happen. A failed build keeps the last good site and its id, so new pages
/// show the overlay too.
final class PreviewEvents: @unchecked Sendable {
    /// One message, as the page's script reads it.
    struct Message: Codable, Equatable, Sendable {
        var type: String
        /// The id of the site being served (the last good build's).
        var build: String
        var state: String?
        /// Site paths that changed (`built`): pages, assets, the search index.
        var changed: [String]?
        /// Site paths that are gone (`built`).
        var removed: [String]?
        var diagnostics: [Problem]?
    }

    /// One diagnostic, for the overlay.
    struct Problem: Codable, Equatable, Sendable {
        /// `NAME.md:LINE`, or the file alone.
        var location: String
        var severity: String
        var message: String
        /// The failed cell's code and output, if any.
        var detail: String?

        init(_ diagnostic: Diagnostic) {
            location = DiagnosticFormatter.location(file: diagnostic.file, line: diagnostic.line)
            severity = diagnostic.severity.rawValue
            message = diagnostic.message
            detail = diagnostic.detail
        }
    }

    private let lock = NSLock()
    private let session = String(UInt32.random(in: 0...UInt32.max), radix: 36)
    private var builds = 0
    private var state = "building"
    private var problems: [Problem] = []
    private var subscribers: [Int: AsyncStream<WSMessage>.Continuation] = [:]
    private var nextSubscriber = 0

    /// The id of the site being served, which pages are stamped with.
    var build: String {
        lock.lock()
        defer { lock.unlock() }
        return buildID
    }

    private var buildID: String { "\(session)-\(builds)" }

    /// A new page's stream of messages, starting with `hello`; ends when `end(_:)` is called with its id.
    func subscribe() -> (id: Int, messages: AsyncStream<WSMessage>) {
        let (stream, continuation) = AsyncStream<WSMessage>.makeStream()
        lock.lock()
        nextSubscriber += 1
        let id = nextSubscriber
        subscribers[id] = continuation
        let hello = Message(type: "hello", build: buildID, state: state, diagnostics: state == "failed" ? problems : nil)
        lock.unlock()
        continuation.yield(Self.encode(hello))
        return (id, stream)
    }

    func end(_ id: Int) {
        lock.lock()
        let continuation = subscribers.removeValue(forKey: id)
        lock.unlock()
        continuation?.finish()
    }

    func buildStarted() {
        send { state = "building"; return Message(type: "building", build: buildID, state: state) }
    }

    func buildSucceeded(changed: [String], removed: [String]) {
        send {
            builds += 1
            state = "ready"
            problems = []
            return Message(type: "built", build: buildID, state: state, changed: changed, removed: removed)
        }
    }

    func buildFailed(_ diagnostics: [Diagnostic]) {
        send {
            state = "failed"
            problems = diagnostics.map(Problem.init)
            return Message(type: "failed", build: buildID, state: state, diagnostics: problems)
        }
    }

    /// Changes the state under the lock and sends the message it makes to every page.
    private func send(_ change: () -> Message) {
        lock.lock()
        let message = change()
        let targets = Array(subscribers.values)
        lock.unlock()
        let frame = Self.encode(message)
        for continuation in targets { continuation.yield(frame) }
    }

    static func encode(_ message: Message) -> WSMessage {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(message)) ?? Data("{}".utf8)
        return .text(String(decoding: data, as: UTF8.self))
    }
}

/// The WebSocket end of `PreviewEvents`: each page that connects gets its own stream.
struct PreviewSocket: WSMessageHandler {
    let events: PreviewEvents

    func makeMessages(for client: AsyncStream<WSMessage>) async throws -> AsyncStream<WSMessage> {
        let (id, messages) = events.subscribe()
        let events = events
        Task {
            for await _ in client {}
            events.end(id)
        }
        return messages
    }
}
