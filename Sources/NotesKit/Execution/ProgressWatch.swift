import Foundation
import NotebookSupport

/// Watches a running note: which cell it is in, for how long, and how much it has printed.
///
/// Stops the run when a cell passes its own `timeout=` or the output grows past a hard cap
/// (a runaway print loop would otherwise fill the disk before the note's time limit).
struct ProgressWatch {
    /// The program's events file, read as it grows.
    let events: URL
    let cells: [Notebook.Cell]
    /// The program's stdout and stderr files.
    let streams: [URL]
    /// Output beyond this many bytes stops the run (cells keep 1 MiB each anyway).
    var outputCap: UInt64 = 256 << 20

    private var currentCell: Int?
    /// How far the events file has been read, and a record still being written.
    private var eventsRead: UInt64 = 0
    private var pending: [UInt8] = []
    private var cellStarted = Date()
    private var lastCheck = Date.distantPast
    /// Why the watch stopped the run, if it did.
    private(set) var stopReason: String?

    init(events: URL, cells: [Notebook.Cell], streams: [URL]) {
        self.events = events
        self.cells = cells
        self.streams = streams
    }

    /// Called while the program runs; true means kill it now.
    mutating func shouldStop() -> Bool {
        let now = Date()
        guard now.timeIntervalSince(lastCheck) >= 0.02 else { return false }
        lastCheck = now
        if let index = latestCellStart(), index != currentCell {
            currentCell = index
            cellStarted = now
        }
        if let index = currentCell, let limit = cells.first(where: { $0.index == index })?.options.timeout,
           now.timeIntervalSince(cellStarted) > limit {
            stopReason = "the cell ran longer than its timeout=\(NotebookRunner.seconds(limit)) and was stopped"
            return true
        }
        let sizes = streams.map { (try? FileManager.default.attributesOfItem(atPath: $0.path))?[.size] as? UInt64 ?? 0 }
        if sizes.reduce(0, +) > outputCap {
            stopReason = "the cell printed more than \(outputCap >> 20) MiB and was stopped"
            return true
        }
        return false
    }

    /// The last cell that started among the records written since the previous check.
    private mutating func latestCellStart() -> Int? {
        guard let handle = try? FileHandle(forReadingFrom: events) else { return nil }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: eventsRead)) != nil, let data = try? handle.readToEnd(), !data.isEmpty else { return nil }
        eventsRead += UInt64(data.count)
        pending += data
        let (records, used) = RuntimeProtocol.Record.decode(pending[...])
        pending.removeFirst(used)
        return records.reversed().lazy.compactMap { record -> Int? in
            if case .cellStart(let index) = record.event { return index }
            return nil
        }.first
    }
}
