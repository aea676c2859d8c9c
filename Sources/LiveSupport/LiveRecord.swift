/// The bytes in which a scenario's frames travel from a run to the build that compares them.
///
/// A record is four little-endian `UInt32`s, `kind`, `widget`, the number of operations and the
/// number of text bytes, then the operations as little-endian IEEE doubles, then the text. Kind
/// 0 is a frame; kind 1 is a scenario error, whose text is the message; kind 2 is a trap in the
/// WebAssembly module (written by the Node runner only); kind 3 starts a widget's scenario. The
/// native driver and the build's Node runner of the WebAssembly module write the same records.
public enum LiveRecord {
    public static let frameKind: UInt32 = 0
    public static let errorKind: UInt32 = 1
    public static let trapKind: UInt32 = 2
    public static let beginKind: UInt32 = 3

    /// The record that starts widget `widget`'s scenario.
    public static func begin(widget: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        append(beginKind, to: &bytes)
        append(UInt32(widget), to: &bytes)
        append(0, to: &bytes)
        append(0, to: &bytes)
        return bytes
    }

    /// `list` as a frame record of widget `widget`.
    public static func frame(widget: Int, _ list: LiveDisplayList) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16 + list.ops.count * 8 + list.text.count)
        append(frameKind, to: &bytes)
        append(UInt32(widget), to: &bytes)
        append(UInt32(list.ops.count), to: &bytes)
        append(UInt32(list.text.count), to: &bytes)
        for op in list.ops {
            let bits = op.bitPattern
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        }
        bytes += list.text
        return bytes
    }

    /// A scenario error of widget `widget`.
    public static func error(widget: Int, _ message: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        append(errorKind, to: &bytes)
        append(UInt32(widget), to: &bytes)
        append(0, to: &bytes)
        append(UInt32(message.count), to: &bytes)
        return bytes + message
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
}
