/// What a widget's `frame(_:)` talks to: controls declared in immediate mode, readouts and plots.
///
/// Every control call shows the control on the page and applies what the reader just did to it:
/// `slider` writes the new value into its `inout` argument, `button` returns true in the frame
/// after a press. Controls are numbered in the order they are declared, so a widget must declare
/// the same controls in the same order every frame.
public struct LiveUI {
    let list: LiveDisplayList
    /// What the reader did since the last frame, if anything.
    let event: LiveEvent?
    private var controls = 0
    private var plots = 0
    /// True asks the page for another frame right away (a running play/pause control sets it).
    public var isAnimating = false

    init(list: LiveDisplayList, event: LiveEvent?) {
        self.list = list
        self.event = event
        list.clear()
        list.append(.frame)
        list.append(LiveDisplayList.version)
        list.append(0); list.append(0); list.append(0) // animating, controls, plots: set by `finish`
    }

    /// Completes the frame's header.
    func finish() {
        list.set(2, isAnimating ? 1 : 0)
        list.set(3, Double(controls))
        list.set(4, Double(plots))
    }

    // MARK: - Controls

    /// A slider with a number box beside it; `step` 0 means any value, `.logarithmic` needs a positive range.
    public mutating func slider(_ label: StaticString, _ value: inout Double, in range: ClosedRange<Double>,
                                step: Double = 0, scale: LiveScale = .linear) {
        precondition(scale == .linear || range.lowerBound > 0, "a logarithmic slider needs a positive range")
        let id = nextControl()
        if let event, event.control == id, event.kind == .set, !event.value.isNaN {
            var new = min(range.upperBound, max(range.lowerBound, event.value))
            if step > 0 { new = min(range.upperBound, range.lowerBound + ((new - range.lowerBound) / step).rounded(.toNearestOrEven) * step) }
            value = new
        }
        control(id, scale == .linear ? .slider : .logSlider, label, value, range.lowerBound, range.upperBound, step)
    }

    /// A slider over whole numbers, with a number box beside it.
    public mutating func slider(_ label: StaticString, _ value: inout Int, in range: ClosedRange<Int>) {
        var real = Double(value)
        slider(label, &real, in: Double(range.lowerBound)...Double(range.upperBound), step: 1)
        value = Int(real)
    }

    /// A button: true in the frame after the reader pressed it.
    public mutating func button(_ label: StaticString) -> Bool {
        let id = nextControl()
        let pressed = event.map { $0.control == id && $0.kind == .press } ?? false
        control(id, .button, label, 0, 0, 0, 0)
        return pressed
    }

    /// A checkbox.
    public mutating func toggle(_ label: StaticString, _ isOn: inout Bool) {
        let id = nextControl()
        if let event, event.control == id {
            if event.kind == .set { isOn = event.value != 0 }
            if event.kind == .press { isOn.toggle() }
        }
        control(id, .toggle, label, isOn ? 1 : 0, 0, 1, 1)
    }

    /// A Run/Pause button; while `isRunning`, the page keeps asking for frames.
    public mutating func playPause(_ isRunning: inout Bool) {
        let id = nextControl()
        if let event, event.control == id {
            if event.kind == .press { isRunning.toggle() }
            if event.kind == .set { isRunning = event.value != 0 }
        }
        if isRunning { isAnimating = true }
        control(id, .playPause, "Run", isRunning ? 1 : 0, 0, 1, 1)
    }

    /// A choice of one of `options`; `selection` is its index.
    public mutating func choice(_ label: StaticString, _ selection: inout Int, _ options: [StaticString]) {
        let id = nextControl()
        if let event, event.control == id, event.kind == .set, event.value >= 0, event.value < Double(options.count) {
            selection = Int(event.value)
        }
        control(id, .choice, label, Double(selection), 0, Double(max(0, options.count - 1)), 1, options: options)
    }

    /// Points on `plot` that the reader can add (up to `limit`), drag and delete; kept inside the plot's ranges.
    public mutating func points(_ label: StaticString, _ points: inout [LivePoint], on plot: LivePlot,
                                color: LiveColor = .data, limit: Int = 500) {
        let id = nextControl()
        if let event, event.control == id {
            let x = min(plot.x.upperBound, max(plot.x.lowerBound, event.x))
            let y = min(plot.y.upperBound, max(plot.y.lowerBound, event.y))
            let index = event.value >= 0 && event.value < Double(points.count) ? Int(event.value) : nil
            switch event.kind {
            case .addPoint where points.count < limit && x.isFinite && y.isFinite: points.append(LivePoint(x: x, y: y))
            case .movePoint where x.isFinite && y.isFinite: if let index { points[index] = LivePoint(x: x, y: y) }
            case .deletePoint: if let index { points.remove(at: index) }
            default: break
            }
        }
        control(id, .points, label, Double(points.count), 0, Double(limit), 1)
        list.append(.editablePoints)
        list.append(plot.index)
        list.append(id)
        list.append(color.rawValue)
        list.append(points.count)
        for point in points { list.append(point.x); list.append(point.y) }
    }

    // MARK: - Readouts and plots

    /// A named number shown beside the widget, with `significant` digits.
    public mutating func readout(_ label: StaticString, _ value: Double, significant: Int = 4) {
        list.append(.readout)
        list.append(label)
        list.append(bytes: LiveNumber.format(value, significant: significant))
    }

    /// A named piece of text shown beside the widget.
    public mutating func readout(_ label: StaticString, text: StaticString) {
        list.append(.readout)
        list.append(label)
        list.append(text)
    }

    /// A named piece of text made at run time, in UTF-8: an engine error's
    /// `Array(error.message.utf8)`, say.
    public mutating func readout(_ label: StaticString, text utf8: [UInt8]) {
        list.append(.readout)
        list.append(label)
        list.append(bytes: utf8)
    }

    /// A new plot with axes over `x` × `y`; draw into what it returns.
    public mutating func plot(_ title: StaticString, x: ClosedRange<Double>, y: ClosedRange<Double>,
                              xLabel: StaticString = "", yLabel: StaticString = "", size: LivePlotSize = .large,
                              xScale: LiveScale = .linear, yScale: LiveScale = .linear) -> LivePlot {
        let index = plots
        plots += 1
        list.append(.plot)
        list.append(index)
        list.append(size.rawValue)
        list.append(x.lowerBound); list.append(x.upperBound)
        list.append(y.lowerBound); list.append(y.upperBound)
        list.append(xScale == .logarithmic)
        list.append(yScale == .logarithmic)
        list.append(title)
        list.append(xLabel)
        list.append(yLabel)
        ticks(.xTick, index, x, xScale)
        ticks(.yTick, index, y, yScale)
        return LivePlot(list: list, index: index, x: x, y: y)
    }

    // MARK: - Writing

    private mutating func nextControl() -> Int {
        controls += 1
        return controls - 1
    }

    private func control(_ id: Int, _ kind: LiveControlKind, _ label: StaticString, _ value: Double,
                         _ low: Double, _ high: Double, _ step: Double, options: [StaticString] = []) {
        list.append(.control)
        list.append(id)
        list.append(kind.rawValue)
        list.append(label)
        list.append(value)
        list.append(low); list.append(high); list.append(step)
        list.append(options.count)
        for option in options { list.append(option) }
    }

    private func ticks(_ op: LiveOp, _ plot: Int, _ range: ClosedRange<Double>, _ scale: LiveScale) {
        if scale == .logarithmic {
            for value in LiveTicks.logarithmic(range.lowerBound, range.upperBound) {
                tick(op, plot, value, LiveNumber.format(value, significant: 1))
            }
        } else {
            let (values, decimals) = LiveTicks.linear(range.lowerBound, range.upperBound)
            for value in values { tick(op, plot, value, LiveNumber.fixed(value, decimals: decimals)) }
        }
    }

    private func tick(_ op: LiveOp, _ plot: Int, _ value: Double, _ label: [UInt8]) {
        list.append(op)
        list.append(plot)
        list.append(value)
        list.append(bytes: label)
    }
}
