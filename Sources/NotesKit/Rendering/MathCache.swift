import Foundation

/// Typeset math kept between builds, so an unchanged formula never goes to KaTeX twice.
///
/// The cache is a folder (`math/` in the cache folder) of one file per note, named after the
/// note's page (`backprop.math`): a build that renders one page reads and writes that page's file
/// only, however large the course. Each file holds the formulas of its note in the last build: a
/// header naming the format and the typesetter's fingerprint (KaTeX version and options), then
/// length-prefixed records of (display flag + TeX, HTML). A file that is unreadable, truncated
/// or from another typesetter is ignored with a warning; files are replaced atomically, and
/// those of notes no longer in the course are removed.
struct MathCache: Sendable {
    private static let magic = "notes-math-cache-v1"

    let folder: URL
    let fingerprint: String
    /// Files as this process last read or wrote them (`notes serve`), or nil.
    let memo: BuildMemo?

    init(folder: URL, fingerprint: String, memo: BuildMemo? = nil) {
        self.folder = folder
        self.fingerprint = fingerprint
        self.memo = memo
    }

    /// The file of the note whose page is `slug`.
    func file(of slug: String) -> URL { folder.appendingPathComponent(slug + ".math") }

    /// The formulas cached for the note `slug`; `warning` receives a message when an existing
    /// file is discarded.
    func entries(of slug: String, warning: (String) -> Void = { _ in }) -> [MathRequest: String] {
        let file = file(of: slug)
        if let kept = memo?.mathEntries(file: file, fingerprint: fingerprint) { return kept }
        var entries: [MathRequest: String] = [:]
        switch RecordFile.read(file, magic: Self.magic, fingerprint: fingerprint) {
        case nil, .otherFingerprint?: break // none yet, or made by another KaTeX or bridge: silently out of date
        case .records(let records)?:
            if let read = Self.entries(records) {
                entries = read
            } else {
                warning("discarded unreadable math cache \(file.path)")
            }
        case .unreadable?: warning("discarded unreadable math cache \(file.path)")
        }
        memo?.keepMath(entries, file: file, fingerprint: fingerprint)
        return entries
    }

    /// Writes `entries` as the file of the note `slug`, atomically.
    func save(_ entries: [MathRequest: String], of slug: String) throws {
        let file = file(of: slug)
        try Self.save(entries, to: file, fingerprint: fingerprint)
        memo?.keepMath(entries, file: file, fingerprint: fingerprint)
    }

    /// Removes the files of notes other than `slugs`, and the single file of earlier versions.
    func removeAll(except slugs: Set<String>) {
        let manager = FileManager.default
        try? manager.removeItem(at: folder.deletingLastPathComponent().appendingPathComponent("math.cache"))
        guard let names = try? manager.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasSuffix(".math") && !slugs.contains(String(name.dropLast(5))) {
            try? manager.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// Writes `entries` to `file`, atomically.
    static func save(_ entries: [MathRequest: String], to file: URL, fingerprint: String) throws {
        try RecordFile.write(records(entries), to: file, magic: magic, fingerprint: fingerprint)
    }

    /// The records of `entries`: pairs of key ("d" or "i", then the TeX) and HTML, sorted by key,
    /// so equal caches are equal files.
    private static func records(_ entries: [MathRequest: String]) -> [String] {
        entries.map { (key: Self.key($0.key), html: $0.value) }.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.html] }
    }

    private static func key(_ request: MathRequest) -> String { (request.display ? "d" : "i") + request.tex }

    // MARK: - Copies shared between machines

    /// The `ac/` key under which the formulas `requests` of one note are shared through the
    /// remote cache: a hash of the typesetter's fingerprint and the formulas, each once.
    static func sharedKey(_ requests: [MathRequest], fingerprint: String) -> String {
        var document = "notes math 1\n\(fingerprint.utf8.count) \(fingerprint)\n"
        for key in Set(requests.map(Self.key)).sorted() { document += "\(key.utf8.count) \(key)\n" }
        return Digest.sha256Hex(document)
    }

    /// `entries` in the form of a cache file, for the remote cache.
    static func encoded(_ entries: [MathRequest: String], fingerprint: String) -> Data {
        RecordFile.encode(magic: magic, fingerprint: fingerprint, records: records(entries))
    }

    /// The formulas of `data` in the form of a cache file, or nil if it is not one of `fingerprint`.
    static func decoded(_ data: Data, fingerprint: String) -> [MathRequest: String]? {
        guard case .records(let records) = RecordFile.decode(data, magic: magic, fingerprint: fingerprint) else { return nil }
        return entries(records)
    }


    /// The formulas of a file's records (pairs of form and TeX, HTML), or nil if they are not such pairs.
    private static func entries(_ records: [String]) -> [MathRequest: String]? {
        guard records.count % 2 == 0 else { return nil }
        var entries: [MathRequest: String] = [:]
        entries.reserveCapacity(records.count / 2)
        for pair in stride(from: 0, to: records.count, by: 2) {
            let key = records[pair]
            guard let form = key.utf8.first, form == UInt8(ascii: "d") || form == UInt8(ascii: "i") else { return nil }
            entries[MathRequest(tex: String(Substring(key.unicodeScalars.dropFirst())), display: form == UInt8(ascii: "d"))] = records[pair + 1]
        }
        return entries
    }
}

/// A math renderer that answers from cached formulas and sends only new ones to the typesetter.
///
/// A large batch of new formulas is split across one typesetter per core (each made by
/// `makeRenderer`, each typesetting a contiguous part of the batch), so a cold build typesets in
/// parallel; outcomes come back in request order either way.
final class CachedMathRenderer: MathRenderer, @unchecked Sendable {
    /// Below this many new formulas per extra typesetter, starting another one does not pay.
    static let formulasPerTypesetter = 256
    /// At most this many typesetters (node processes) at once, however many cores there are.
    static let maximumTypesetters = 8

    private let makeRenderer: @Sendable () throws -> any MathRenderer
    private let lock = NSLock()
    private let entries: [MathRequest: String]
    /// How many requests the last `render` call answered from the cache.
    private(set) var hits = 0
    /// How many cached formulas the last `render` call refused as not KaTeX's output (typeset anew).
    private(set) var refused = 0

    /// A renderer answering from `entries` (formulas as cached: TeX → HTML).
    init(entries: [MathRequest: String], makeRenderer: @escaping @Sendable () throws -> any MathRenderer) {
        self.entries = entries
        self.makeRenderer = makeRenderer
    }

    func render(_ requests: [MathRequest]) throws -> [MathOutcome] {
        lock.lock()
        defer { lock.unlock() }
        var outcomes = [MathOutcome?](repeating: nil, count: requests.count)
        var missing: [Int] = []
        refused = 0
        // A cache folder can be altered (restored from elsewhere): a formula is used only if its
        // HTML is KaTeX's kind. Checked on every core, as a rebuild checks every formula.
        let entries = entries
        let trusted = Parallel.map(requests.count) { entries[requests[$0]].map(KaTeXOutputCheck.accepts) ?? false }
        for (index, request) in requests.enumerated() {
            if trusted[index], let html = entries[request] {
                outcomes[index] = .rendered(html: html)
            } else {
                if entries[request] != nil { refused += 1 }
                missing.append(index)
            }
        }
        hits = requests.count - missing.count
        if !missing.isEmpty {
            for (index, outcome) in zip(missing, try typeset(missing.map { requests[$0] })) {
                outcomes[index] = outcome
            }
        }
        return outcomes.map { $0! }
    }

    /// Typesets `batch` with one typesetter, or with one per core when the batch is large.
    private func typeset(_ batch: [MathRequest]) throws -> [MathOutcome] {
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, batch.count / Self.formulasPerTypesetter,
                          Self.maximumTypesetters)
        guard workers > 1 else { return try makeRenderer().render(batch) }
        let parts = (0..<workers).map { batch.count * $0 / workers ..< batch.count * ($0 + 1) / workers }
        let makeRenderer = makeRenderer
        return try Parallel.tryMap(workers, workers: workers) { part in try makeRenderer().render(Array(batch[parts[part]])) }
            .flatMap { $0 }
    }
}

extension KaTeXRenderer {
    /// What typeset math depends on besides its TeX: KaTeX's version and our bridge script.
    ///
    /// Read from files, without starting node, so a fully cached build never starts it.
    static var fingerprint: String {
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
