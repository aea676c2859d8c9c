import Foundation

/// Typesets every formula of every note in one batch, through the math cache when there is one.
struct MathTypesetter {
    /// The cache folder (`math.cache` in it), or nil to typeset everything.
    let cache: URL?
    let paths: PathDisplay
    let log: @Sendable (String) -> Void
    let makeMathRenderer: @Sendable () throws -> any MathRenderer
    /// The math cache as an earlier build of this process left it (`notes serve`), or nil.
    var memo: BuildMemo? = nil

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
    /// The formulas of `keeping` (notes whose pages are kept from the last build) are not looked
    /// at, but stay in the cache. Without notes nothing is done, and the cache is not even read.
    func typeset(_ notes: [Note], keeping: [Note] = []) throws(DiagnosticsError) -> Typeset {
        guard !notes.isEmpty else { return Typeset(html: [:], cached: 0, warnings: []) }
        var warnings: [Diagnostic] = []
        var requests: [MathRequest] = []
        var seen: Set<MathRequest> = []
        var origins: [MathRequest: (file: String, line: Int)] = [:]
        Self.walk(notes) { request, note, line in
            if seen.insert(request).inserted {
                requests.append(request)
                origins[request] = (note.file, line)
            }
        }
        log("  typesetting \(requests.count) formulas")
        let outcomes: [MathOutcome]
        var cached: CachedMathRenderer?
        do {
            if let folder = cache {
                var cacheWarnings: [String] = []
                let (file, fingerprint) = (folder.appendingPathComponent("math.cache"), KaTeXRenderer.fingerprint)
                let cache = memo?.mathEntries(file: file, fingerprint: fingerprint).map {
                    MathCache(file: file, fingerprint: fingerprint, entries: $0)
                } ?? MathCache(file: file, fingerprint: fingerprint, warning: { cacheWarnings.append($0) })
                warnings += cacheWarnings.map { .warning(paths(folder), line: nil, $0) }
                cached = CachedMathRenderer(cache: cache, makeRenderer: makeMathRenderer)
                var kept: Set<MathRequest> = []
                Self.walk(keeping) { request, _, _ in kept.insert(request) }
                cached!.keep(kept)
                outcomes = try cached!.render(requests)
                if cached!.refused > 0 {
                    warnings.append(.warning(paths(folder), line: nil, "\(cached!.refused) cached formula\(cached!.refused == 1 ? " was" : "s were") "
                                             + "not what KaTeX writes (the math cache was altered) and \(cached!.refused == 1 ? "was" : "were") typeset again"))
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
        if let cached, let folder = cache {
            do {
                try cached.save()
                memo?.keepMath(cached.fileEntries, file: folder.appendingPathComponent("math.cache"), fingerprint: KaTeXRenderer.fingerprint)
            } catch {
                warnings.append(.warning(paths(folder), line: nil, "cannot write the math cache: \(error.localizedDescription)"))
            }
        }
        return Typeset(html: rendered, cached: cached?.hits ?? 0, warnings: warnings)
    }

    /// Calls `body` with every math span's request, note and line, in note and document order.
    private static func walk(_ notes: [Note], _ body: (MathRequest, Note, Int) -> Void) {
        for note in notes {
            let numbers = EquationNumbers(note)
            note.document.walk { node in
                guard case .math(let math) = node.kind else { return }
                body(numbers.request(for: math), note, node.range?.start.line ?? 1)
            }
        }
    }
}
