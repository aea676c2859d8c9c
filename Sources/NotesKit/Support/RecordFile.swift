import Foundation

/// The file format of the build's caches: a header, then length-prefixed UTF-8 strings.
///
/// The header is two strings: the magic naming the format and the fingerprint of what made the
/// records (the typesetter, the tool). Each string is a little-endian 32-bit byte count and the
/// bytes. Reading validates every string as UTF-8; anything truncated or invalid makes the whole
/// file unreadable, never half read.
enum RecordFile {
    /// What a file held.
    enum Contents {
        case records([String])
        /// Written by another typesetter or tool: out of date, not broken.
        case otherFingerprint
        case unreadable
    }

    static func encode(magic: String, fingerprint: String, records: [String]) -> Data {
        var data = Data()
        data.reserveCapacity(records.reduce(8 + magic.utf8.count + fingerprint.utf8.count) { $0 + 4 + $1.utf8.count })
        func append(_ string: String) {
            var count = UInt32(string.utf8.count).littleEndian
            withUnsafeBytes(of: &count) { data.append(contentsOf: $0) }
            data.append(contentsOf: string.utf8)
        }
        append(magic)
        append(fingerprint)
        records.forEach(append)
        return data
    }

    static func decode(_ data: Data, magic: String, fingerprint: String) -> Contents {
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Contents in
            var offset = 0
            /// The next string, validated as UTF-8 (nil if truncated or invalid).
            func next() -> String? {
                guard bytes.count - offset >= 4 else { return nil }
                let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                offset += 4
                guard length <= bytes.count - offset else { return nil }
                defer { offset += length }
                return String(validating: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]), as: UTF8.self)
            }
            guard next() == magic else { return .unreadable }
            guard next() == fingerprint else { return .otherFingerprint }
            var records: [String] = []
            while offset < bytes.count {
                guard let record = next() else { return .unreadable }
                records.append(record)
            }
            return .records(records)
        }
    }

    /// Reads `file`: nil when there is none.
    static func read(_ file: URL, magic: String, fingerprint: String) -> Contents? {
        guard let data = try? Data(contentsOf: file) else { return nil }
        return decode(data, magic: magic, fingerprint: fingerprint)
    }

    /// Writes `records` to `file` atomically, making its folder if needed.
    static func write(_ records: [String], to file: URL, magic: String, fingerprint: String) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try encode(magic: magic, fingerprint: fingerprint, records: records).write(to: file, options: .atomic)
    }
}
