/// Axis ticks at round numbers, with labels, computed the same way natively and in the browser.
enum LiveTicks {
    /// About five ticks at 1, 2 or 5 × 10^k inside `low…high`, and the decimals their labels need.
    static func linear(_ low: Double, _ high: Double) -> (values: [Double], decimals: Int) {
        guard low.isFinite, high.isFinite, high > low else { return ([], 0) }
        let rough = (high - low) / 5
        let exponent = LiveNumber.decimalExponent(rough)
        let unit = exponent >= 0 ? LiveNumber.power10(min(exponent, 22)) : 1 / LiveNumber.power10(min(-exponent, 22))
        let leading = rough / unit
        let multiple: Double = leading < 1.5 ? 1 : leading < 3.5 ? 2 : leading < 7.5 ? 5 : 10
        let step = multiple * unit
        var values: [Double] = []
        var k = (low / step).rounded(.up)
        while k * step <= high + step * 1e-9, values.count < 20 {
            let value = k * step
            values.append(value == 0 ? 0 : value) // no −0 labels
            k += 1
        }
        let decimals = multiple == 10 ? max(0, -exponent - 1) : max(0, -exponent)
        return (values, decimals)
    }

    /// The powers of ten inside `low…high` (both positive), at most eight of them.
    static func logarithmic(_ low: Double, _ high: Double) -> [Double] {
        guard low > 0, high > low, high.isFinite else { return [] }
        var exponent = LiveNumber.decimalExponent(low)
        var values: [Double] = []
        while values.count < 40 {
            let value = exponent >= 0 ? LiveNumber.power10(min(exponent, 22)) : 1 / LiveNumber.power10(min(-exponent, 22))
            if value > high * (1 + 1e-12) { break }
            if value >= low * (1 - 1e-12) { values.append(value) }
            exponent += 1
        }
        guard values.count > 8 else { return values }
        let stride = (values.count + 7) / 8
        return values.enumerated().filter { $0.offset % stride == 0 }.map { $0.element }
    }
}
