import Foundation
import LiveSupport

/// The HTML of a live widget: its first frame drawn as inline SVG, its readouts and controls as
/// text, and the hooks the theme's `live.js` uses to take over in place.
///
/// The static figure is what readers without JavaScript, printers and search engines get, and
/// what the page shows before the module starts; `live.js` paints the same display list on a
/// canvas with the same layout (`Layout`), so the live figure replaces it without a jump.
enum LiveFigure {
    /// The plot layout both painters use, in CSS pixels of a plot `width` wide.
    enum Layout {
        static let large = (width: 640.0, height: 400.0)
        static let small = (width: 320.0, height: 260.0)
        static let margin = (left: 52.0, right: 14.0, top: 28.0, bottom: 42.0)
    }

    /// The figure of widget `number` of the page's module.
    static func render(number: Int, anchor: String, frame: LiveFrame?, failure: String?) -> String {
        var html = "<figure class=\"live-widget\" id=\"\(HTML.escape(anchor))\" data-live-widget=\"\(number)\">\n"
        guard let frame else {
            html += "<p class=\"live-message\" role=\"status\">This widget has no figure: \(HTML.escape(failure ?? "it did not run")).</p>\n"
            return html + "</figure>\n"
        }
        let scene = LiveScene(frame)
        html += "<div class=\"live-plots\">\n"
        for plot in scene.plots {
            html += "<div class=\"live-plot\(plot.small ? " live-plot-small" : "")\">" + svg(plot, clip: "\(anchor)-clip-\(plot.index)") + "</div>\n"
        }
        if !scene.readouts.isEmpty {
            html += "<dl class=\"live-readouts\" aria-live=\"polite\">"
            for readout in scene.readouts {
                html += "<div><dt>\(HTML.escape(readout.label))</dt><dd>\(HTML.escape(readout.text))</dd></div>"
            }
            html += "</dl>\n"
        }
        html += "</div>\n"
        let described = scene.controls.compactMap(describe)
        if !described.isEmpty {
            html += "<p class=\"live-static-controls\">Controls (live when JavaScript runs): " + described.joined(separator: "; ") + ".</p>\n"
        }
        let message = failure.map { "This widget failed its check and is shown as drawn at build time: " + $0 }
            ?? "The figure as drawn at build time; it becomes live when the page runs its WebAssembly."
        html += "<p class=\"live-message\" role=\"status\">\(HTML.escape(message))</p>\n"
        return html + "</figure>\n"
    }

    private static func describe(_ control: LiveScene.Control) -> String? {
        let label = HTML.escape(control.label)
        switch control.kind {
        case .slider?, .logSlider?: return "\(label) = \(HTML.escape(String(decoding: LiveNumber.format(control.value, significant: 4), as: UTF8.self)))"
        case .toggle?: return "\(label) (\(control.value != 0 ? "on" : "off"))"
        case .choice?:
            let index = LiveDisplayList.index(control.value) ?? 0
            return "\(label): \(HTML.escape(control.options.indices.contains(index) ? control.options[index] : ""))"
        case .button?: return label
        case .playPause?: return "Run/Pause"
        case .points?: return "\(label) (\(LiveDisplayList.index(control.value) ?? 0); drag, add or delete them)"
        case nil: return nil
        }
    }

    // MARK: - SVG

    private static func svg(_ plot: LiveScene.Plot, clip: String) -> String {
        let size = plot.small ? Layout.small : Layout.large
        let m = Layout.margin
        let (left, right, top, bottom) = (m.left, size.width - m.right, m.top, size.height - m.bottom)
        func map(_ value: Double, _ range: (Double, Double), _ log: Bool, _ from: Double, _ to: Double) -> Double? {
            guard value.isFinite else { return nil }
            let (a, b, v) = log ? (Foundation.log10(range.0), Foundation.log10(range.1), value > 0 ? Foundation.log10(value) : -.infinity)
                                : (range.0, range.1, value)
            guard b > a, v.isFinite || v == -.infinity else { return nil }
            let t = v == -.infinity ? -1e3 : (v - a) / (b - a)
            return from + max(-1e3, min(1e3, t)) * (to - from) // far outside the plot stays far outside, finitely
        }
        func px(_ x: Double) -> Double? { map(x, plot.x, plot.xLog, left, right) }
        func py(_ y: Double) -> Double? { map(y, plot.y, plot.yLog, bottom, top) }
        var out = "<svg class=\"live-svg\" viewBox=\"0 0 \(n(size.width)) \(n(size.height))\" role=\"img\" aria-label=\"\(HTML.escape(plot.title))\">"
        out += "<defs><clipPath id=\"\(clip)\"><rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(right - left))\" height=\"\(n(bottom - top))\"/></clipPath></defs>"
        out += "<text class=\"live-title\" x=\"\(n(left))\" y=\"18\">\(HTML.escape(plot.title))</text>"
        for tick in plot.xTicks {
            guard let x = px(tick.value) else { continue }
            out += "<line class=\"live-grid\" x1=\"\(n(x))\" y1=\"\(n(top))\" x2=\"\(n(x))\" y2=\"\(n(bottom))\"/>"
            out += "<text class=\"live-tick\" x=\"\(n(x))\" y=\"\(n(bottom + 16))\" text-anchor=\"middle\">\(HTML.escape(tick.label))</text>"
        }
        for tick in plot.yTicks {
            guard let y = py(tick.value) else { continue }
            out += "<line class=\"live-grid\" x1=\"\(n(left))\" y1=\"\(n(y))\" x2=\"\(n(right))\" y2=\"\(n(y))\"/>"
            out += "<text class=\"live-tick\" x=\"\(n(left - 6))\" y=\"\(n(y + 4))\" text-anchor=\"end\">\(HTML.escape(tick.label))</text>"
        }
        out += "<rect class=\"live-frame\" x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(right - left))\" height=\"\(n(bottom - top))\"/>"
        if !plot.xLabel.isEmpty {
            out += "<text class=\"live-axis-label\" x=\"\(n((left + right) / 2))\" y=\"\(n(size.height - 6))\" text-anchor=\"middle\">\(HTML.escape(plot.xLabel))</text>"
        }
        if !plot.yLabel.isEmpty {
            out += "<text class=\"live-axis-label\" x=\"14\" y=\"\(n((top + bottom) / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(n((top + bottom) / 2)))\">\(HTML.escape(plot.yLabel))</text>"
        }
        out += "<g clip-path=\"url(#\(clip))\">"
        for item in plot.items {
            switch item {
            case .shade(let low, let high, let columns, let rows, let values):
                let width = (right - left) / Double(columns), height = (bottom - top) / Double(rows)
                out += "<rect class=\"live-f\(color(low))\" x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(right - left))\" height=\"\(n(bottom - top))\" fill-opacity=\"0.35\"/>"
                for row in 0..<rows {
                    for column in 0..<columns {
                        let value = values[row * columns + column]
                        guard value > 0.005 else { continue }
                        out += "<rect class=\"live-f\(color(high))\" x=\"\(n(left + Double(column) * width))\" y=\"\(n(bottom - Double(row + 1) * height))\" width=\"\(n(width + 0.5))\" height=\"\(n(height + 0.5))\" fill-opacity=\"\(n(0.35 * value))\"/>"
                    }
                }
            case .line(let c, let width, let points):
                var path = "", pen = false
                for (x, y) in points {
                    guard let sx = px(x), let sy = py(y) else { pen = false; continue }
                    path += (pen ? "L" : "M") + n(sx) + " " + n(sy)
                    pen = true
                }
                if !path.isEmpty { out += "<path class=\"live-s\(color(c))\" d=\"\(path)\" stroke-width=\"\(n(width))\" fill=\"none\"/>" }
            case .point(let c, let radius, let x, let y, let editable):
                guard let sx = px(x), let sy = py(y) else { continue }
                out += "<circle class=\"live-f\(color(c))\(editable ? " live-handle" : "")\" cx=\"\(n(sx))\" cy=\"\(n(sy))\" r=\"\(n(min(max(radius, 0), 40)))\"/>"
            case .text(let c, let x, let y, let anchor, let text):
                guard let sx = px(x), let sy = py(y) else { continue }
                let anchors = ["start", "middle", "end"]
                out += "<text class=\"live-f\(color(c))\" x=\"\(n(sx))\" y=\"\(n(sy))\" text-anchor=\"\(anchors[min(max(anchor, 0), 2)])\">\(HTML.escape(text))</text>"
            }
        }
        return out + "</g></svg>"
    }

    private static func color(_ index: Int) -> Int { min(max(index, 0), 7) }

    /// A coordinate with two decimals, in Swift's shortest form: the same text on every machine.
    private static func n(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(rounded)
    }
}
