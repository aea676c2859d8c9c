/// Holds one widget's state between frames, hands it the reader's events, and runs its scenario.
///
/// The page's WebAssembly exports and the build's native driver both go through this type, so
/// the browser and the build run the same code on the same events.
public struct LiveHost<Widget: LiveWidget> {
    public private(set) var widget: Widget
    /// The last frame drawn.
    public let list = LiveDisplayList()
    private var pending: LiveEvent?
    private var script: [LiveStep] = []
    private var nextStep = 0
    private var framesLeft = 0
    private var scenarioStarted = false
    /// Why the scenario stopped early (a step names a control the widget does not have).
    public private(set) var scenarioError: [UInt8]?

    public init() { widget = Widget() }

    /// Where the scenario error's bytes start in memory (0 when there is none).
    public var scenarioErrorAddress: Int { scenarioError?.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) } ?? 0 }

    /// Queues what the reader did for the next frame.
    public mutating func send(_ event: LiveEvent) { pending = event }

    /// Draws the next frame, applying the queued event.
    public mutating func frame() {
        var ui = LiveUI(list: list, event: pending)
        pending = nil
        widget.frame(&ui)
        ui.finish()
    }

    /// Back to the starting state.
    public mutating func reset() {
        widget = Widget()
        pending = nil
    }

    // MARK: - Scenario

    /// Starts the widget's scenario from its starting state.
    public mutating func beginScenario() {
        reset()
        script = Widget.scenario
        nextStep = 0
        framesLeft = 0
        scenarioStarted = false
        scenarioError = nil
    }

    /// Draws the scenario's next frame; false when the scenario is over. The first frame is the
    /// starting state, drawn with no event.
    public mutating func nextScenarioFrame() -> Bool {
        if !scenarioStarted {
            scenarioStarted = true
            frame()
            return true
        }
        while framesLeft == 0 {
            guard nextStep < script.count, scenarioError == nil else { return false }
            let step = script[nextStep]
            nextStep += 1
            guard let (event, frames) = resolve(step) else { return false }
            pending = event
            framesLeft = frames
        }
        framesLeft -= 1
        frame()
        return true
    }

    /// The event that starts `step` and how many frames the step lasts; nil after recording an error.
    private mutating func resolve(_ step: LiveStep) -> (LiveEvent?, Int)? {
        switch step {
        case .frames(let count):
            return (nil, max(0, count))
        case .run(let count):
            guard let (id, value) = control(kind: .playPause) else { return (nil, max(0, count)) }
            return (value == 0 ? LiveEvent(.press, control: id) : nil, max(0, count))
        case .set(let label, let value):
            guard let (id, _) = control(label) else { return nil }
            return (LiveEvent(.set, control: id, value: value), 1)
        case .press(let label):
            guard let (id, _) = control(label) else { return nil }
            return (LiveEvent(.press, control: id), 1)
        case .addPoint(let label, let x, let y):
            guard let (id, _) = control(label) else { return nil }
            return (LiveEvent(.addPoint, control: id, x: x, y: y), 1)
        case .movePoint(let label, let index, let x, let y):
            guard let (id, _) = control(label) else { return nil }
            return (LiveEvent(.movePoint, control: id, value: Double(index), x: x, y: y), 1)
        case .event(let event):
            return (event, 1)
        case .deletePoint(let label, let index):
            guard let (id, _) = control(label) else { return nil }
            return (LiveEvent(.deletePoint, control: id, value: Double(index)), 1)
        }
    }

    /// The id and value of the control labelled `label` in the last frame; records an error if there is none.
    private mutating func control(_ label: StaticString) -> (Int, Double)? {
        var found: (Int, Double)?
        list.forEach(.control) { at in
            if found == nil, list.text(at: list.ops[at + 2], length: list.ops[at + 3], equals: label) {
                found = (Int(list.ops[at]), list.ops[at + 4])
            }
        }
        if found == nil {
            var message: [UInt8] = []
            for part in ["the scenario names a control the widget does not have: ", label] as [StaticString] {
                part.withUTF8Buffer { message.append(contentsOf: $0) }
            }
            scenarioError = message
        }
        return found
    }

    private func control(kind: LiveControlKind) -> (Int, Double)? {
        var found: (Int, Double)?
        list.forEach(.control) { at in
            if found == nil, Int(list.ops[at + 1]) == kind.rawValue { found = (Int(list.ops[at]), list.ops[at + 4]) }
        }
        return found
    }
}
