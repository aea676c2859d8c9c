import Backprop
import Testing

@Suite("Determinism: the same seed gives the same bits")
struct DeterminismTests {
    /// Batches of 100 samples of a 200-100-10 network: large enough to be shared between threads.
    func train(threads: Int, seed: UInt64, lambda: Double = 0, momentum: Double = 0.5) throws -> Network {
        let data = try randomData(count: 300, inputs: 200, outputs: 10, oneHot: true, seed: 1)
        var network = try Network(sizes: [200, 100, 10], activation: .sigmoid, seed: seed)
        try SGD(eta: 0.5, batchSize: 100, epochs: 2, lambda: lambda, momentum: momentum, seed: seed,
                threads: threads).train(&network, on: data)
        return network
    }

    @Test("two runs with the same seed train bit-identical weights")
    func sameSeedSameWeights() throws {
        let a = try train(threads: 2, seed: 11), b = try train(threads: 2, seed: 11)
        #expect(a.allParameters.map(\.bitPattern) == b.allParameters.map(\.bitPattern))
        let c = try train(threads: 2, seed: 12)
        #expect(a.allParameters != c.allParameters)
    }

    @Test("the number of threads does not change a single bit", arguments: [(0.0, 0.5), (3.0, 0), (3.0, 0.9)])
    func threadsDoNotMatter(lambda: Double, momentum: Double) throws {
        let one = try train(threads: 1, seed: 13, lambda: lambda, momentum: momentum)
        for threads in [2, 3] {
            let many = try train(threads: threads, seed: 13, lambda: lambda, momentum: momentum)
            #expect(one.allParameters.map(\.bitPattern) == many.allParameters.map(\.bitPattern), "\(threads) threads")
        }
        let data = try randomData(count: 300, inputs: 200, outputs: 10, oneHot: true, seed: 2)
        let evaluations = try [1, 2, 3].map { threads in
            try one.evaluate(data, threads: threads)
        }
        #expect(Set(evaluations.map(\.cost.bitPattern)).count == 1 && Set(evaluations.map(\.correct)).count == 1)
    }

    @Test("initialisers are seeded too, and scaled as documented")
    func initialisers() throws {
        for initializer in Initializer.allCases {
            let a = try Network(sizes: [400, 300], activation: .relu, initializer: initializer, seed: 5)
            let b = try Network(sizes: [400, 300], activation: .relu, initializer: initializer, seed: 5)
            #expect(a == b)
            let w = a.weights[2].elements
            let variance = w.reduce(0) { $0 + $1 * $1 } / Double(w.count)
            let expected = initializer.weightStandardDeviation(fanIn: 400, fanOut: 300)
            #expect(abs(variance.squareRoot() / expected - 1) < 0.02, "\(initializer)")
            #expect(a.biases[2].allSatisfy { $0 == 0 } == !initializer.drawsBiases)
        }
    }
}
