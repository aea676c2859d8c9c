/// A plot of a widget's frame: an area with axes in which to draw, in the plot's coordinates.
///
/// Made by `LiveUI.plot(_:x:y:)`. Coordinates outside the ranges are clipped by the painter;
/// non-finite ones are skipped, so a diverging simulation draws what it can.
public struct LivePlot {
    let list: LiveDisplayList
    /// The plot's number in the frame, from 0.
    public let index: Int
    public let x: ClosedRange<Double>
    public let y: ClosedRange<Double>

    /// A segment from (`x1`, `y1`) to (`x2`, `y2`), `width` pixels wide.
    public func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, color: LiveColor = .fit, width: Double = 2) {
        list.append(.line)
        list.append(index)
        list.append(color.rawValue)
        list.append(width)
        list.append(x1); list.append(y1); list.append(x2); list.append(y2)
    }

    /// A connected line through (`xs[i]`, `ys[i]`).
    public func polyline(xs: [Double], ys: [Double], color: LiveColor = .fit, width: Double = 2) {
        let count = min(xs.count, ys.count)
        list.append(.polyline)
        list.append(index)
        list.append(color.rawValue)
        list.append(width)
        list.append(count)
        for i in 0..<count { list.append(xs[i]); list.append(ys[i]) }
    }

    /// A connected line through (i, `ys[i]`), as a series against its step number.
    public func series(_ ys: [Double], color: LiveColor = .accent, width: Double = 2) {
        list.append(.polyline)
        list.append(index)
        list.append(color.rawValue)
        list.append(width)
        list.append(ys.count)
        for (i, value) in ys.enumerated() { list.append(i); list.append(value) }
    }

    /// A dot of `radius` pixels at (`x`, `y`).
    public func point(_ x: Double, _ y: Double, color: LiveColor = .data, radius: Double = 4) {
        list.append(.point)
        list.append(index)
        list.append(color.rawValue)
        list.append(radius)
        list.append(x); list.append(y)
    }

    /// A dot at each point.
    public func points(_ points: [LivePoint], color: LiveColor = .data, radius: Double = 4) {
        for point in points { self.point(point.x, point.y, color: color, radius: radius) }
    }

    /// `label` at (`x`, `y`).
    public func text(_ label: StaticString, _ x: Double, _ y: Double, anchor: LiveAnchor = .start, color: LiveColor = .ink) {
        appendText(x, y, anchor, color) { list.append(label) }
    }

    /// `value` with `significant` digits at (`x`, `y`), after `prefix`.
    public func number(_ value: Double, _ x: Double, _ y: Double, prefix: StaticString = "", significant: Int = 3,
                       anchor: LiveAnchor = .start, color: LiveColor = .ink) {
        var bytes: [UInt8] = []
        prefix.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes += LiveNumber.format(value, significant: significant)
        appendText(x, y, anchor, color) { list.append(bytes: bytes) }
    }

    /// Shades the plot's area in a `columns` × `rows` grid: `value(x, y)` at each cell's centre,
    /// clamped to 0…1, mixes colour `low` (0) into `high` (1).
    public func shade(columns: Int, rows: Int, low: LiveColor = .negative, high: LiveColor = .positive,
                      _ value: (Double, Double) -> Double) {
        let columns = max(1, min(columns, 200)), rows = max(1, min(rows, 200))
        list.append(.shade)
        list.append(index)
        list.append(low.rawValue)
        list.append(high.rawValue)
        list.append(columns)
        list.append(rows)
        let width = (x.upperBound - x.lowerBound) / Double(columns)
        let height = (y.upperBound - y.lowerBound) / Double(rows)
        for row in 0..<rows {
            for column in 0..<columns {
                let v = value(x.lowerBound + (Double(column) + 0.5) * width, y.lowerBound + (Double(row) + 0.5) * height)
                list.append(v.isNaN ? 0.5 : min(1, max(0, v)))
            }
        }
    }

    private func appendText(_ x: Double, _ y: Double, _ anchor: LiveAnchor, _ color: LiveColor, _ text: () -> Void) {
        list.append(.text)
        list.append(index)
        list.append(color.rawValue)
        list.append(x); list.append(y)
        list.append(anchor.rawValue)
        text()
    }
}
