/// One step of a scripted run of a widget, as a reader could do it; controls are named by label.
public enum LiveStep: Sendable {
    /// `count` frames with nothing done.
    case frames(Int)
    /// Switch the play/pause control on, then `count` frames.
    case run(frames: Int)
    /// Set the slider, toggle (0 or 1) or choice (its index) labelled `label` to `value`.
    case set(StaticString, Double)
    /// Press the button labelled `label`.
    case press(StaticString)
    /// Add a point to the points labelled `label`.
    case addPoint(StaticString, x: Double, y: Double)
    /// Move point `index` of the points labelled `label`.
    case movePoint(StaticString, index: Int, x: Double, y: Double)
    /// Delete point `index` of the points labelled `label`.
    case deletePoint(StaticString, index: Int)
    /// One frame after exactly this event: replays what a page recorded (`window.notesLive`).
    case event(LiveEvent)

    /// What the build runs when a widget declares no scenario: two seconds of running
    /// (120 frames) after switching its play/pause control on, if it has one.
    public static let defaultRun: [LiveStep] = [.run(frames: 120)]
}
