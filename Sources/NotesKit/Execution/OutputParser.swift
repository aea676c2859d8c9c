/// Splits a note program's stdout and stderr into per-cell outputs at the runtime's markers.
///
/// Markers look like `\u{1}NOTES:<nonce>:<event>\u{2}`, where the nonce is secret to this run.
/// Events: `cell K` (cell K starts), `inline-start K` (inline value K is being evaluated),
/// `inline K` / `inline-error K` … `end` (its value),
/// `rich chart|table|expect` … `end` (rich output of the current cell), `crash-status K HOW` (how an
/// `expect=crash` cell's child ended) and `done` (the program finished).
struct OutputParser {
    /// Text and events of one stream, in order.
    enum Piece: Equatable {
        case text(String)
        case event(String)
    }

    /// Everything found in one run's output.
    struct Parsed {
        var stdout: [Int: String] = [:]
        var stderr: [Int: String] = [:]
        var rich: [Int: [NotebookResult.RichOutput]] = [:]
        var inlineValues: [Int: NotebookResult.InlineValue] = [:]
        var crashStatus: [Int: String] = [:]
        /// Cells that started, in order.
        var started: [Int] = []
        /// The inline value being evaluated when the output ends, if the last thing begun was one.
        var inlineInProgress: Int?
        var finished = false
        /// Output printed before the first cell (by the prologue, normally nothing).
        var preamble = ""
    }

    let nonce: String
    /// Longest text kept per cell and stream; the rest is cut with a notice.
    var limit = 1 << 20

    func parse(stdout: String, stderr: String) -> Parsed {
        var parsed = Parsed()
        var current: Int?
        var frame: (event: String, text: String)?
        for piece in pieces(stdout) {
            switch piece {
            case .text(let text):
                if frame != nil {
                    frame!.text += text
                } else if let cell = current {
                    parsed.stdout[cell, default: ""] += text
                } else {
                    parsed.preamble += text
                }
            case .event(let event):
                let words = event.split(separator: " ").map(String.init)
                switch words.first {
                case "cell":
                    if let index = Int(words[1]) { current = index; parsed.started.append(index) }
                    parsed.inlineInProgress = nil
                case "inline-start":
                    parsed.inlineInProgress = Int(words[1])
                case "done":
                    parsed.finished = true
                    parsed.inlineInProgress = nil
                case "inline", "inline-error", "rich":
                    frame = (event, "")
                case "end":
                    if let open = frame { close(open, cell: current, into: &parsed) }
                    frame = nil
                case "crash-status":
                    if words.count >= 3, let index = Int(words[1]) { parsed.crashStatus[index] = words[2...].joined(separator: " ") }
                default:
                    break
                }
            }
        }
        current = nil
        for piece in pieces(stderr) {
            switch piece {
            case .text(let text):
                if let cell = current { parsed.stderr[cell, default: ""] += text } else { parsed.preamble += text }
            case .event(let event):
                let words = event.split(separator: " ")
                if words.first == "cell", words.count == 2, let index = Int(words[1]) { current = index }
            }
        }
        parsed.stdout = parsed.stdout.mapValues(truncated)
        parsed.stderr = parsed.stderr.mapValues(truncated)
        return parsed
    }

    private func close(_ frame: (event: String, text: String), cell: Int?, into parsed: inout Parsed) {
        let words = frame.event.split(separator: " ").map(String.init)
        switch words.first {
        case "inline":
            if let index = Int(words[1]) { parsed.inlineValues[index] = .value(frame.text); parsed.inlineInProgress = nil }
        case "inline-error":
            if let index = Int(words[1]) { parsed.inlineValues[index] = .error(frame.text); parsed.inlineInProgress = nil }
        case "rich":
            guard let cell else { return }
            switch words.last {
            case "table": parsed.rich[cell, default: []].append(.table(json: frame.text))
            case "expect": parsed.rich[cell, default: []].append(.expectation(json: frame.text))
            default: parsed.rich[cell, default: []].append(.chart(json: frame.text))
            }
        default:
            break
        }
    }

    /// Splits a stream into text and events.
    func pieces(_ stream: String) -> [Piece] {
        let open = "\u{1}NOTES:\(nonce):"
        var pieces: [Piece] = []
        var rest = stream[...]
        while let start = rest.range(of: open) {
            if start.lowerBound > rest.startIndex { pieces.append(.text(String(rest[..<start.lowerBound]))) }
            guard let close = rest[start.upperBound...].firstIndex(of: "\u{2}") else {
                rest = rest[start.lowerBound...]
                break
            }
            pieces.append(.event(String(rest[start.upperBound..<close])))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        return pieces
    }

    /// Cuts text longer than `limit` bytes at a character boundary and says so.
    func truncated(_ text: String) -> String {
        let bytes = text.utf8.count
        guard bytes > limit else { return text }
        var end = text.utf8.index(text.utf8.startIndex, offsetBy: limit)
        while end > text.startIndex, end.samePosition(in: text.unicodeScalars) == nil { end = text.utf8.index(before: end) }
        return String(text[..<end]) + "\n… output cut here: \(bytes) bytes in all, only the first \(limit) are kept.\n"
    }
}
