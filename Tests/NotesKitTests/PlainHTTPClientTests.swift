import Foundation
import Testing
@testable import NotesKit
#if canImport(Glibc)
import Glibc
#endif

/// The `http://` cache client against servers that misbehave at the byte level: what nginx never
/// does, and a hostile or broken server might.
@Suite("Plain HTTP client") struct PlainHTTPClientTests {
    /// A server on loopback that hands each connection to `script`, on its own thread.
    final class ScriptedServer: @unchecked Sendable {
        let port: Int
        private let listener: Int32

        init(_ script: @escaping @Sendable (Int32) -> Void) throws {
            let (fd, port) = try Loopback.bind()
            guard listen(fd, 16) == 0 else { throw Loopback.Failure(description: "cannot listen") }
            listener = fd
            self.port = port
            Thread.detachNewThread {
                while true {
                    let connection = accept(fd, nil, nil)
                    guard connection >= 0 else { return }
                    Thread.detachNewThread {
                        script(connection)
                        close(connection)
                    }
                }
            }
        }

        deinit {
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
        }

        /// Reads up to the end of the request's head.
        static func readHead(_ connection: Int32) {
            var seen: [UInt8] = []
            var byte: UInt8 = 0
            while recv(connection, &byte, 1, 0) == 1 {
                seen.append(byte)
                if seen.suffix(4) == [13, 10, 13, 10] { return }
            }
        }

        static func write(_ connection: Int32, _ text: String) {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
    }

    private func client(_ server: ScriptedServer, timeout: Double = 0.5) -> PlainHTTPClient {
        PlainHTTPClient(host: "127.0.0.1", port: server.port, timeout: timeout)
    }

    /// Expects the request to have failed on the 0.5 s time-out.
    private func expectGivenUp(_ result: Result<(status: Int, body: Data), RemoteCache.RequestFailure>, _ otherwise: Comment) {
        guard case .failure(let failure) = result else {
            Issue.record(otherwise)
            return
        }
        #expect(failure.text.contains("did not answer within 0.5 s"))
    }

    @Test func aNegativeContentLengthIsAMalformedResponseNotACrash() throws {
        let server = try ScriptedServer { connection in
            ScriptedServer.readHead(connection)
            ScriptedServer.write(connection, "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")
        }
        let result = client(server).send("GET", "/ac/x", headers: [])
        #expect(throws: RemoteCache.RequestFailure.self) { try result.get() }
    }

    @Test func aServerThatTricklesBytesIsGivenUpAtTheRequestsDeadline() throws {
        // Each byte comes well within the time-out, the whole answer far after it.
        let server = try ScriptedServer { connection in
            ScriptedServer.readHead(connection)
            ScriptedServer.write(connection, "HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n")
            for _ in 0..<40 {
                Thread.sleep(forTimeInterval: 0.1)
                ScriptedServer.write(connection, "x")
            }
        }
        expectGivenUp(client(server).send("GET", "/cas/x", headers: []), "a 4 s answer was accepted with a 0.5 s time-out")
    }

    @Test func anUploadToAServerThatStopsReadingIsGivenUp() throws {
        // The server reads the head and never the body: the client's send buffer fills.
        let server = try ScriptedServer { connection in
            ScriptedServer.readHead(connection)
            Thread.sleep(forTimeInterval: 5)
        }
        let body = Data(repeating: 7, count: 32 << 20)
        expectGivenUp(client(server).send("PUT", "/cas/x", headers: [], body: body), "an upload nobody read was taken as stored")
    }

    @Test func interimResponsesAreReadPast() throws {
        let server = try ScriptedServer { connection in
            ScriptedServer.readHead(connection)
            ScriptedServer.write(connection, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
        }
        let response = try client(server).send("GET", "/cas/x", headers: []).get()
        #expect(response.status == 200 && response.body == Data("hello".utf8))
    }

    @Test func aLineBreakInAHeaderSendsNothing() throws {
        let received = Counter()
        let server = try ScriptedServer { _ in received.add() }
        let result = client(server).send("GET", "/ac/x", headers: [("Authorization", "Bearer s3cret\nX-Injected: 1")])
        #expect(throws: RemoteCache.RequestFailure.self) { try result.get() }
        Thread.sleep(forTimeInterval: 0.1)
        #expect(received.value == 0)
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }
}
