/// The conversation between a note's program and the notes tool, defined once for both sides.
///
/// The program (through `NotebookRuntime`) writes events between its cells as markers,
/// `\u{1}NOTES:<nonce>:<event>\u{2}`, to stdout and stderr; the tool splits the streams at them.
/// The nonce comes from the environment and is unknown to the note, so printed text cannot forge
/// a marker. Cells are compiled under placeholder file names (`@cell-3@`, `@inline-0@`), which
/// the tool reads back from compiler errors, crash traces and expectation records.
public enum RuntimeProtocol {
    /// The environment variables the tool sets for the program.
    public enum Environment {
        /// The secret that marks this run's events.
        public static let nonce = "NOTES_RUN_NONCE"
        /// A file the program rewrites with the index of the cell it is in, for per-cell time limits.
        public static let progressFile = "NOTES_PROGRESS_FILE"
        /// The folder the program changes into before the first cell (the notes folder).
        public static let workingDirectory = "NOTES_WORKING_DIRECTORY"
    }

    /// What a rich-output frame holds.
    public enum RichKind: String, Sendable, CaseIterable {
        case chart, table, expectation = "expect"
    }

    /// One event the program reports.
    public enum Event: Sendable, Equatable {
        /// Cell `index` starts.
        case cellStart(Int)
        /// Inline value `index` is being evaluated.
        case inlineStart(Int)
        /// Opens a frame holding inline value `index`'s canonical text.
        case inlineValue(Int)
        /// Opens a frame holding the error that inline value `index` threw.
        case inlineError(Int)
        /// Opens a frame holding a rich output of the current cell (JSON).
        case rich(RichKind)
        /// Closes the open frame.
        case end
        /// How the forked child of an `expect=crash` cell ended.
        case crashStatus(Int, CrashStatus)
        /// The program reached its end.
        case done

        /// The event as written inside a marker.
        public var text: String {
            switch self {
            case .cellStart(let index): return "cell \(index)"
            case .inlineStart(let index): return "inline-start \(index)"
            case .inlineValue(let index): return "inline \(index)"
            case .inlineError(let index): return "inline-error \(index)"
            case .rich(let kind): return "rich \(kind.rawValue)"
            case .end: return "end"
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
            case ("end", nil) where words.count == 1: self = .end
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

    /// The opening of every marker of the run with `nonce`.
    public static func markerPrefix(nonce: String) -> String { "\u{1}NOTES:\(nonce):" }

    /// What ends a marker.
    public static let markerEnd: Character = "\u{2}"

    /// The marker for `event` in the run with `nonce`.
    public static func marker(_ event: Event, nonce: String) -> String {
        markerPrefix(nonce: nonce) + event.text + String(markerEnd)
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
