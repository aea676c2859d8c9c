import Foundation

/// The `/ac/` entry of a note: the subset of the Remote Execution API's `ActionResult` message
/// that names the note's result blob and when its run started and ended, in protobuf's binary
/// wire format.
///
/// That is the form bazel-remote validates (and then stores as it is, since the worker is set),
/// and nginx stores any bytes. The fields written are `output_files` (2), one `OutputFile` with
/// `path` (1) and `digest` (2: `hash` 1, `size_bytes` 2), and `execution_metadata` (9) with
/// `worker` (1) and the execution's start and end (7, 8: `seconds` 1, `nanos` 2). Reading skips
/// every other field, as protobuf readers must.
struct ActionResultMessage: Sendable, Equatable {
    /// A blob of the content-addressed store: its SHA-256 in lowercase hex and its size.
    struct BlobDigest: Sendable, Equatable, Hashable {
        var hash: String
        var size: Int

        init(hash: String, size: Int) {
            self.hash = hash
            self.size = size
        }

        /// The digest of `data`.
        init(of data: Data) {
            self.init(hash: Digest.sha256Hex(data), size: data.count)
        }
    }

    /// The output file a note's result is stored as.
    static let resultPath = "notebook-result.json"

    /// The output file's name: `resultPath`, or another for other records.
    var path = Self.resultPath
    var result: BlobDigest
    var worker: String
    /// When the run started and ended, in seconds since 1970.
    var started: Double
    var finished: Double

    /// The run's length in seconds.
    var seconds: Double { max(0, finished - started) }

    // MARK: - Writing

    /// The message's bytes.
    func encoded() -> Data {
        var digest = ProtoWriter()
        digest.string(1, result.hash)
        digest.varint(2, UInt64(result.size))
        var file = ProtoWriter()
        file.string(1, path)
        file.message(2, digest.bytes)
        var metadata = ProtoWriter()
        metadata.string(1, worker)
        metadata.message(7, Self.timestamp(started))
        metadata.message(8, Self.timestamp(finished))
        var message = ProtoWriter()
        message.message(2, file.bytes)
        message.message(9, metadata.bytes)
        return Data(message.bytes)
    }

    private static func timestamp(_ time: Double) -> [UInt8] {
        let seconds = time.rounded(.down)
        var writer = ProtoWriter()
        writer.varint(1, UInt64(max(0, seconds)))
        writer.varint(2, UInt64(max(0, min(999_999_999, ((time - seconds) * 1e9).rounded()))))
        return writer.bytes
    }

    // MARK: - Reading

    /// The entry in `data`, or nil when it is not an `ActionResult` naming a result blob.
    init?(decoding data: Data) {
        var result: BlobDigest?, resultPath = ""
        var worker = "", started = 0.0, finished = 0.0
        guard let fields = ProtoReader.fields(Array(data)) else { return nil }
        for field in fields {
            switch (field.number, field.value) {
            case (2, .bytes(let file)):
                guard let fileFields = ProtoReader.fields(file) else { return nil }
                var path: String?, digest: BlobDigest?
                for inner in fileFields {
                    switch (inner.number, inner.value) {
                    case (1, .bytes(let text)): path = String(decoding: text, as: UTF8.self)
                    case (2, .bytes(let bytes)): digest = Self.digest(bytes)
                    default: break
                    }
                }
                if result == nil, let path, let digest { (result, resultPath) = (digest, path) }
            case (9, .bytes(let bytes)):
                guard let metadata = ProtoReader.fields(bytes) else { return nil }
                for inner in metadata {
                    switch (inner.number, inner.value) {
                    case (1, .bytes(let text)): worker = String(decoding: text, as: UTF8.self)
                    case (7, .bytes(let time)): started = Self.time(time) ?? 0
                    case (8, .bytes(let time)): finished = Self.time(time) ?? 0
                    default: break
                    }
                }
            default: break
            }
        }
        guard let result else { return nil }
        self.init(path: resultPath, result: result, worker: worker, started: started, finished: finished)
    }

    init(path: String = Self.resultPath, result: BlobDigest, worker: String, started: Double, finished: Double) {
        self.path = path
        self.result = result
        self.worker = worker
        self.started = started
        self.finished = finished
    }

    private static func digest(_ bytes: [UInt8]) -> BlobDigest? {
        guard let fields = ProtoReader.fields(bytes) else { return nil }
        var hash: String?, size: UInt64 = 0
        for field in fields {
            switch (field.number, field.value) {
            case (1, .bytes(let text)): hash = String(decoding: text, as: UTF8.self)
            case (2, .varint(let value)): size = value
            default: break
            }
        }
        guard let hash, hash.utf8.count == 64, hash.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
              size <= UInt64(Int.max) else { return nil }
        return BlobDigest(hash: hash, size: Int(size))
    }

    private static func time(_ bytes: [UInt8]) -> Double? {
        guard let fields = ProtoReader.fields(bytes) else { return nil }
        var seconds: UInt64 = 0, nanos: UInt64 = 0
        for field in fields {
            switch (field.number, field.value) {
            case (1, .varint(let value)): seconds = value
            case (2, .varint(let value)): nanos = value
            default: break
            }
        }
        return Double(seconds) + Double(nanos) / 1e9
    }
}
