/// One frame of a widget: operations as `Double`s and their text as UTF-8 bytes (see `LiveOp`).
///
/// The page's painter reads `ops` and `text` straight out of the WebAssembly module's memory;
/// the build reads the same bytes from the native run. Nothing in it depends on the machine.
public final class LiveDisplayList {
    /// Changes whenever the meaning of the operations does.
    public static let version = 1.0

    public private(set) var ops: [Double] = []
    public private(set) var text: [UInt8] = []

    public init() {}

    /// Starts a new frame.
    func clear() {
        ops.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
    }

    func append(_ op: LiveOp) { ops.append(Double(op.rawValue)) }
    func append(_ value: Double) { ops.append(value) }
    func append(_ value: Int) { ops.append(Double(value)) }
    func append(_ flag: Bool) { ops.append(flag ? 1 : 0) }

    /// Stores `label`'s bytes and appends their offset and length.
    func append(_ label: StaticString) {
        ops.append(Double(text.count))
        label.withUTF8Buffer { text.append(contentsOf: $0) }
        ops.append(Double(label.utf8CodeUnitCount))
    }

    /// Stores `bytes` and appends their offset and length.
    func append(bytes: [UInt8]) {
        ops.append(Double(text.count))
        text.append(contentsOf: bytes)
        ops.append(Double(bytes.count))
    }

    /// Where `ops` starts in memory: the page reads the frame from the module's memory there.
    public var opsAddress: Int { ops.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) } }
    /// Where `text` starts in memory.
    public var textAddress: Int { text.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) } }

    /// Overwrites the operation word at `index` (the frame header's counts are known last).
    func set(_ index: Int, _ value: Double) { ops[index] = value }

    /// The bytes of the text stored at (`offset`, `length`) of an operation.
    public func bytes(at offset: Double, length: Double) -> ArraySlice<UInt8> {
        guard let start = Self.index(offset), let count = Self.index(length), start + count <= text.count else { return [] }
        return text[start..<start + count]
    }

    /// True when the text at (`offset`, `length`) is `label`.
    func text(at offset: Double, length: Double, equals label: StaticString) -> Bool {
        guard Self.index(length) == label.utf8CodeUnitCount else { return false }
        let stored = bytes(at: offset, length: length)
        return label.withUTF8Buffer { stored.elementsEqual($0) }
    }

    /// Calls `body` with the position of each operation of kind `op` (its first argument's index).
    func forEach(_ op: LiveOp, _ body: (Int) -> Void) {
        var index = 0
        while index < ops.count {
            let code = Self.index(ops[index]) ?? -1
            let count = LiveDisplayList.argumentCount(code: code, at: index + 1, in: ops)
            if code == op.rawValue, index + 1 + count <= ops.count { body(index + 1) }
            index += 1 + count
        }
    }

    /// The number of arguments of the operation with `code` whose arguments start at `start`;
    /// more than remain when the list is cut short or malformed (readers then stop).
    public static func argumentCount(code: Int, at start: Int, in ops: [Double]) -> Int {
        func count(_ offset: Int) -> Int {
            guard start + offset < ops.count else { return ops.count }
            return index(ops[start + offset]) ?? ops.count
        }
        switch LiveOp(rawValue: code) {
        case .frame?: return 4
        case .plot?: return 14
        case .xTick?, .yTick?: return 4
        case .line?: return 7
        case .polyline?: return 4 + 2 * count(3)
        case .point?: return 5
        case .text?: return 7
        case .shade?: return 5 + count(3) * count(4)
        case .editablePoints?: return 4 + 2 * count(3)
        case .control?: return 9 + 2 * count(8)
        case .readout?: return 4
        case nil: return ops.count - start // unknown: nothing after it can be read
        }
    }

    /// `value` as a count or index when it is a whole number in 0..<2²⁴, else nil.
    public static func index(_ value: Double) -> Int? {
        value >= 0 && value < 16_777_216 && value == value.rounded(.towardZero) ? Int(value) : nil
    }
}
