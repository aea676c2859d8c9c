/// Protobuf's binary wire format, as much of it as `ActionResultMessage` needs.

/// Writes protobuf fields in the binary wire format.
struct ProtoWriter {
    private(set) var bytes: [UInt8] = []

    private mutating func raw(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// A varint field (wire type 0); zero is the default and left out.
    mutating func varint(_ number: Int, _ value: UInt64) {
        guard value != 0 else { return }
        raw(UInt64(number << 3))
        raw(value)
    }

    /// A length-delimited field (wire type 2).
    mutating func message(_ number: Int, _ content: [UInt8]) {
        raw(UInt64(number << 3 | 2))
        raw(UInt64(content.count))
        bytes += content
    }

    mutating func string(_ number: Int, _ text: String) {
        message(number, Array(text.utf8))
    }
}

/// Reads the fields of a protobuf message in the binary wire format.
enum ProtoReader {
    enum Value {
        case varint(UInt64)
        case bytes([UInt8])
        case fixed
    }

    /// The fields of `bytes` in order, or nil when they are not a well-formed message.
    static func fields(_ bytes: [UInt8]) -> [(number: Int, value: Value)]? {
        var fields: [(number: Int, value: Value)] = []
        var position = 0
        func varint() -> UInt64? {
            var value: UInt64 = 0, shift: UInt64 = 0
            while position < bytes.count, shift < 64 {
                let byte = bytes[position]
                position += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            return nil
        }
        while position < bytes.count {
            guard let tag = varint(), tag >> 3 > 0, tag >> 3 < 1 << 29 else { return nil }
            let number = Int(tag >> 3)
            switch tag & 7 {
            case 0:
                guard let value = varint() else { return nil }
                fields.append((number, .varint(value)))
            case 1, 5:
                let width = tag & 7 == 1 ? 8 : 4
                guard bytes.count - position >= width else { return nil }
                position += width
                fields.append((number, .fixed))
            case 2:
                guard let length = varint(), length <= UInt64(bytes.count - position) else { return nil }
                fields.append((number, .bytes(Array(bytes[position..<position + Int(length)]))))
                position += Int(length)
            default:
                return nil
            }
        }
        return fields
    }
}
