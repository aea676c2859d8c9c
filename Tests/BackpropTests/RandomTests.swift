import Backprop
import Foundation
import Testing

@Suite("Random: SplitMix64-seeded xoshiro256**")
struct RandomTests {
    @Test("the raw words match the independent Python implementation")
    func wordsMatchReference() throws {
        let fixture = try ReferenceFixture.load()
        var random = Random(seed: 42)
        let words = (0..<6).map { _ in String(random.next()) }
        #expect(words == fixture.random.seed42Next)
    }

    @Test("uniforms are the top 53 bits and match the reference bit for bit")
    func uniformsMatchReference() throws {
        let fixture = try ReferenceFixture.load()
        var random = Random(seed: 0)
        let uniforms = (0..<6).map { _ in random.uniform() }
        #expect(uniforms == fixture.random.seed0Uniform)
    }

    @Test("Fisher–Yates with Lemire's bounded integers matches the reference permutation")
    func permutationMatchesReference() throws {
        let fixture = try ReferenceFixture.load()
        var random = Random(seed: 7)
        #expect(random.permutation(10) == fixture.random.seed7Permutation10)
    }

    @Test("the same seed gives the same stream, another seed another one")
    func determinism() {
        var a = Random(seed: 123), b = Random(seed: 123), c = Random(seed: 124)
        let streamA = (0..<100).map { _ in a.normal() }
        let streamB = (0..<100).map { _ in b.normal() }
        let streamC = (0..<100).map { _ in c.normal() }
        #expect(streamA.map(\.bitPattern) == streamB.map(\.bitPattern))
        #expect(streamA != streamC)
    }

    @Test("normals have mean 0 and variance 1")
    func normalMoments() {
        var random = Random(seed: 5)
        let n = 200_000
        let xs = (0..<n).map { _ in random.normal() }
        let mean = xs.reduce(0, +) / Double(n)
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        #expect(abs(mean) < 0.01)
        #expect(abs(variance - 1) < 0.01)
    }

    @Test("bounded integers stay in range and cover it")
    func boundedIntegers() {
        var random = Random(seed: 9)
        var seen = Set<Int>()
        for _ in 0..<1000 {
            let k = random.integer(below: 7)
            #expect((0..<7).contains(k))
            seen.insert(k)
        }
        #expect(seen.count == 7)
    }
}
