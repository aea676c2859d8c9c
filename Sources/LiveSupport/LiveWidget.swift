/// A simulation that runs live on the page: its state is the conforming type's stored properties.
///
/// Each frame the page calls `frame(_:)` once. The widget declares its controls there, in the
/// same order every frame (each call both shows a control and hands over what the reader did to
/// it), advances its state, and draws. The same code runs natively at build time, where the
/// first frame becomes the page's static figure and `scenario` is checked against the browser's
/// WebAssembly build bit for bit.
public protocol LiveWidget {
    /// The starting state; also what the page returns to when the reader reloads.
    init()
    /// One frame: controls, a step of the simulation if it runs, and the drawing.
    mutating func frame(_ ui: inout LiveUI)
    /// What the build runs to compare native and browser results (default: `LiveStep.defaultRun`).
    static var scenario: [LiveStep] { get }
}

extension LiveWidget {
    public static var scenario: [LiveStep] { LiveStep.defaultRun }
}
