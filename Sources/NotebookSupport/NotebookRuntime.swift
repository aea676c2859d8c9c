import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The hooks that a note's generated program calls between cells; not for note authors.
///
/// The notes tool runs each note as one program. Between cells the program writes an event
/// marker, `\u{1}NOTES:<nonce>:<event>\u{2}`, to both stdout and stderr, so the tool can split the
/// streams into per-cell outputs. The nonce comes from the environment (`NOTES_RUN_NONCE`) and
/// is unknown to the note, so printed text cannot forge a marker. Output is line-buffered, so a
/// crash loses at most a partial last line.
public enum NotebookRuntime {
    nonisolated(unsafe) private static var nonce = ""
    nonisolated(unsafe) private static var progressPath: String?

    /// Sets up buffering and reads the run's nonce; the first line of every generated program.
    public static func begin() {
        nonce = ProcessInfo.processInfo.environment["NOTES_RUN_NONCE"] ?? "standalone"
        progressPath = ProcessInfo.processInfo.environment["NOTES_PROGRESS_FILE"]
        if let directory = ProcessInfo.processInfo.environment["NOTES_WORKING_DIRECTORY"] {
            _ = FileManager.default.changeCurrentDirectoryPath(directory)
        }
        setvbuf(stdout, nil, _IOLBF, 1 << 16)
    }

    /// Marks the start of cell `index` in both streams and in the progress file.
    public static func cellStart(_ index: Int) {
        mark("cell \(index)")
        if let progressPath {
            try? Data("\(index)\n".utf8).write(to: URL(fileURLWithPath: progressPath))
        }
    }

    /// Marks the normal end of the program.
    public static func end() {
        mark("done")
    }

    /// Prints the canonical form of an inline value (`` `{swift} expr` ``) inside its own frame.
    public static func inlineValue(_ index: Int, _ value: () throws -> Any) {
        mark("inline-start \(index)")
        do {
            let text = Canonical.describe(try value())
            emit("inline \(index)", text)
        } catch {
            emit("inline-error \(index)", "\(error)")
        }
    }

    /// Runs a cell that must crash (`expect=crash`) in a forked child, so that the program goes on
    /// with the state it had before the cell; reports how the child ended.
    public static func expectCrash(_ index: Int, _ body: () throws -> Void) {
        flush()
        let child = fork()
        if child == 0 {
            do { try body() } catch { FileHandle.standardError.write(Data("Error: \(error)\n".utf8)) }
            flush()
            _exit(0)
        }
        guard child > 0 else {
            mark("crash-status \(index) fork-failed")
            return
        }
        var status: Int32 = 0
        while waitpid(child, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        let outcome = signal != 0 ? "signal \(signal)" : "exit \((status >> 8) & 0xff)"
        mark("crash-status \(index) \(outcome)")
    }

    /// Writes a framed block of rich output (a chart or a table as JSON) to stdout.
    static func emit(_ event: String, _ payload: String) {
        flush()
        let open = "\u{1}NOTES:\(nonce):\(event)\u{2}"
        let close = "\u{1}NOTES:\(nonce):end\u{2}"
        fputs(open + payload + close, stdout)
        fflush(stdout)
    }

    private static func mark(_ event: String) {
        let marker = "\u{1}NOTES:\(nonce):\(event)\u{2}"
        fflush(stdout)
        fputs(marker, stdout)
        fflush(stdout)
        fputs(marker, stderr)
        fflush(stderr)
    }

    private static func flush() {
        fflush(stdout)
        fflush(stderr)
    }
}
