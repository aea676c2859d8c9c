/// The conversation between a note's program and the notes tool, defined once for both sides.
///
/// The program (through `NotebookRuntime`) reports events on a channel of its own: a file
/// descriptor the tool opens for it (`NOTES_EVENTS_FD`), which the runtime takes over and hides
/// from child processes before the first cell runs. Each event is a `Record` that says where
/// stdout and stderr stood when it happened, so the tool cuts the streams into per-cell outputs
/// at those byte offsets; inline values and rich outputs travel inside records. Nothing a cell
/// prints can look like an event. Cells are compiled under placeholder file names (`@cell-3@`,
/// `@inline-0@`), which the tool reads back from compiler errors, crash traces and expectation
/// records.
public enum RuntimeProtocol {
    /// The environment variables the tool sets for the program (the runtime removes them).
    public enum Environment {
        /// The number of the file descriptor that events are written to.
        public static let eventsDescriptor = "NOTES_EVENTS_FD"
        /// The folder the program changes into before the first cell (the notes folder).
        public static let workingDirectory = "NOTES_WORKING_DIRECTORY"
    }

    /// The descriptor the tool opens the events file on in the program.
    public static let eventsDescriptor: Int32 = 3

    /// What a rich output holds.
    public enum RichKind: String, Sendable, CaseIterable {
        case chart, table, images, expectation = "expect"
    }

    /// One event the program reports.
    public enum Event: Sendable, Equatable {
        /// Cell `index` starts.
        case cellStart(Int)
        /// Inline value `index` is being evaluated.
        case inlineStart(Int)
        /// Inline value `index`'s canonical text, in the payload.
        case inlineValue(Int)
        /// The error that inline value `index` threw, in the payload.
        case inlineError(Int)
        /// A rich output of the current cell, as JSON in the payload.
        case rich(RichKind)
        /// How the forked child of an `expect=crash` cell ended.
        case crashStatus(Int, CrashStatus)
        /// The program reached its end.
        case done

        /// The event as written in a record.
        public var text: String {
            switch self {
            case .cellStart(let index): return "cell \(index)"
            case .inlineStart(let index): return "inline-start \(index)"
            case .inlineValue(let index): return "inline \(index)"
            case .inlineError(let index): return "inline-error \(index)"
            case .rich(let kind): return "rich \(kind.rawValue)"
            case .crashStatus(let index, let status): return "crash-status \(index) \(status.text)"
            case .done: return "done"
            }
        }

        /// Reads an event's text; nil for anything this version does not know.
        public init?(text: String) {
            let words = text.split(separator: " ").map(String.init)
            guard let name = words.first else { return nil }
            let number = words.count > 1 ? Int(words[1]) : nil
            switch (name, number) {
            case ("cell", let index?) where words.count == 2: self = .cellStart(index)
            case ("inline-start", let index?) where words.count == 2: self = .inlineStart(index)
            case ("inline", let index?) where words.count == 2: self = .inlineValue(index)
            case ("inline-error", let index?) where words.count == 2: self = .inlineError(index)
            case ("rich", _) where words.count == 2:
                guard let kind = RichKind(rawValue: words[1]) else { return nil }
                self = .rich(kind)
            case ("done", nil) where words.count == 1: self = .done
            case ("crash-status", let index?):
                guard let status = CrashStatus(text: words.dropFirst(2).joined(separator: " ")) else { return nil }
                self = .crashStatus(index, status)
            default: return nil
            }
        }
    }

    /// How the child process of an `expect=crash` cell ended.
    public enum CrashStatus: Sendable, Equatable {
        case signal(Int32)
        case exit(Int32)
        case forkFailed

        var text: String {
            switch self {
            case .signal(let number): return "signal \(number)"
            case .exit(let code): return "exit \(code)"
            case .forkFailed: return "fork-failed"
            }
        }

        init?(text: String) {
            let words = text.split(separator: " ")
            if words == ["fork-failed"] { self = .forkFailed; return }
            guard words.count == 2, let number = Int32(words[1]) else { return nil }
            switch words[0] {
            case "signal": self = .signal(number)
            case "exit": self = .exit(number)
            default: return nil
            }
        }
    }

    /// One event on the channel, with where stdout and stderr stood when it happened.
    ///
    /// Written as a header line, `<stdout offset> <stderr offset> <payload bytes> <event>\n`,
    /// followed by the payload (an inline value's text or a rich output's JSON). An offset is
    /// -1 when the stream is not a file. A record cut short by a crash is ignored.
    public struct Record: Sendable, Equatable {
        public var event: Event
        public var stdoutOffset: Int64
        public var stderrOffset: Int64
        public var payload: [UInt8]

        public init(event: Event, stdoutOffset: Int64, stderrOffset: Int64, payload: [UInt8] = []) {
            self.event = event
            self.stdoutOffset = stdoutOffset
            self.stderrOffset = stderrOffset
            self.payload = payload
        }

        /// The record's bytes, written with one `write` call.
        public var encoded: [UInt8] {
            Array("\(stdoutOffset) \(stderrOffset) \(payload.count) \(event.text)\n".utf8) + payload
        }

        /// Reads the whole records at the start of `bytes`; returns them and how many bytes they
        /// used (a record still being written is left for later). Unknown events are skipped.
        public static func decode(_ bytes: ArraySlice<UInt8>) -> (records: [Record], used: Int) {
            var records: [Record] = []
            var position = bytes.startIndex
            while let newline = bytes[position...].firstIndex(of: 0x0A) {
                let header = String(decoding: bytes[position..<newline], as: UTF8.self)
                let fields = header.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
                guard fields.count == 4, let stdout = Int64(fields[0]), let stderr = Int64(fields[1]),
                      let length = Int(fields[2]), length >= 0 else { break }
                let payloadStart = newline + 1
                guard bytes.endIndex - payloadStart >= length else { break }
                if let event = Event(text: String(fields[3])) {
                    records.append(Record(event: event, stdoutOffset: stdout, stderrOffset: stderr,
                                          payload: Array(bytes[payloadStart..<payloadStart + length])))
                }
                position = payloadStart + length
            }
            return (records, position - bytes.startIndex)
        }
    }

    // MARK: - Placeholder files

    /// A piece of the generated program that stands for a part of the note.
    public enum Unit: Sendable, Hashable, Codable {
        /// Cell `index` (position among the note's cells, from 0).
        case cell(Int)
        /// Inline value `index` (position among the note's inline values, from 0).
        case inline(Int)

        /// The file name the unit is compiled under: `@cell-3@`, `@inline-0@`.
        public var fileName: String {
            switch self {
            case .cell(let index): return "@cell-\(index)@"
            case .inline(let index): return "@inline-\(index)@"
            }
        }

        /// The unit a placeholder file name (possibly with a directory before it) stands for.
        public init?(fileName: String) {
            let name = fileName.split(separator: "/").last.map(String.init) ?? fileName
            for (prefix, make) in [("@cell-", Unit.cell), ("@inline-", Unit.inline)] where name.hasPrefix(prefix) && name.hasSuffix("@") {
                guard let index = Int(name.dropFirst(prefix.count).dropLast()), index >= 0 else { return nil }
                self = make(index)
                return
            }
            return nil
        }
    }
}
