import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a batch of requests as JSON lines on its own thread, so replies can be read meanwhile.
final class RequestWriter: Sendable {
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
