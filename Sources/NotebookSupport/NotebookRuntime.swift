import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The hooks that a note's generated program calls between cells; not for note authors.
///
/// The notes tool runs each note as one program. Between cells the program writes the events of
/// `RuntimeProtocol` to both stdout and stderr, so the tool can split the streams into per-cell
/// outputs. Output is line-buffered, so a crash loses at most a partial last line.
public enum NotebookRuntime {
    nonisolated(unsafe) private static var nonce = ""
    nonisolated(unsafe) private static var progressPath: String?

    /// Sets up buffering and reads the run's nonce; the first line of every generated program.
    public static func begin() {
        let environment = ProcessInfo.processInfo.environment
        nonce = environment[RuntimeProtocol.Environment.nonce] ?? "standalone"
        progressPath = environment[RuntimeProtocol.Environment.progressFile]
        if let directory = environment[RuntimeProtocol.Environment.workingDirectory] {
            _ = FileManager.default.changeCurrentDirectoryPath(directory)
        }
        setvbuf(stdout, nil, _IOLBF, 1 << 16)
    }

    /// Marks the start of cell `index` in both streams and in the progress file.
    public static func cellStart(_ index: Int) {
        mark(.cellStart(index))
        if let progressPath {
            try? Data("\(index)\n".utf8).write(to: URL(fileURLWithPath: progressPath))
        }
    }

    /// Marks the normal end of the program.
    public static func end() {
        mark(.done)
    }

    /// Prints the canonical form of an inline value (`` `{swift} expr` ``) inside its own frame.
    public static func inlineValue(_ index: Int, _ value: () throws -> Any) {
        mark(.inlineStart(index))
        do {
            let text = Canonical.describe(try value())
            emit(.inlineValue(index), text)
        } catch {
            emit(.inlineError(index), "\(error)")
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
            mark(.crashStatus(index, .forkFailed))
            return
        }
        var status: Int32 = 0
        while waitpid(child, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        mark(.crashStatus(index, signal != 0 ? .signal(signal) : .exit((status >> 8) & 0xff)))
    }

    /// Writes a framed block to stdout: an inline value, or rich output (a chart, a table or an
    /// expectation as JSON).
    static func emit(_ event: RuntimeProtocol.Event, _ payload: String) {
        flush()
        fputs(RuntimeProtocol.marker(event, nonce: nonce) + payload + RuntimeProtocol.marker(.end, nonce: nonce), stdout)
        fflush(stdout)
    }

    private static func mark(_ event: RuntimeProtocol.Event) {
        let marker = RuntimeProtocol.marker(event, nonce: nonce)
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
