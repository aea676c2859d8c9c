import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads reply frames, `<index> <kind> <length>\n` then `length` bytes, from a file descriptor.
final class FrameReader {
    struct Frame {
        var index: Int
        var kind: String
        var payload: String
    }

    private let fileDescriptor: Int32
    private var storage = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
    private var start = 0  // first unconsumed byte
    private var end = 0  // one past the last byte read

    init(fileDescriptor: Int32) { self.fileDescriptor = fileDescriptor }

    deinit { storage.deallocate() }

    /// The next frame, or nil at end of file.
    func next() throws -> Frame? {
        var newline = find(UInt8(ascii: "\n"), from: start)
        while newline == nil {
            let scanned = end - start
            guard try fill(atLeast: 1) else { return nil }
            newline = find(UInt8(ascii: "\n"), from: start + scanned)
        }
        let header = text(start..<newline!).split(separator: " ")
        guard header.count == 3, let index = Int(header[0]), let length = Int(header[2]), length >= 0 else {
            throw KaTeXRendererError.protocolViolation("bad reply header \(header.joined(separator: " ").prefix(80))")
        }
        let bodyOffset = newline! + 1 - start
        if end - start < bodyOffset + length {
            guard try fill(atLeast: bodyOffset + length - (end - start)) else { return nil }
        }
        let body = start + bodyOffset
        start = body + length
        return Frame(index: index, kind: String(header[1]), payload: text(body..<start))
    }

    /// The offset of the first `byte` at or after `offset` in the buffered bytes.
    private func find(_ byte: UInt8, from offset: Int) -> Int? {
        guard offset < end, let hit = memchr(storage.baseAddress! + offset, Int32(byte), end - offset) else { return nil }
        return storage.baseAddress!.distance(to: hit)
    }

    /// The buffered bytes in `range`, decoded as UTF-8.
    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: storage[range]), as: UTF8.self)
    }

    /// Reads until `count` more bytes are buffered, first moving the unconsumed bytes to the
    /// front and growing the storage if needed; false at end of file.
    private func fill(atLeast count: Int) throws -> Bool {
        let unconsumed = end - start
        let needed = unconsumed + max(count, 1 << 16)
        if needed > storage.count {
            let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: max(needed, storage.count * 2), alignment: 1)
            larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[start..<end]))
            storage.deallocate()
            storage = larger
        } else if start > 0 {
            memmove(storage.baseAddress!, storage.baseAddress! + start, unconsumed)
        }
        (start, end) = (0, unconsumed)
        while end < unconsumed + count {
            let got = read(fileDescriptor, storage.baseAddress! + end, storage.count - end)
            if got < 0 && errno == EINTR { continue }
            if got < 0 { throw KaTeXRendererError.protocolViolation("reading replies failed: errno \(errno)") }
            if got == 0 { return false }
            end += got
        }
        return true
    }
}
