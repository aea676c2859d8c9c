import Foundation
import NotebookSupport

/// Cuts a note program's stdout and stderr into per-cell outputs at the offsets its event
/// records give, and reads the inline values and rich outputs the records carry.
///
/// The streams are taken as bytes and cut before they are decoded, so a cell's output is exactly
/// what it wrote between its start and the next event, whatever bytes it printed.
struct OutputParser {
    /// Everything found in one run's output; texts are whole (the runner shortens them).
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

    func parse(events: Data, stdout: Data, stderr: Data) -> Parsed {
        var parsed = Parsed()
        let records = RuntimeProtocol.Record.decode(Array(events)[...]).records
        var current: Int?
        // Where the current cell's output began in each stream.
        var stdoutStart: Int64 = 0, stderrStart: Int64 = 0
        func closeCell(at record: RuntimeProtocol.Record?) {
            let stdoutEnd = record.map { $0.stdoutOffset } ?? Int64(stdout.count)
            let stderrEnd = record.map { $0.stderrOffset } ?? Int64(stderr.count)
            if let cell = current {
                parsed.stdout[cell, default: ""] += Self.text(stdout, from: stdoutStart, to: stdoutEnd)
                parsed.stderr[cell, default: ""] += Self.text(stderr, from: stderrStart, to: stderrEnd)
            } else {
                parsed.stderrBeforeCells += Self.text(stderr, from: stderrStart, to: stderrEnd)
            }
            stdoutStart = max(stdoutStart, stdoutEnd)
            stderrStart = max(stderrStart, stderrEnd)
        }
        for record in records {
            switch record.event {
            case .cellStart(let index):
                closeCell(at: record)
                current = index
                parsed.started.append(index)
                parsed.inlineInProgress = nil
            case .inlineStart(let index):
                parsed.inlineInProgress = index
            case .done:
                parsed.finished = true
                parsed.inlineInProgress = nil
            case .inlineValue(let index):
                parsed.inlineValues[index] = .value(String(decoding: record.payload, as: UTF8.self))
                parsed.inlineInProgress = nil
            case .inlineError(let index):
                parsed.inlineValues[index] = .error(.init(String(decoding: record.payload, as: UTF8.self)))
                parsed.inlineInProgress = nil
            case .rich(let kind):
                guard let cell = current, let output = Self.richOutput(kind, record.payload) else { continue }
                parsed.rich[cell, default: []].append(output)
            case .crashStatus(let index, let status):
                parsed.crashStatus[index] = status
            }
        }
        closeCell(at: nil)
        return parsed
    }

    private static func richOutput(_ kind: RuntimeProtocol.RichKind, _ payload: [UInt8]) -> NotebookResult.RichOutput? {
        let json = String(decoding: payload, as: UTF8.self)
        switch kind {
        case .chart: return .chart(json: json)
        case .table: return .table(json: json)
        case .images: return .images(json: json)
        case .expectation:
            guard let record = try? JSONDecoder().decode(ExpectationRecord.self, from: Data(payload)) else { return nil }
            return .expectation(record)
        }
    }

    /// The bytes of `stream` between two offsets, as text (a stream that is not a file reports -1).
    private static func text(_ stream: Data, from start: Int64, to end: Int64) -> String {
        let lower = Int(min(max(start, 0), Int64(stream.count)))
        let upper = Int(min(max(end, Int64(lower)), Int64(stream.count)))
        guard upper > lower else { return "" }
        return String(decoding: stream[stream.startIndex + lower..<stream.startIndex + upper], as: UTF8.self)
    }

    /// Cuts text longer than `limit` bytes at a character boundary and says so.
    static func truncated(_ text: String, limit: Int = 1 << 20) -> String {
        let bytes = text.utf8.count
        guard bytes > limit else { return text }
        var end = text.utf8.index(text.utf8.startIndex, offsetBy: limit)
        while end > text.startIndex, end.samePosition(in: text.unicodeScalars) == nil { end = text.utf8.index(before: end) }
        return String(text[..<end]) + "\n… output cut here: \(bytes) bytes in all, only the first \(limit) are kept.\n"
    }
}
