import Foundation

/// Typeset math kept between builds, so an unchanged formula never goes to KaTeX twice.
///
/// One file holds every formula of the last build: a header naming the format and the
/// typesetter's fingerprint (KaTeX version and options), then length-prefixed records of
/// (display flag + TeX, HTML). A file that is unreadable, truncated or from another typesetter is
/// ignored with a warning; the file is replaced atomically, holding only what the build used.
public struct MathCache: Sendable {
    private static let magic = "notes-math-cache-v1"

    public let file: URL
    public let fingerprint: String
    public private(set) var entries: [MathRequest: String] = [:]

    /// Opens the cache at `file`; `warning` receives a message when an existing file is discarded.
    public init(file: URL, fingerprint: String, warning: (String) -> Void = { _ in }) {
        self.file = file
        self.fingerprint = fingerprint
        guard let data = try? Data(contentsOf: file) else { return }
        switch Self.decode(data, fingerprint: fingerprint) {
        case .entries(let entries): self.entries = entries
        case .otherTypesetter: break // made by another KaTeX or bridge: silently out of date
        case .unreadable: warning("discarded unreadable math cache \(file.path)")
        }
    }

    /// Writes `entries` as the new cache file, atomically.
    public static func save(_ entries: [MathRequest: String], to file: URL, fingerprint: String) throws {
        var data = Data()
        func append(_ string: String) {
            let bytes = Data(string.utf8)
            var count = UInt32(bytes.count).littleEndian
            withUnsafeBytes(of: &count) { data.append(contentsOf: $0) }
            data.append(bytes)
        }
        append(magic)
        append(fingerprint)
        for (request, html) in entries.sorted(by: { ($0.key.display ? "d" : "i") + $0.key.tex < ($1.key.display ? "d" : "i") + $1.key.tex }) {
            append((request.display ? "d" : "i") + request.tex)
            append(html)
        }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file, options: .atomic)
    }

    private enum Decoded {
        case entries([MathRequest: String])
        case otherTypesetter
        case unreadable
    }

    private static func decode(_ data: Data, fingerprint: String) -> Decoded {
        var offset = 0
        func next() -> String? {
            guard offset + 4 <= data.count else { return nil }
            var count: UInt32 = 0
            withUnsafeMutableBytes(of: &count) { $0.copyBytes(from: data[data.startIndex + offset ..< data.startIndex + offset + 4]) }
            let length = Int(UInt32(littleEndian: count))
            offset += 4
            guard length >= 0, offset + length <= data.count else { return nil }
            let slice = data[data.startIndex + offset ..< data.startIndex + offset + length]
            offset += length
            return String(data: slice, encoding: .utf8)
        }
        guard next() == magic else { return .unreadable }
        guard next() == fingerprint else { return .otherTypesetter }
        var entries: [MathRequest: String] = [:]
        while offset < data.count {
            guard let key = next(), let html = next(), let form = key.first, form == "d" || form == "i" else { return .unreadable }
            entries[MathRequest(tex: String(key.dropFirst()), display: form == "d")] = html
        }
        return .entries(entries)
    }
}

/// A math renderer that answers from a `MathCache` and sends only new formulas to the typesetter.
public final class CachedMathRenderer: MathRenderer, @unchecked Sendable {
    private let makeRenderer: () throws -> any MathRenderer
    private let lock = NSLock()
    private var cache: MathCache
    private var used: [MathRequest: String] = [:]
    /// How many requests the last `render` call answered from the cache.
    public private(set) var hits = 0

    public init(cache: MathCache, makeRenderer: @escaping () throws -> any MathRenderer) {
        self.cache = cache
        self.makeRenderer = makeRenderer
    }

    public func render(_ requests: [MathRequest]) throws -> [MathOutcome] {
        lock.lock()
        defer { lock.unlock() }
        var outcomes = [MathOutcome?](repeating: nil, count: requests.count)
        var missing: [Int] = []
        for (index, request) in requests.enumerated() {
            if let html = cache.entries[request] {
                outcomes[index] = .rendered(html: html)
                used[request] = html
            } else {
                missing.append(index)
            }
        }
        hits = requests.count - missing.count
        if !missing.isEmpty {
            let fresh = try makeRenderer().render(missing.map { requests[$0] })
            for (index, outcome) in zip(missing, fresh) {
                outcomes[index] = outcome
                if case .rendered(let html) = outcome { used[requests[index]] = html }
            }
        }
        return outcomes.map { $0! }
    }

    /// Saves the formulas used since this renderer was made as the new cache.
    public func save() throws {
        lock.lock()
        defer { lock.unlock() }
        try MathCache.save(used, to: cache.file, fingerprint: cache.fingerprint)
    }
}

extension KaTeXRenderer {
    /// What typeset math depends on besides its TeX: KaTeX's version and our bridge script.
    ///
    /// Read from files, without starting node, so a fully cached build never starts it.
    public static var fingerprint: String {
        let environment = ProcessInfo.processInfo.environment
        let module = environment["NOTES_KATEX_MODULE"] ?? defaultKaTeXModule
        let package = (try? String(contentsOfFile: module + "/package.json", encoding: .utf8)) ?? ""
        let version = package.range(of: #""version"\s*:\s*"([^"]+)""#, options: .regularExpression)
            .map { String(package[$0]) } ?? "unknown"
        let script = Bundle.module.url(forResource: "katex-server", withExtension: "js", subdirectory: "Resources")
            .flatMap { try? Data(contentsOf: $0) } ?? Data()
        var checksum: UInt64 = 0xcbf29ce484222325 // FNV-1a over the bridge script
        for byte in script { checksum = (checksum ^ UInt64(byte)) &* 0x100000001b3 }
        return "katex \(version); bridge \(String(checksum, radix: 16))"
    }
}
