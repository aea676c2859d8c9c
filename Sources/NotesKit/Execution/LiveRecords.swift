import Foundation

/// One frame of a widget as the build keeps it: the display list's operations and text.
struct LiveFrame: Codable, Sendable, Equatable {
    /// The operations, as little-endian IEEE doubles.
    var ops: Data
    /// The text the operations refer to, UTF-8.
    var text: Data

    init(ops: Data, text: Data) {
        self.ops = ops
        self.text = text
    }

    /// A frame of the operations `values`.
    init(values: [Double], text: Data) {
        var ops = Data(capacity: values.count * 8)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { ops.append(contentsOf: $0) } }
        self.init(ops: ops, text: text)
    }

    /// The operations as numbers.
    var values: [Double] {
        stride(from: 0, to: ops.count - ops.count % 8, by: 8).map { offset in
            var bits: UInt64 = 0
            for byte in 0..<8 { bits |= UInt64(ops[ops.startIndex + offset + byte]) << UInt64(8 * byte) }
            return Double(bitPattern: bits)
        }
    }
}

/// What one run of a note's widget scenarios wrote (see `LiveRecord` in LiveSupport), by widget.
struct LiveRecords: Sendable {
    var frames: [Int: [LiveFrame]] = [:]
    /// Scenario errors: a step named a control the widget does not have.
    var errors: [Int: String] = [:]
    /// Traps of the WebAssembly module.
    var traps: [Int: String] = [:]
    /// The widgets whose scenario started, in order.
    var begun: [Int] = []

    /// Reads records from `data`; a truncated last record is dropped.
    init(_ data: Data) {
        var offset = data.startIndex
        func word(_ at: Int) -> Int {
            (0..<4).reduce(0) { $0 | Int(data[at + $1]) << (8 * $1) }
        }
        while data.endIndex - offset >= 16 {
            let (kind, widget, count, length) = (word(offset), word(offset + 4), word(offset + 8), word(offset + 12))
            let opsStart = offset + 16, textStart = opsStart + count * 8, end = textStart + length
            guard end <= data.endIndex, count >= 0, length >= 0 else { break }
            let text = data[textStart..<end]
            switch kind {
            case 0: frames[widget, default: []].append(LiveFrame(ops: Data(data[opsStart..<textStart]), text: Data(text)))
            case 1: errors[widget] = String(decoding: text, as: UTF8.self)
            case 2: traps[widget] = String(decoding: text, as: UTF8.self)
            case 3: begun.append(widget)
            default: break
            }
            offset = end
        }
    }

    /// Where `other` (the browser's run) first differs from these frames (the native run), or nil
    /// when every frame agrees bit for bit; NaNs agree with any NaN.
    static func firstDifference(native: [LiveFrame], wasm: [LiveFrame]) -> String? {
        for (number, (a, b)) in zip(native, wasm).enumerated() where a != b {
            let (x, y) = (a.values, b.values)
            for i in 0..<min(x.count, y.count) where !(x[i].bitPattern == y[i].bitPattern || (x[i].isNaN && y[i].isNaN)) {
                return "frame \(number), operation word \(i): the native build has \(Self.describe(x[i])), the browser's \(Self.describe(y[i]))"
            }
            if x.count != y.count {
                return "frame \(number): the native build draws \(x.count) operation words, the browser's \(y.count)"
            }
            if a.text != b.text {
                return "frame \(number): the text differs: native '\(String(decoding: a.text, as: UTF8.self).prefix(80))', browser '\(String(decoding: b.text, as: UTF8.self).prefix(80))'"
            }
        }
        if native.count != wasm.count {
            return "the native build ran \(native.count) frames, the browser's \(wasm.count)"
        }
        return nil
    }

    private static func describe(_ value: Double) -> String {
        "\(value) (0x\(String(value.bitPattern, radix: 16)))"
    }
}
