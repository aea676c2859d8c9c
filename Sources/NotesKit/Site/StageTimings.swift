import Foundation

/// Wall-clock seconds of each stage of a build, for the benchmarks.
public struct StageTimings: Sendable {
    /// Reading and parsing the notes, and indexing their equations.
    public var load = 0.0
    /// Running the notes' cells (or reading their results from the cache).
    public var execute = 0.0
    /// Typesetting math: cache lookups, starting KaTeX, typesetting, saving the cache.
    public var math = 0.0
    /// Rendering pages and the search index.
    public var render = 0.0
    /// Writing and swapping in the site.
    public var publish = 0.0

    /// "load 0.012 s, cells 0.340 s, math 0.001 s, render 0.050 s, publish 0.020 s".
    public var line: String {
        [("load", load), ("cells", execute), ("math", math), ("render", render), ("publish", publish)]
            .map { "\($0) \(String(format: "%.3f", $1)) s" }.joined(separator: ", ")
    }

    /// Runs `body` and adds its seconds to `stage`.
    mutating func measure<T>(_ stage: WritableKeyPath<StageTimings, Double>,
                             _ body: () throws(DiagnosticsError) -> T) throws(DiagnosticsError) -> T {
        let clock = ContinuousClock()
        let started = clock.now
        defer { self[keyPath: stage] += (clock.now - started).seconds }
        return try body()
    }
}

extension Duration {
    /// The duration in seconds as a Double.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
