/// Where the code spans and autolinks of one inline subject lie, paired as CommonMark pairs them:
/// left to right from the subject's start, before any `$` is looked at.
///
/// These bind tighter than math, so every search for a closing `$` jumps over them. Because the
/// map is made once from the start of the subject, every search follows the same steps from a
/// given position whichever `$` it started at, which is what lets `MathScanMemo` reuse what an
/// earlier, failed search found.
struct CodeSpanMap {
    /// The spans in order, each from its first byte to just past its last.
    let spans: [Range<Int32>]

    /// Maps the subject's bytes, read through `byte` up to the first 0 (cmark's end of input).
    init(byte: (Int32) -> UInt8) {
        let runs = BacktickRuns(byte: byte)
        var spans: [Range<Int32>] = []
        var position: Int32 = 0
        while true {
            let b = byte(position)
            if b == 0 { break }
            switch b {
            case UInt8(ascii: "\\"):
                position += 2
            case UInt8(ascii: "`"):
                var runEnd = position + 1
                while byte(runEnd) == UInt8(ascii: "`") { runEnd += 1 }
                if let end = runs.codeSpanEnd(openerAt: position, length: runEnd - position) {
                    spans.append(position..<end)
                    position = end
                } else {
                    position = runEnd
                }
            case UInt8(ascii: "<"):
                if let end = Autolink.end(openerAt: position, byte: byte) {
                    spans.append(position..<end)
                    position = end
                } else {
                    position += 1
                }
            default:
                position += 1
            }
        }
        self.spans = spans
    }

    /// The index of the first span that ends after `position` (`spans.count` if none does).
    func firstSpan(endingAfter position: Int32) -> Int {
        var low = 0, high = spans.count
        while low < high {
            let middle = (low + high) / 2
            if spans[middle].upperBound <= position { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
