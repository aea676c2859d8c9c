import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The hooks that a note's generated program calls between cells; not for note authors.
///
/// The notes tool runs each note as one program. Between cells the program reports the events
/// of `RuntimeProtocol` on the events descriptor the tool opened for it, with where stdout and
/// stderr stood, so the tool can cut the streams into per-cell outputs. Run by hand (no
/// descriptor), the program just prints. Output is line-buffered, so a crash loses at most a
/// partial last line.
public enum NotebookRuntime {
    /// The events descriptor, or -1 when the program was not started by the tool.
    nonisolated(unsafe) private static var events: Int32 = -1

    /// Takes over the events descriptor and sets up buffering; the first line of every generated
    /// program, so it runs before any cell.
    ///
    /// The descriptor is closed on exec, so processes that a cell starts do not inherit it, and
    /// the tool's variables are removed from the environment.
    public static func begin() {
        let environment = ProcessInfo.processInfo.environment
        if let text = environment[RuntimeProtocol.Environment.eventsDescriptor], let descriptor = Int32(text),
           fcntl(descriptor, F_SETFD, FD_CLOEXEC) == 0 {
            events = descriptor
        }
        if let directory = environment[RuntimeProtocol.Environment.workingDirectory] {
            _ = FileManager.default.changeCurrentDirectoryPath(directory)
        }
        unsetenv(RuntimeProtocol.Environment.eventsDescriptor)
        unsetenv(RuntimeProtocol.Environment.workingDirectory)
        setvbuf(stdout, nil, _IOLBF, 1 << 16)
    }

    /// Marks the start of cell `index`.
    public static func cellStart(_ index: Int) {
        report(.cellStart(index))
    }

    /// Marks the normal end of the program.
    public static func end() {
        report(.done)
    }

    /// Reports the canonical form of an inline value (`` `{swift} expr` ``), or the error it threw.
    public static func inlineValue(_ index: Int, _ value: () throws -> Any) {
        report(.inlineStart(index))
        do {
            let text = Canonical.describe(try value())
            report(.inlineValue(index), text)
        } catch {
            report(.inlineError(index), "\(error)")
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
            report(.crashStatus(index, .forkFailed))
            return
        }
        var status: Int32 = 0
        while waitpid(child, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        report(.crashStatus(index, signal != 0 ? .signal(signal) : .exit((status >> 8) & 0xff)))
    }

    /// Reports a rich output of the current cell (a chart, a table or an expectation as JSON).
    static func emit(_ kind: RuntimeProtocol.RichKind, _ json: String) {
        report(.rich(kind), json)
    }

    /// Writes `event` as one record, after flushing both streams so that the offsets are exact.
    private static func report(_ event: RuntimeProtocol.Event, _ payload: String = "") {
        flush()
        guard events >= 0 else { return }
        let record = RuntimeProtocol.Record(event: event, stdoutOffset: size(of: 1), stderrOffset: size(of: 2),
                                            payload: Array(payload.utf8))
        let bytes = record.encoded
        bytes.withUnsafeBufferPointer { buffer in
            var written = 0
            while written < buffer.count {
                let result = write(events, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 && errno == EINTR { continue }
                guard result > 0 else { return }
                written += result
            }
        }
    }

    /// How many bytes the stream has received: the size of its file, which the tool opens for
    /// appending (so a program that seeks cannot move it back); -1 when it is not a file.
    private static func size(of descriptor: Int32) -> Int64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return -1 }
        return Int64(info.st_size)
    }

    private static func flush() {
        fflush(stdout)
        fflush(stderr)
    }
}
