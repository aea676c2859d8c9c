/// A compact text form for records of fixed fields, read back without parsing a syntax.
///
/// Fields follow one another in an order both sides know. A string is its UTF-8 byte count, `:`
/// and its bytes (as in netstrings), so it may hold any character; a whole number is its decimal
/// digits and `;`; nil is `~`. A `Double` is written as Swift's shortest representation that reads
/// back as the same value. Faster to read than JSON by far, and any damage is an error, never a
/// wrong value of another type.
struct FieldWriter {
    private(set) var text = ""

    mutating func string(_ value: String) {
        text += String(value.utf8.count)
        text += ":"
        text += value
    }

    mutating func string(_ value: String?) {
        if let value { string(value) } else { text += "~" }
    }

    mutating func int(_ value: Int) {
        text += String(value)
        text += ";"
    }

    mutating func int(_ value: Int?) {
        if let value { int(value) } else { text += "~" }
    }

    mutating func bool(_ value: Bool) { int(value ? 1 : 0) }

    mutating func double(_ value: Double?) { string(value.map { String($0) }) }

    /// A list: its count, then `body` for each element.
    mutating func list<T>(_ values: [T], _ body: (inout FieldWriter, T) -> Void) {
        int(values.count)
        for value in values { body(&self, value) }
    }
}

/// Reads what a `FieldWriter` wrote, field by field.
struct FieldReader {
    /// The text is not a record of the expected fields.
    struct Damaged: Error {}

    private let bytes: UnsafeBufferPointer<UInt8>
    private var offset = 0

    /// Calls `body` with a reader of `text`.
    static func read<T>(_ text: String, _ body: (inout FieldReader) throws(Damaged) -> T) throws(Damaged) -> T {
        var text = text
        return try text.withUTF8 { (bytes: UnsafeBufferPointer<UInt8>) -> Result<T, Damaged> in
            var reader = FieldReader(bytes: bytes)
            do throws(Damaged) {
                let value = try body(&reader)
                return reader.offset == bytes.count ? .success(value) : .failure(Damaged())
            } catch {
                return .failure(error)
            }
        }.get()
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Whether the next field is nil (and consumes it if so).
    private mutating func isNil() -> Bool {
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "~") else { return false }
        offset += 1
        return true
    }

    /// Decimal digits, optionally after `-`, up to `end`.
    private mutating func number(until end: UInt8) throws(Damaged) -> Int {
        var negative = false
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") {
            negative = true
            offset += 1
        }
        var value = 0
        var digits = 0
        while offset < bytes.count, bytes[offset] != end {
            let digit = Int(bytes[offset]) - Int(UInt8(ascii: "0"))
            guard (0...9).contains(digit), digits < 18 else { throw Damaged() }
            value = value * 10 + digit
            digits += 1
            offset += 1
        }
        guard digits > 0, offset < bytes.count else { throw Damaged() }
        offset += 1
        return negative ? -value : value
    }

    mutating func int() throws(Damaged) -> Int { try number(until: UInt8(ascii: ";")) }

    mutating func optionalInt() throws(Damaged) -> Int? { isNil() ? nil : try int() }

    mutating func bool() throws(Damaged) -> Bool {
        switch try int() {
        case 0: return false
        case 1: return true
        default: throw Damaged()
        }
    }

    mutating func string() throws(Damaged) -> String {
        let count = try number(until: UInt8(ascii: ":"))
        guard count >= 0, count <= bytes.count - offset else { throw Damaged() }
        defer { offset += count }
        // The whole text is valid UTF-8, but a damaged count could cut a character.
        guard let value = String(validating: UnsafeBufferPointer(rebasing: bytes[offset..<offset + count]), as: UTF8.self) else {
            throw Damaged()
        }
        return value
    }

    mutating func optionalString() throws(Damaged) -> String? { isNil() ? nil : try string() }

    mutating func double() throws(Damaged) -> Double? {
        guard let text = try optionalString() else { return nil }
        guard let value = Double(text) else { throw Damaged() }
        return value
    }

    /// A list written by `FieldWriter.list`.
    mutating func list<T>(_ body: (inout FieldReader) throws(Damaged) -> T) throws(Damaged) -> [T] {
        let count = try int()
        guard count >= 0, count <= bytes.count - offset else { throw Damaged() }
        var values: [T] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try body(&self)) }
        return values
    }
}
