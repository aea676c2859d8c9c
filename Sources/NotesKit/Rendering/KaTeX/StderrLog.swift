import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Collects the tail of the process's stderr on a thread of its own.
final class StderrLog: @unchecked Sendable {
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
