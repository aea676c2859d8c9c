import Foundation
import NotebookSupport

/// Splits a note program's stdout and stderr into per-cell outputs at the events of
/// `RuntimeProtocol`, and reads the framed inline values and rich outputs.
struct OutputParser {
    /// Text and events of one stream, in order.
    enum Piece: Equatable {
        case text(String)
        case event(RuntimeProtocol.Event)
    }

    /// Everything found in one run's output.
    struct Parsed {
        var stdout: [Int: String] = [:]
        var stderr: [Int: String] = [:]
        var rich: [Int: [NotebookResult.RichOutput]] = [:]
        var inlineValues: [Int: NotebookResult.InlineValue] = [:]
        var crashStatus: [Int: RuntimeProtocol.CrashStatus] = [:]
        /// Cells that started, in order.
        var started: [Int] = []
        /// The inline value being evaluated when the output ends, if the last thing begun was one.
        var inlineInProgress: Int?
        var finished = false
        /// Stderr written before the first cell started (an inline value's crash in a note without cells).
        var stderrBeforeCells = ""
    }

    let nonce: String
    /// Longest text kept per cell and stream; the rest is cut with a notice.
    var limit = 1 << 20

    func parse(stdout: String, stderr: String) -> Parsed {
        var parsed = Parsed()
        var current: Int?
        var frame: (event: RuntimeProtocol.Event, text: String)?
        for piece in pieces(stdout) {
            switch piece {
            case .text(let text):
                if frame != nil {
                    frame!.text += text
                } else if let cell = current {
                    parsed.stdout[cell, default: ""] += text
                }
            case .event(let event):
                switch event {
                case .cellStart(let index):
                    current = index
                    parsed.started.append(index)
                    parsed.inlineInProgress = nil
                case .inlineStart(let index):
                    parsed.inlineInProgress = index
                case .done:
                    parsed.finished = true
                    parsed.inlineInProgress = nil
                case .inlineValue, .inlineError, .rich:
                    frame = (event, "")
                case .end:
                    if let open = frame { close(open, cell: current, into: &parsed) }
                    frame = nil
                case .crashStatus(let index, let status):
                    parsed.crashStatus[index] = status
                }
            }
        }
        current = nil
        for piece in pieces(stderr) {
            switch piece {
            case .text(let text):
                if let cell = current { parsed.stderr[cell, default: ""] += text } else { parsed.stderrBeforeCells += text }
            case .event(let event):
                if case .cellStart(let index) = event { current = index }
            }
        }
        parsed.stdout = parsed.stdout.mapValues(truncated)
        parsed.stderr = parsed.stderr.mapValues(truncated)
        return parsed
    }

    private func close(_ frame: (event: RuntimeProtocol.Event, text: String), cell: Int?, into parsed: inout Parsed) {
        switch frame.event {
        case .inlineValue(let index):
            parsed.inlineValues[index] = .value(frame.text)
            parsed.inlineInProgress = nil
        case .inlineError(let index):
            parsed.inlineValues[index] = .error(.init(frame.text))
            parsed.inlineInProgress = nil
        case .rich(let kind):
            guard let cell else { return }
            let output: NotebookResult.RichOutput
            switch kind {
            case .chart: output = .chart(json: frame.text)
            case .table: output = .table(json: frame.text)
            case .expectation:
                guard let record = try? JSONDecoder().decode(ExpectationRecord.self, from: Data(frame.text.utf8)) else { return }
                output = .expectation(record)
            }
            parsed.rich[cell, default: []].append(output)
        default:
            break
        }
    }

    /// Splits a stream into text and events; a marker this version does not know is dropped.
    func pieces(_ stream: String) -> [Piece] {
        let open = RuntimeProtocol.markerPrefix(nonce: nonce)
        var pieces: [Piece] = []
        var rest = stream[...]
        while let start = rest.range(of: open) {
            if start.lowerBound > rest.startIndex { pieces.append(.text(String(rest[..<start.lowerBound]))) }
            guard let close = rest[start.upperBound...].firstIndex(of: RuntimeProtocol.markerEnd) else {
                rest = rest[start.lowerBound...]
                break
            }
            if let event = RuntimeProtocol.Event(text: String(rest[start.upperBound..<close])) { pieces.append(.event(event)) }
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
