/// Every run of backticks in one inline subject, so the math scanner can pair a code span's
/// opening run with its closing run without rescanning the rest of the paragraph.
///
/// CommonMark's rule, as cmark-gfm applies it: a run of n backticks opens a code span that ends
/// at the next run of exactly n backticks; backslashes do not escape inside, and a run with no
/// such partner is literal text. Runs longer than cmark's limit never open a code span.
struct BacktickRuns {
    /// cmark-gfm's `MAXBACKTICKS`: longer runs are always literal.
    static let longestOpener: Int32 = 1000

    /// For each run length, where the runs of exactly that length start, in increasing order.
    private var startsByLength: [Int32: [Int32]] = [:]

    /// Indexes the subject's bytes, read through `byte` up to the first 0 (cmark's end of input).
    init(byte: (Int32) -> UInt8) {
        var position: Int32 = 0
        while true {
            let b = byte(position)
            if b == 0 { break }
            guard b == UInt8(ascii: "`") else { position += 1; continue }
            let start = position
            while byte(position) == UInt8(ascii: "`") { position += 1 }
            startsByLength[position - start, default: []].append(start)
        }
    }

    /// Where the code span opened by `length` backticks at `opener` ends (just past its closing
    /// run), or nil when nothing closes it. `opener` may lie inside a longer run, after an
    /// escaped backtick: the run then counts from there.
    func codeSpanEnd(openerAt opener: Int32, length: Int32) -> Int32? {
        guard length <= Self.longestOpener, let starts = startsByLength[length] else { return nil }
        // The first run of this length starting after the opener's own run.
        var low = 0, high = starts.count
        while low < high {
            let middle = (low + high) / 2
            if starts[middle] < opener + length { low = middle + 1 } else { high = middle }
        }
        return low < starts.count ? starts[low] + length : nil
    }
}
