import Foundation

/// Typesets every formula of every note in one batch, through the math cache when there is one.
///
/// With a shared cache server (`shared`), a note whose formulas the local cache lacks is looked
/// up there, as one record per note keyed by its formulas, and a note typeset here is uploaded:
/// a merge build on a fresh machine then typesets only the notes no earlier build typeset.
/// Formulas from the server are checked like those of the local cache, as KaTeX's kind of HTML.
struct MathTypesetter {
    /// The cache folder (`math/` in it), or nil to typeset everything.
    let cache: URL?
    let paths: PathDisplay
    let log: @Sendable (String) -> Void
    let makeMathRenderer: @Sendable () throws -> any MathRenderer
    /// The math cache as an earlier build of this process left it (`notes serve`), or nil.
    var memo: BuildMemo? = nil
    /// The shared cache server, as a cache with no local folder (the math cache is that), or nil.
    var shared: CellResultCache? = nil

    /// What typesetting produced.
    struct Typeset: Sendable {
        /// Every formula: (TeX as sent, display) → HTML.
        var html: [MathRequest: String]
        /// How many came from the cache.
        var cached: Int
        var warnings: [Diagnostic]
    }

    /// Every math span of `notes` typeset in one batch; TeX errors are errors at their lines.
    ///
    /// Only the cache files of `notes` are read and written; those of `keeping` (notes whose
    /// pages are kept from the last build) are left as they are, and those of notes in neither
    /// are removed. Without notes nothing is done, and the cache is not even opened.
    func typeset(_ notes: [Note], keeping: [Note] = []) throws(DiagnosticsError) -> Typeset {
        guard !notes.isEmpty else { return Typeset(html: [:], cached: 0, warnings: []) }
        var warnings: [Diagnostic] = []
        var requests: [MathRequest] = []
        var seen: Set<MathRequest> = []
        var origins: [MathRequest: (file: String, line: Int)] = [:]
        var requestsOfNote: [[MathRequest]] = Array(repeating: [], count: notes.count)
        Self.walk(notes) { request, index, line in
            requestsOfNote[index].append(request)
            if seen.insert(request).inserted {
                requests.append(request)
                origins[request] = (notes[index].file, line)
            }
        }
        log("  typesetting \(requests.count) formulas")
        let mathCache = cache.map { MathCache(folder: $0.appendingPathComponent("math"), fingerprint: KaTeXRenderer.fingerprint, memo: memo) }
        let stored: [(entries: [MathRequest: String], warnings: [String])] = mathCache.map { mathCache in
            Parallel.map(notes.count) { index in
                var discarded: [String] = []
                let entries = mathCache.entries(of: notes[index].slug, warning: { discarded.append($0) })
                return (entries, discarded)
            }
        } ?? []
        warnings += stored.flatMap(\.warnings).map { .warning(paths(cache!), line: nil, $0) }
        // Notes the local cache lacks formulas of, and what the server has of them.
        let fingerprint = KaTeXRenderer.fingerprint
        let lacking = mathCache == nil || shared == nil ? []
            : notes.indices.filter { index in requestsOfNote[index].contains { stored[index].entries[$0] == nil } }
        let sharedKeys = lacking.map { MathCache.sharedKey(requestsOfNote[$0], fingerprint: fingerprint) }
        let fetched: [[MathRequest: String]?] = shared.map { shared in
            Parallel.map(lacking.count, workers: 8) { position in
                shared.document(sharedKeys[position]).flatMap { MathCache.decoded($0.data, fingerprint: fingerprint) }
            }
        } ?? []
        if !lacking.isEmpty {
            log("  remote cache: typeset math of \(fetched.compactMap { $0 }.count) of \(lacking.count) notes found")
        }
        let outcomes: [MathOutcome]
        var hits = 0
        do {
            if mathCache != nil {
                var known: [MathRequest: String] = [:]
                for (entries, _) in stored { known.merge(entries) { first, _ in first } }
                for entries in fetched.compactMap({ $0 }) { known.merge(entries) { first, _ in first } }
                let cached = CachedMathRenderer(entries: known, makeRenderer: makeMathRenderer)
                outcomes = try cached.render(requests)
                hits = cached.hits
                if cached.refused > 0 {
                    warnings.append(.warning(paths(cache!), line: nil, "\(cached.refused) cached formula\(cached.refused == 1 ? " was" : "s were") "
                                             + "not what KaTeX writes (the math cache was altered) and \(cached.refused == 1 ? "was" : "were") typeset again"))
                }
            } else {
                outcomes = try makeMathRenderer().render(requests)
            }
        } catch {
            throw DiagnosticsError([.error("math", line: nil, "\(error)")])
        }
        var rendered: [MathRequest: String] = [:]
        var errors: [Diagnostic] = []
        for (request, outcome) in zip(requests, outcomes) {
            switch outcome {
            case .rendered(let html):
                rendered[request] = html
            case .failed(let message):
                let origin = origins[request] ?? ("?", 1)
                errors.append(.error(origin.file, line: origin.line, "TeX error: \(message)"))
            }
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        if let mathCache, let folder = cache {
            // Each note's file holds exactly its formulas; a file that would not change is not written.
            let (requestsOfNote, rendered) = (requestsOfNote, rendered)
            let failures = Parallel.map(notes.count) { index -> String? in
                var entries: [MathRequest: String] = [:]
                for request in requestsOfNote[index] { entries[request] = rendered[request] }
                guard entries != stored[index].entries else { return nil }
                do {
                    try mathCache.save(entries, of: notes[index].slug)
                    return nil
                } catch {
                    return error.localizedDescription
                }
            }
            if let failure = failures.compactMap({ $0 }).first {
                warnings.append(.warning(paths(folder), line: nil, "cannot write the math cache: \(failure)"))
            }
            mathCache.removeAll(except: Set((notes + keeping).map(\.slug)))
        }
        if let shared {
            // What the server lacked, for the next machine.
            let (requestsOfNote, rendered) = (requestsOfNote, rendered)
            let uploads = lacking.indices.filter { fetched[$0] == nil }
            _ = Parallel.map(uploads.count, workers: 8) { position in
                let index = lacking[uploads[position]]
                var entries: [MathRequest: String] = [:]
                for request in requestsOfNote[index] { entries[request] = rendered[request] }
                shared.putDocument(MathCache.encoded(entries, fingerprint: fingerprint), path: "math",
                                   key: sharedKeys[uploads[position]])
            }
        }
        return Typeset(html: rendered, cached: hits, warnings: warnings)
    }

    /// Calls `body` with every math span's request, the index of its note in `notes` and its line,
    /// in note and document order.
    private static func walk(_ notes: [Note], _ body: (MathRequest, Int, Int) -> Void) {
        for (index, note) in notes.enumerated() {
            let numbers = EquationNumbers(note)
            note.document.walk { node in
                guard case .math(let math) = node.kind else { return }
                body(numbers.request(for: math), index, node.range?.start.line ?? 1)
            }
        }
    }
}
