import Foundation

/// A table of values that a note's page shows as an HTML table.
///
/// ```swift
/// Table(["epoch", "cost", "accuracy"], rows: report.map { [$0.epoch, $0.cost, $0.accuracy] }).show()
/// ```
public struct Table: Codable, Sendable, Equatable {
    public var columns: [String]
    /// Cells as canonical text, so numbers read the same on every machine.
    public var rows: [[String]]

    public init(_ columns: [String], rows: [[Any]]) {
        self.columns = columns
        self.rows = rows.map { $0.map(Canonical.describe) }
    }

    /// Sends the table to the page, below the cell's text output.
    public func show() {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        NotebookRuntime.emit(.table, json)
    }
}
