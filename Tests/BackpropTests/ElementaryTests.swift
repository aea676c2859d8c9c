import Backprop
import Foundation
import Testing

@Suite("Elementary: the engine's own exp and log")
struct ElementaryTests {
    /// Distance in units in the last place.
    func ulps(_ a: Double, _ b: Double) -> Double {
        if a == b { return 0 }
        return abs(a - b) / max(a.ulp, b.ulp)
    }

    @Test("exp is within one ulp of the C library over its whole range")
    func expAccuracy() {
        var random = Random(seed: 1)
        var worst = 0.0
        for _ in 0..<200_000 {
            let x = random.uniform(in: -745, 709.7)
            worst = max(worst, ulps(Elementary.exp(x), Foundation.exp(x)))
        }
        for _ in 0..<100_000 {
            let x = random.uniform(in: -2, 2)
            worst = max(worst, ulps(Elementary.exp(x), Foundation.exp(x)))
        }
        #expect(worst <= 1)
    }

    @Test("exp's special values")
    func expSpecialValues() {
        #expect(Elementary.exp(0) == 1)
        #expect(Elementary.exp(1) == Foundation.exp(1))
        #expect(Elementary.exp(-1000) == 0)
        #expect(Elementary.exp(1000) == .infinity)
        #expect(Elementary.exp(.infinity) == .infinity)
        #expect(Elementary.exp(-.infinity) == 0)
        #expect(Elementary.exp(.nan).isNaN)
        #expect(Elementary.exp(-740) > 0)  // subnormal results
    }

    @Test("the SIMD exp gives exactly the scalar bits")
    func simdMatchesScalar() {
        var random = Random(seed: 2)
        for _ in 0..<20_000 {
            let x = SIMD4<Double>(random.uniform(in: -800, 800), random.uniform(in: -5, 5),
                                  random.uniform(in: -40, 40), random.uniform(in: -745, -700))
            let simd = Elementary.exp(x)
            for i in 0..<4 { #expect(simd[i].bitPattern == Elementary.exp(x[i]).bitPattern) }
        }
        let special = Elementary.exp(SIMD4<Double>(.nan, .infinity, -.infinity, 0))
        #expect(special[0].isNaN && special[1] == .infinity && special[2] == 0 && special[3] == 1)
    }

    @Test("log is within one ulp of the C library, subnormals included")
    func logAccuracy() {
        var random = Random(seed: 3)
        var worst = 0.0
        for _ in 0..<200_000 {
            let x = Foundation.exp(random.uniform(in: -744, 709))
            worst = max(worst, ulps(Elementary.log(x), Foundation.log(x)))
        }
        for _ in 0..<100_000 {
            let x = random.uniform(in: 0.5, 2)
            worst = max(worst, ulps(Elementary.log(x), Foundation.log(x)))
        }
        #expect(worst <= 1)
        #expect(Elementary.log(1) == 0)
        #expect(Elementary.log(0) == -.infinity)
        #expect(Elementary.log(-1).isNaN)
        #expect(Elementary.log(.infinity) == .infinity)
    }

    @Test("tanh, softplus, log1p and expm1 keep full relative accuracy, near zero too")
    func derivedFunctions() {
        var random = Random(seed: 4)
        var worst = 0.0
        for _ in 0..<50_000 {
            let x = random.uniform(in: -30, 30) * (random.uniform() < 0.5 ? 1e-9 : 1)
            worst = max(worst, relativeDifference(Elementary.tanh(x), Foundation.tanh(x)))
            worst = max(worst, relativeDifference(Elementary.expm1(x), Foundation.expm1(x)))
            worst = max(worst, relativeDifference(Elementary.softplus(x), Foundation.log1p(Foundation.exp(x))))
            let y = abs(x)
            worst = max(worst, relativeDifference(Elementary.log1p(y), Foundation.log1p(y)))
        }
        #expect(worst < 1e-14)
        #expect(Elementary.softplus(800) == 800)
        #expect(Elementary.softplus(-800) == 0)
        #expect(Elementary.tanh(30) == 1 && Elementary.tanh(-30) == -1)
    }
}
