/// Number formatting for widgets, in Swift only: the same text natively and in the browser.
///
/// Embedded Swift has no `Double.description`, and a C library's `printf` may differ between
/// machines, so widgets format with this: whole numbers below 10¹⁵ as integers, others with
/// `significant` digits, in fixed notation from 10⁻⁴ up to 10⁶ and scientific notation
/// (`1.25e-7`) beyond, `−` (U+2212) for negatives, `nan`, `∞`.
/// Digits are computed by scaling with exact powers of ten and rounding half to even.
public enum LiveNumber {
    /// `value` with `significant` significant digits (1–15).
    public static func format(_ value: Double, significant: Int = 4) -> [UInt8] {
        if value.isNaN { return nan }
        var out: [UInt8] = []
        if value.sign == .minus && value != 0 { out += minus }
        if value.isInfinite { return out + infinity }
        let magnitude = value.magnitude
        if magnitude == 0 { return [0x30] }
        // Whole numbers (counts, steps) as integers: 802, not 802.000.
        if magnitude < 1e15, magnitude == magnitude.rounded(.towardZero) { return out + decimalDigits(UInt64(magnitude), count: nil) }
        let digits = max(1, min(15, significant))
        var exponent = decimalExponent(magnitude)
        var mantissa = scaledToDigits(magnitude, exponent: exponent, digits: digits)
        if mantissa >= power(digits) { // rounding carried into a new digit: 9.9996 → 10.00
            exponent += 1
            mantissa = scaledToDigits(magnitude, exponent: exponent, digits: digits)
        }
        let text = decimalDigits(mantissa, count: digits)
        if exponent >= -4 && exponent < 6 {
            out += placePoint(text, exponent: exponent)
        } else {
            out.append(text[0])
            if digits > 1 { out.append(0x2E); out += text[1...] }
            out.append(0x65)
            if exponent < 0 { out.append(0x2D) }
            out += decimalDigits(UInt64(exponent.magnitude), count: nil)
        }
        return out
    }

    /// `value` with exactly `decimals` digits after the point (0–12), as axis labels use.
    public static func fixed(_ value: Double, decimals: Int) -> [UInt8] {
        if !value.isFinite || value.magnitude >= 1e15 { return format(value) }
        let places = max(0, min(12, decimals))
        let scaled = (value.magnitude * power10(places)).rounded(.toNearestOrEven)
        let integer = UInt64(scaled)
        var out: [UInt8] = integer != 0 && value.sign == .minus ? minus : []
        var text = decimalDigits(integer, count: nil)
        if places > 0 {
            while text.count <= places { text.insert(0x30, at: 0) }
            text.insert(0x2E, at: text.count - places)
        }
        out += text
        return out
    }

    // MARK: - Digits

    static let minus: [UInt8] = [0xE2, 0x88, 0x92]
    static let infinity: [UInt8] = [0xE2, 0x88, 0x9E]
    static let nan: [UInt8] = [0x6E, 0x61, 0x6E]

    /// ⌊log₁₀ magnitude⌋, found by comparing with exact powers of ten.
    static func decimalExponent(_ magnitude: Double) -> Int {
        var exponent = 0
        var scaled = magnitude
        while scaled >= 1e16 { scaled /= 1e16; exponent += 16 }
        while scaled < 1 { scaled *= 1e16; exponent -= 16 }
        while scaled >= 10 { scaled /= 10; exponent += 1 }
        // The divisions may round across a power of ten: settle on the exact comparison.
        if exponent >= 0, exponent <= 22 {
            while exponent > 0 && magnitude < power10(exponent) { exponent -= 1 }
            while exponent < 22 && magnitude >= power10(exponent + 1) { exponent += 1 }
        }
        return exponent
    }

    /// round(magnitude · 10^(digits − 1 − exponent)), ties to even.
    static func scaledToDigits(_ magnitude: Double, exponent: Int, digits: Int) -> UInt64 {
        let shift = digits - 1 - exponent
        var scaled = magnitude
        var remaining = shift
        while remaining > 22 { scaled *= 1e22; remaining -= 22 }
        while remaining < -22 { scaled /= 1e22; remaining += 22 }
        scaled = remaining >= 0 ? scaled * power10(remaining) : scaled / power10(-remaining)
        return UInt64(scaled.rounded(.toNearestOrEven))
    }

    static func power(_ digits: Int) -> UInt64 {
        var result: UInt64 = 1
        for _ in 0..<digits { result *= 10 }
        return result
    }

    /// 10^n for 0 ≤ n ≤ 22, exact.
    static func power10(_ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<n { result *= 10 }
        return result
    }

    /// The decimal digits of `value`, padded with zeros on the left to `count` when given.
    static func decimalDigits(_ value: UInt64, count: Int?) -> [UInt8] {
        var digits: [UInt8] = []
        var rest = value
        repeat {
            digits.append(UInt8(truncatingIfNeeded: rest % 10) + 0x30)
            rest /= 10
        } while rest > 0
        while let count, digits.count < count { digits.append(0x30) }
        return digits.reversed()
    }

    /// `digits` d₀d₁… read as d₀.d₁… × 10^exponent, written without an exponent.
    static func placePoint(_ digits: [UInt8], exponent: Int) -> [UInt8] {
        if exponent < 0 {
            return [0x30, 0x2E] + [UInt8](repeating: 0x30, count: -exponent - 1) + digits
        }
        var integerPart = Array(digits.prefix(exponent + 1))
        while integerPart.count < exponent + 1 { integerPart.append(0x30) }
        let fraction = digits.dropFirst(exponent + 1)
        return fraction.isEmpty ? integerPart : integerPart + [0x2E] + fraction
    }
}
