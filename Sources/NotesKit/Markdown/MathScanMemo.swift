import CCmarkGFM

/// What the math scanner remembers about one inline subject (a paragraph, heading or table cell)
/// between its calls, so that scanning a subject costs time linear in its length.
///
/// cmark-gfm calls the scanner once per `$`, each time with a fresh view of the subject and no
/// room for state. The memo lives on the block whose inlines are being parsed, as the node's user
/// data, freed with the node: cmark parses each block's inlines exactly once, from left to right,
/// and a new block starts with no user data, so a memo can never describe another subject (a
/// cache keyed on the inline parser's or the text's address could: both are reused).
final class MathScanMemo {
    /// The subject's first line in the file.
    private let firstLine: Int
    /// How far newlines have been counted, and how many were found before that position.
    private var countedUpTo: Int32 = 0
    private var newlinesCounted = 0
    /// The subject's code spans and autolinks, mapped on first use.
    private var map: CodeSpanMap?
    /// Every search that stands on the subject's top level (outside code spans and autolinks) at
    /// or after this position finds no closing `$`: an earlier search went on from there to the end.
    var topLevelFailsFrom = Int32.max
    /// Positions inside one code span from which an earlier search found no closing `$`. (cmark
    /// calls the scanner inside what the map calls a code span when it pairs backticks otherwise,
    /// as this cmark-gfm can once its backtick memo goes stale, or when a link destination hides one.)
    var failsInsideSpan: Range<Int32> = 0..<0

    private init(firstLine: Int) {
        self.firstLine = firstLine
    }

    /// The memo of the block `node`, made and attached on first use.
    static func of(_ node: OpaquePointer) -> MathScanMemo {
        if let existing = cmark_node_get_user_data(node) {
            return Unmanaged<MathScanMemo>.fromOpaque(existing).takeUnretainedValue()
        }
        let memo = MathScanMemo(firstLine: Int(cmark_node_get_start_line(node)))
        cmark_node_set_user_data(node, Unmanaged.passRetained(memo).toOpaque())
        cmark_node_set_user_data_free_func(node) { _, data in
            if let data { Unmanaged<MathScanMemo>.fromOpaque(data).release() }
        }
        return memo
    }

    /// The file line of subject byte `position`. Counting resumes where the previous call stopped,
    /// since cmark asks in increasing order; an earlier position is recounted from the start.
    func line(at position: Int32, byte: (Int32) -> UInt8) -> Int {
        if position < countedUpTo { countedUpTo = 0; newlinesCounted = 0 }
        for p in countedUpTo..<position where byte(p) == 0x0A { newlinesCounted += 1 }
        countedUpTo = position
        return firstLine + newlinesCounted
    }

    /// The subject's code spans and autolinks, mapped on first use.
    func codeSpans(byte: (Int32) -> UInt8) -> CodeSpanMap {
        if let map { return map }
        let built = CodeSpanMap(byte: byte)
        map = built
        return built
    }
}
