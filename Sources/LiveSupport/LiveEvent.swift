/// Something the reader did to a widget, delivered to the frame that follows it.
public struct LiveEvent: Sendable, Equatable {
    /// What kind of thing happened.
    public enum Kind: Int, Sendable {
        /// A slider, toggle or choice took `value`.
        case set = 1
        /// A button was pressed (play/pause flips).
        case press = 2
        /// A point was added at (`x`, `y`).
        case addPoint = 3
        /// Point number `value` moved to (`x`, `y`).
        case movePoint = 4
        /// Point number `value` was deleted.
        case deletePoint = 5
    }

    public var kind: Kind
    /// The control's number: its position among the controls the frame declares.
    public var control: Int
    public var value: Double
    public var x: Double
    public var y: Double

    public init(_ kind: Kind, control: Int, value: Double = 0, x: Double = 0, y: Double = 0) {
        self.kind = kind
        self.control = control
        self.value = value
        self.x = x
        self.y = y
    }
}
