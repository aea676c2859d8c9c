import Foundation
import LiveSupport

/// A widget's frame read back from its display list: plots with what is drawn in them, controls
/// and readouts. The page's static figure is drawn from it (see `LiveFigure`).
struct LiveScene {
    struct Tick {
        var value: Double
        var label: String
    }

    /// One drawing operation inside a plot.
    enum Item {
        case line(color: Int, width: Double, points: [(Double, Double)])
        case point(color: Int, radius: Double, x: Double, y: Double, editable: Bool)
        case text(color: Int, x: Double, y: Double, anchor: Int, text: String)
        case shade(low: Int, high: Int, columns: Int, rows: Int, values: [Double])
    }

    struct Plot {
        var index: Int
        var small: Bool
        var x: (Double, Double)
        var y: (Double, Double)
        var xLog: Bool
        var yLog: Bool
        var title: String
        var xLabel: String
        var yLabel: String
        var xTicks: [Tick] = []
        var yTicks: [Tick] = []
        var items: [Item] = []
    }

    struct Control {
        var kind: LiveControlKind?
        var label: String
        var value: Double
        var options: [String]
    }

    var plots: [Plot] = []
    var controls: [Control] = []
    var readouts: [(label: String, text: String)] = []

    /// Reads `frame`; operations it does not know end the reading (a newer LiveSupport).
    init(_ frame: LiveFrame) {
        let ops = frame.values
        let text = [UInt8](frame.text)
        func string(_ at: Int) -> String {
            guard let offset = LiveDisplayList.index(ops[at]), let length = LiveDisplayList.index(ops[at + 1]),
                  offset + length <= text.count else { return "" }
            return String(decoding: text[offset..<offset + length], as: UTF8.self)
        }
        func int(_ at: Int) -> Int { LiveDisplayList.index(ops[at]) ?? 0 }
        var i = 0
        while i < ops.count {
            let code = LiveDisplayList.index(ops[i]) ?? -1, a = i + 1
            let count = LiveDisplayList.argumentCount(code: code, at: a, in: ops)
            guard a + count <= ops.count else { break }
            let plot = a < ops.count && plots.indices.contains(int(a)) ? int(a) : nil
            switch LiveOp(rawValue: code) {
            case .plot?:
                plots.append(Plot(index: int(a), small: ops[a + 1] == 1, x: (ops[a + 2], ops[a + 3]), y: (ops[a + 4], ops[a + 5]),
                                  xLog: ops[a + 6] == 1, yLog: ops[a + 7] == 1,
                                  title: string(a + 8), xLabel: string(a + 10), yLabel: string(a + 12)))
            case .xTick?: if let plot { plots[plot].xTicks.append(Tick(value: ops[a + 1], label: string(a + 2))) }
            case .yTick?: if let plot { plots[plot].yTicks.append(Tick(value: ops[a + 1], label: string(a + 2))) }
            case .line?:
                if let plot { plots[plot].items.append(.line(color: int(a + 1), width: ops[a + 2], points: [(ops[a + 3], ops[a + 4]), (ops[a + 5], ops[a + 6])])) }
            case .polyline?:
                if let plot {
                    let n = int(a + 3)
                    plots[plot].items.append(.line(color: int(a + 1), width: ops[a + 2],
                                                   points: (0..<n).map { (ops[a + 4 + 2 * $0], ops[a + 5 + 2 * $0]) }))
                }
            case .point?:
                if let plot { plots[plot].items.append(.point(color: int(a + 1), radius: ops[a + 2], x: ops[a + 3], y: ops[a + 4], editable: false)) }
            case .text?:
                if let plot { plots[plot].items.append(.text(color: int(a + 1), x: ops[a + 2], y: ops[a + 3], anchor: int(a + 4), text: string(a + 5))) }
            case .shade?:
                if let plot {
                    let (columns, rows) = (int(a + 3), int(a + 4))
                    plots[plot].items.append(.shade(low: int(a + 1), high: int(a + 2), columns: columns, rows: rows,
                                                    values: Array(ops[(a + 5)..<(a + 5 + columns * rows)])))
                }
            case .editablePoints?:
                if let plot {
                    for k in 0..<int(a + 3) {
                        plots[plot].items.append(.point(color: int(a + 2), radius: 6, x: ops[a + 4 + 2 * k], y: ops[a + 5 + 2 * k], editable: true))
                    }
                }
            case .control?:
                let options = (0..<int(a + 8)).map { string(a + 9 + 2 * $0) }
                controls.append(Control(kind: LiveControlKind(rawValue: int(a + 1)), label: string(a + 2), value: ops[a + 4], options: options))
            case .readout?:
                readouts.append((string(a), string(a + 2)))
            case .frame?:
                break
            case nil:
                i = ops.count
                continue
            }
            i = a + count
        }
    }
}
