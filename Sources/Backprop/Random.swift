/// A seeded pseudo-random generator that gives the same bits on every machine.
///
/// The algorithm is xoshiro256** (Blackman and Vigna, 2018), a 256-bit state generator with
/// period 2^256 − 1. The seed is expanded into the four state words by SplitMix64 (Steele, Lea
/// and Flood), as its authors recommend, so that any 64-bit seed, 0 included, gives a good
/// state. Everything derived from it is specified here too, and uses only integer arithmetic,
/// IEEE-exact floating-point operations and the engine's own `Elementary.log`:
///
/// - `uniform()`: the top 53 bits of the next word times 2^−53, a `Double` in [0, 1);
/// - `integer(below:)`: Lemire's multiply-and-reject method, unbiased;
/// - `normal()`: Marsaglia's polar form of the Box–Muller transform, which turns two uniforms
///   in the unit disc into two independent standard normals, the second kept for the next call;
/// - `shuffle(_:)`: Fisher–Yates, from the last element down.
///
/// No system randomness is used anywhere in the engine: two runs with the same seed train
/// bit-identical networks.
public struct Random: Sendable {
    private var s0, s1, s2, s3: UInt64
    private var spareNormal: Double?

    /// Creates a generator whose whole future output is fixed by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = nextSplitMix()
        s1 = nextSplitMix()
        s2 = nextSplitMix()
        s3 = nextSplitMix()
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotate(s1 &* 5, by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotate(s3, by: 45)
        return result
    }

    /// A uniform `Double` in [0, 1), with 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform `Double` in [a, b).
    public mutating func uniform(in a: Double, _ b: Double) -> Double {
        a + (b - a) * uniform()
    }

    /// An unbiased integer in 0..<n (Lemire's method); `n` must be positive.
    public mutating func integer(below n: Int) -> Int {
        precondition(n > 0, "integer(below:) needs a positive bound")
        let bound = UInt64(n)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return Int(product.high)
    }

    /// A standard normal deviate (Marsaglia's polar form of Box–Muller).
    public mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        while true {
            let u = 2 * uniform() - 1
            let v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let factor = (-2 * Elementary.log(s) / s).squareRoot()
                spareNormal = v * factor
                return u * factor
            }
        }
    }

    /// A normal deviate with the given mean and standard deviation.
    public mutating func normal(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * normal()
    }

    /// Shuffles `elements` in place (Fisher–Yates).
    public mutating func shuffle<T>(_ elements: inout [T]) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, to: 0, by: -1) {
            elements.swapAt(i, integer(below: i + 1))
        }
    }

    /// The numbers 0..<n in a random order.
    public mutating func permutation(_ n: Int) -> [Int] {
        var indices = Array(0..<n)
        shuffle(&indices)
        return indices
    }

    private func rotate(_ x: UInt64, by k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
