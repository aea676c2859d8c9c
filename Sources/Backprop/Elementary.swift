/// The engine's own exponential and logarithm, so that results do not depend on the C library.
///
/// Every machine's libm may round `exp` and `log` differently in the last bit; these versions
/// use only IEEE-exact operations (`+`, `×`, `/`, fused multiply-add, bit manipulation), so they
/// give the same bits everywhere. `exp` also comes in a `SIMD4` form that computes exactly the
/// bits of the scalar one, four lanes at a time. Both are accurate to about one unit in the last
/// place (the tests compare them with the C library).
///
/// - `exp`: Cody–Waite reduction x = n·ln 2 + r with |r| ≤ ½ ln 2, the Taylor polynomial of
///   degree 13 for e^r in Horner form with fused multiply-adds, and scaling by 2^n in two
///   halves so that results near overflow and in the subnormal range come out right.
/// - `log`: x = 2^e·m with m in [√½, √2), then fdlibm's series in s = (m − 1)/(m + 1).
/// - `log1p`, `expm1`, `tanh`, `softplus`: built on those two with the classic tricks of
///   Goldberg and Kahan that keep full relative accuracy near zero.
public enum Elementary {
    // MARK: - Constants

    static let log2e = 1.4426950408889634
    static let ln2Hi = 6.93147180369123816490e-01  // n·ln2Hi is exact
    static let ln2Lo = 1.90821492927058770002e-10
    /// Adding 1.5·2^52 rounds a double to an integer (ties to even) and keeps it in the low bits.
    static let shifter = 0x1.8p52

    /// The Taylor polynomial Σ_{k=0}^{13} r^k / k! of e^r, in Horner form with fused multiply-adds.
    @inline(__always)
    static func expPolynomial<T: ElementaryReal>(_ r: T) -> T {
        var p = T(1 / 6_227_020_800.0)
        p = T(1 / 479_001_600.0).fma(p, r)
        p = T(1 / 39_916_800.0).fma(p, r)
        p = T(1 / 3_628_800.0).fma(p, r)
        p = T(1 / 362_880.0).fma(p, r)
        p = T(1 / 40_320.0).fma(p, r)
        p = T(1 / 5_040.0).fma(p, r)
        p = T(1 / 720.0).fma(p, r)
        p = T(1 / 120.0).fma(p, r)
        p = T(1 / 24.0).fma(p, r)
        p = T(1 / 6.0).fma(p, r)
        p = T(0.5).fma(p, r)
        p = T(1).fma(p, r)
        return T(1).fma(p, r)
    }

    // MARK: - exp

    /// e^x, with the same bits on every machine.
    public static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        let x = Swift.min(Swift.max(x, -746), 710)
        let t = x * log2e + shifter
        let n = t - shifter
        var r = x.addingProduct(-n, ln2Hi)
        r = r.addingProduct(-n, ln2Lo)
        let p = expPolynomial(r)
        let k = Int64(bitPattern: t.bitPattern &- shifter.bitPattern)
        let k1 = k >> 1, k2 = k &- k1
        let scale1 = Double(bitPattern: UInt64(bitPattern: (k1 &+ 1023) &<< 52))
        let scale2 = Double(bitPattern: UInt64(bitPattern: (k2 &+ 1023) &<< 52))
        return p * scale1 * scale2
    }

    /// e^x in four lanes, each with exactly the bits of the scalar `exp`.
    public static func exp(_ x: SIMD4<Double>) -> SIMD4<Double> {
        // As the scalar min/max (NaN lanes are replaced at the end); written with comparisons, which
        // compile to two vector operations where `clamped` calls generic pointwise helpers.
        let clamped = x.replacing(with: -746, where: x .< -746).replacing(with: 710, where: x .> 710)
        let t = clamped * log2e + shifter
        let n = t - shifter
        var r = clamped.addingProduct(-n, SIMD4(repeating: ln2Hi))
        r = r.addingProduct(-n, SIMD4(repeating: ln2Lo))
        let p = expPolynomial(r)
        let k = SIMD4<Int64>(truncatingIfNeeded: unsafeBitCast(t, to: SIMD4<UInt64>.self)
            &- shifter.bitPattern)
        let k1 = k &>> 1, k2 = k &- k1
        let scale1 = unsafeBitCast((k1 &+ 1023) &<< 52, to: SIMD4<Double>.self)
        let scale2 = unsafeBitCast((k2 &+ 1023) &<< 52, to: SIMD4<Double>.self)
        return (p * scale1 * scale2).replacing(with: x, where: x .!= x)
    }

    // MARK: - log

    static let logCoefficients: [Double] = [
        1.479819860511658591e-01, 1.531383769920937332e-01, 1.818357216161805012e-01,
        2.222219843214978396e-01, 2.857142874366239149e-01, 3.999999999940941908e-01,
        6.666666666666735130e-01,
    ]

    /// The natural logarithm, with the same bits on every machine.
    public static func log(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x == .infinity { return x }
        var x = x, e = 0
        if x < 0x1p-1022 {  // subnormal: make it normal first
            x *= 0x1p54
            e = -54
        }
        e += Int(x.exponentBitPattern) - 1023
        var m = Double(sign: .plus, exponent: 0, significand: x.significand)
        if m > 1.4142135623730951 {
            m *= 0.5
            e += 1
        }
        let f = m - 1
        let hfsq = 0.5 * f * f
        let s = f / (2 + f)
        let z = s * s
        var series = logCoefficients[0]
        for c in logCoefficients.dropFirst() { series = c.addingProduct(series, z) }
        let rest = z * series
        let k = Double(e)
        return k * ln2Hi - ((hfsq - (s * (hfsq + rest) + k * ln2Lo)) - f)
    }

    // MARK: - Derived functions

    /// log(1 + x), accurate also for tiny x (Goldberg's trick).
    public static func log1p(_ x: Double) -> Double {
        let u = 1 + x
        if u == 1 { return x }
        if u.isInfinite { return log(x) }
        return log(u) * (x / (u - 1))
    }

    /// e^x − 1, accurate also for tiny x (Kahan's trick).
    public static func expm1(_ x: Double) -> Double {
        if x < -40 { return -1 }
        let u = exp(x)
        if u == 1 { return x }
        if u.isInfinite { return u }
        let um1 = u - 1
        if um1 == -1 { return -1 }
        return um1 * (x / log(u))
    }

    /// The hyperbolic tangent, as (1 − e^{−2|z|}) / (1 + e^{−2|z|}) with the sign of z.
    public static func tanh(_ z: Double) -> Double {
        if z.isNaN { return z }
        let t = expm1(-2 * Swift.abs(z))
        let magnitude = -t / (t + 2)
        return z < 0 ? -magnitude : magnitude
    }

    /// softplus(z) = log(1 + e^z), without overflow for large z.
    public static func softplus(_ z: Double) -> Double {
        z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))
    }

    /// The logistic sigmoid σ(z) = 1 / (1 + e^{−z}).
    public static func sigmoid(_ z: Double) -> Double {
        1 / (1 + exp(-z))
    }

    /// The logistic sigmoid in four lanes, the same bits as the scalar one.
    public static func sigmoid(_ z: SIMD4<Double>) -> SIMD4<Double> {
        1 / (1 + exp(-z))
    }
}

/// What `Elementary.expPolynomial` needs: a constant and a fused multiply-add, for `Double` and
/// `SIMD4<Double>` alike, so that both forms of `exp` run the very same operations.
protocol ElementaryReal {
    init(_ value: Double)
    /// self + a·b, rounded once.
    func fma(_ a: Self, _ b: Self) -> Self
}

extension Double: ElementaryReal {
    func fma(_ a: Double, _ b: Double) -> Double { addingProduct(a, b) }
}

extension SIMD4: ElementaryReal where Scalar == Double {
    init(_ value: Double) { self.init(repeating: value) }
    func fma(_ a: SIMD4<Double>, _ b: SIMD4<Double>) -> SIMD4<Double> { addingProduct(a, b) }
}
