import Foundation

/// A line or scatter chart that a note's page shows as an SVG drawn at build time.
///
/// ```swift
/// Chart(title: "Training cost", x: "epoch", y: "cost")
///     .line("train", x: epochs, y: costs)
///     .scatter("test", x: epochs, y: testCosts)
///     .logScaleY()
///     .show()
/// ```
public struct Chart: Codable, Sendable, Equatable {
    /// One named series of points, drawn as a line or as dots.
    public struct Series: Codable, Sendable, Equatable {
        public enum Style: String, Codable, Sendable { case line, scatter }
        public var name: String
        public var style: Style
        public var x: [Double]
        public var y: [Double]
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xLog = false
    public var yLog = false
    public var series: [Series] = []

    public init(title: String = "", x: String = "", y: String = "") {
        self.title = title
        self.xLabel = x
        self.yLabel = y
    }

    /// Adds a series drawn as a line through its points in order.
    public func line(_ name: String, x: [Double], y: [Double]) -> Chart {
        adding(Series(name: name, style: .line, x: x, y: y))
    }

    /// Adds a series drawn as a line over x = 0, 1, 2, …
    public func line(_ name: String, _ y: [Double]) -> Chart {
        line(name, x: y.indices.map(Double.init), y: y)
    }

    /// Adds a series drawn as separate dots.
    public func scatter(_ name: String, x: [Double], y: [Double]) -> Chart {
        adding(Series(name: name, style: .scatter, x: x, y: y))
    }

    /// Uses a logarithmic x axis.
    public func logScaleX() -> Chart { var chart = self; chart.xLog = true; return chart }

    /// Uses a logarithmic y axis.
    public func logScaleY() -> Chart { var chart = self; chart.yLog = true; return chart }

    /// Sends the chart to the page, below the cell's text output.
    ///
    /// Stops the cell with a message naming the series when a value is NaN or infinite: a chart
    /// cannot draw it, and JSON cannot carry it.
    public func show() {
        for series in series {
            for (axis, values) in [("x", series.x), ("y", series.y)] {
                if let index = values.firstIndex(where: { !$0.isFinite }) {
                    fatalError("Chart series '\(series.name)' has \(values[index]) as its \(axis) value at index \(index): a chart needs finite numbers")
                }
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        NotebookRuntime.emit(.chart, json)
    }

    private func adding(_ series: Series) -> Chart {
        // fatalError, not precondition: the engine is built with -O, where a precondition's message is dropped.
        if series.x.count != series.y.count {
            fatalError("Chart series '\(series.name)' has \(series.x.count) x values but \(series.y.count) y values: they must be as many")
        }
        var chart = self
        chart.series.append(series)
        return chart
    }
}
