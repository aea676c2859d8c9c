import Foundation

/// Watches a running note: which cell it is in, for how long, and how much it has printed.
///
/// Stops the run when a cell passes its own `timeout=` or the output grows past a hard cap
/// (a runaway print loop would otherwise fill the disk before the note's time limit).
struct ProgressWatch {
    let file: URL
    let cells: [Notebook.Cell]
    let stdout: URL
    /// Output beyond this many bytes stops the run (cells keep 1 MiB each anyway).
    var outputCap: UInt64 = 256 << 20

    private var currentCell: Int?
    private var cellStarted = Date()
    private var lastCheck = Date.distantPast
    /// Why the watch stopped the run, if it did.
    private(set) var stopReason: String?

    init(file: URL, cells: [Notebook.Cell], stdout: URL) {
        self.file = file
        self.cells = cells
        self.stdout = stdout
    }

    /// Called while the program runs; true means kill it now.
    mutating func shouldStop() -> Bool {
        let now = Date()
        guard now.timeIntervalSince(lastCheck) >= 0.02 else { return false }
        lastCheck = now
        if let text = try? String(contentsOf: file, encoding: .utf8),
           let index = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), index != currentCell {
            currentCell = index
            cellStarted = now
        }
        if let index = currentCell, let limit = cells.first(where: { $0.index == index })?.options.timeout,
           now.timeIntervalSince(cellStarted) > limit {
            stopReason = "the cell ran longer than its timeout=\(NotebookRunner.seconds(limit)) and was stopped"
            return true
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: stdout.path))?[.size] as? UInt64, size > outputCap {
            stopReason = "the cell printed more than \(outputCap >> 20) MiB and was stopped"
            return true
        }
        return false
    }
}
