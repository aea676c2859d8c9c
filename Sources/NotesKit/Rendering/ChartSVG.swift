import Foundation
import NotebookSupport

/// Draws a `Chart` from a cell as an inline SVG at build time: axes with round ticks, linear or
/// logarithmic scales (ticks written as powers of ten), lines and dots per series, a legend in
/// the corner of the plot that hides the fewest points, and the chart's labels.
///
/// Colours come from CSS classes (`series-0` …) so that light and dark themes restyle them;
/// coordinates are written with two decimals so that pages are byte-identical across machines.
enum ChartSVG {
    static let width = 640.0, height = 360.0
    static let left = 64.0, right = 20.0, top = 36.0, bottom = 52.0

    /// The SVG for `chart`, or a short notice when it has nothing to draw.
    static func render(_ chart: Chart) -> String {
        let points = chart.series.flatMap { zip($0.x, $0.y) }
            .filter { $0.0.isFinite && $0.1.isFinite && (!chart.xLog || $0.0 > 0) && (!chart.yLog || $0.1 > 0) }
        guard !points.isEmpty else { return "<p class=\"chart-empty\">The chart has no points to draw.</p>" }
        let xAxis = Axis(values: points.map(\.0), logarithmic: chart.xLog, from: left, to: width - right)
        let yAxis = Axis(values: points.map(\.1), logarithmic: chart.yLog, from: height - bottom, to: top)
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" "
            + "xmlns=\"http://www.w3.org/2000/svg\" aria-label=\"\(HTML.escape(description(chart)))\">\n"
        if !chart.title.isEmpty {
            svg += "<text class=\"chart-title\" x=\"\(f(width / 2))\" y=\"20\" text-anchor=\"middle\">\(HTML.escape(chart.title))</text>\n"
        }
        svg += grid(x: xAxis, y: yAxis)
        var drawn: [(x: Double, y: Double)] = []
        for (index, series) in chart.series.enumerated() {
            let pairs = zip(series.x, series.y).filter { $0.0.isFinite && $0.1.isFinite && xAxis.accepts($0.0) && yAxis.accepts($0.1) }
            let positions = pairs.map { (x: xAxis.position($0.0), y: yAxis.position($0.1)) }
            drawn += positions
            let style = "series-\(index % 6)"
            switch series.style {
            case .line:
                let coordinates = positions.map { "\(f($0.x)),\(f($0.y))" }
                svg += "<polyline class=\"chart-line \(style)\" fill=\"none\" points=\"\(coordinates.joined(separator: " "))\"/>\n"
            case .scatter:
                for point in positions {
                    svg += "<circle class=\"chart-dot \(style)\" cx=\"\(f(point.x))\" cy=\"\(f(point.y))\" r=\"3\"/>\n"
                }
            }
        }
        svg += legend(chart, avoiding: drawn)
        svg += "<text class=\"chart-label\" x=\"\(f((left + width - right) / 2))\" y=\"\(f(height - 10))\" text-anchor=\"middle\">\(HTML.escape(chart.xLabel))</text>\n"
        svg += "<text class=\"chart-label\" transform=\"translate(16 \(f((top + height - bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(HTML.escape(chart.yLabel))</text>\n"
        return svg + "</svg>"
    }

    private static func grid(x: Axis, y: Axis) -> String {
        var svg = "<g class=\"chart-grid\">\n"
        for tick in x.ticks {
            let p = f(x.position(tick))
            svg += "<line x1=\"\(p)\" y1=\"\(f(top))\" x2=\"\(p)\" y2=\"\(f(height - bottom))\"/>"
            svg += "<text class=\"chart-tick\" x=\"\(p)\" y=\"\(f(height - bottom + 16))\" text-anchor=\"middle\">\(x.label(tick))</text>\n"
        }
        for tick in y.ticks {
            let p = f(y.position(tick))
            svg += "<line x1=\"\(f(left))\" y1=\"\(p)\" x2=\"\(f(width - right))\" y2=\"\(p)\"/>"
            svg += "<text class=\"chart-tick\" x=\"\(f(left - 6))\" y=\"\(p)\" dy=\"0.32em\" text-anchor=\"end\">\(y.label(tick))</text>\n"
        }
        svg += "<rect class=\"chart-frame\" x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width - left - right))\" height=\"\(f(height - top - bottom))\" fill=\"none\"/>\n"
        return svg + "</g>\n"
    }

    /// The legend, in whichever corner of the plot holds the fewest of the `drawn` points (top
    /// right first when several tie), on a backdrop so that what it still covers stays apart.
    private static func legend(_ chart: Chart, avoiding drawn: [(x: Double, y: Double)]) -> String {
        let named = chart.series.enumerated().filter { !$0.element.name.isEmpty }
        guard !named.isEmpty else { return "" }
        // About 6.5 px per character at the legend's 12 px.
        let boxWidth = 32 + 6.5 * Double(named.map(\.element.name.count).max()!)
        let boxHeight = 8 + 16 * Double(named.count)
        let corners = [(x: width - right - 6 - boxWidth, y: top + 6), (x: left + 6, y: top + 6),
                       (x: width - right - 6 - boxWidth, y: height - bottom - 6 - boxHeight),
                       (x: left + 6, y: height - bottom - 6 - boxHeight)]
        func covered(_ corner: (x: Double, y: Double)) -> Int {
            drawn.filter { $0.x >= corner.x && $0.x <= corner.x + boxWidth && $0.y >= corner.y && $0.y <= corner.y + boxHeight }.count
        }
        let counts = corners.map(covered)
        let box = corners[counts.indices.min { counts[$0] < counts[$1] }!]
        var svg = "<g class=\"chart-legend\">\n"
        svg += "<rect class=\"chart-legend-box\" x=\"\(f(box.x))\" y=\"\(f(box.y))\" width=\"\(f(boxWidth))\" height=\"\(f(boxHeight))\" rx=\"4\"/>\n"
        for (row, (index, series)) in named.enumerated() {
            let y = box.y + 12 + Double(row) * 16
            let x = box.x + 6
            let style = "series-\(index % 6)"
            if series.style == .line {
                svg += "<line class=\"chart-line \(style)\" x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 18))\" y2=\"\(f(y))\"/>"
            } else {
                svg += "<circle class=\"chart-dot \(style)\" cx=\"\(f(x + 9))\" cy=\"\(f(y))\" r=\"3\"/>"
            }
            svg += "<text x=\"\(f(x + 24))\" y=\"\(f(y))\" dy=\"0.32em\">\(HTML.escape(series.name))</text>\n"
        }
        return svg + "</g>\n"
    }

    private static func description(_ chart: Chart) -> String {
        let names = chart.series.map(\.name).filter { !$0.isEmpty }.joined(separator: ", ")
        return [chart.title, names.isEmpty ? "" : "series: \(names)"].filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// A coordinate with two decimals, the same on every machine.
    static func f(_ value: Double) -> String { String(format: "%.2f", value) }

    /// One axis: its data range, round ticks, and the mapping to SVG coordinates.
    struct Axis {
        let logarithmic: Bool
        let low: Double, high: Double
        let from: Double, to: Double
        let ticks: [Double]

        init(values: [Double], logarithmic: Bool, from: Double, to: Double) {
            self.logarithmic = logarithmic
            self.from = from
            self.to = to
            let transformed = values.map { logarithmic ? log10($0) : $0 }
            var low = transformed.min()!, high = transformed.max()!
            if low == high { low -= 1; high += 1 }
            if logarithmic {
                low = low.rounded(.down)
                high = high.rounded(.up)
                self.ticks = stride(from: low, through: high, by: max(1, ((high - low) / 6).rounded(.up))).map { pow(10, $0) }
            } else {
                let step = Axis.niceStep((high - low) / 5)
                low = (low / step).rounded(.down) * step
                high = (high / step).rounded(.up) * step
                self.ticks = stride(from: low, through: high + step / 2, by: step).map { abs($0) < step / 1e9 ? 0 : $0 }
            }
            self.low = low
            self.high = high
        }

        static func niceStep(_ raw: Double) -> Double {
            let magnitude = pow(10, log10(raw).rounded(.down))
            let fraction = raw / magnitude
            return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude
        }

        func accepts(_ value: Double) -> Bool { !logarithmic || value > 0 }

        func position(_ value: Double) -> Double {
            let v = logarithmic ? log10(value) : value
            return from + (v - low) / (high - low) * (to - from)
        }

        /// A tick's label as SVG text: `10` with a raised exponent on a logarithmic axis.
        func label(_ value: Double) -> String {
            if logarithmic {
                let power = Int(log10(value).rounded())
                switch power {
                case 0: return "1"
                case 1: return "10"
                default:
                    let exponent = power < 0 ? "\u{2212}\(-power)" : "\(power)"
                    return "10<tspan class=\"chart-exponent\" dy=\"-0.5em\">\(exponent)</tspan>"
                }
            }
            return String(format: "%g", value)
        }
    }
}
