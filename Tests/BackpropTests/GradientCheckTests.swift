import Backprop
import Testing

/// Every activation in the hidden layers, and every output activation each cost accepts.
let gradientCheckCombinations: [(hidden: Activation, output: Activation, cost: Cost)] =
    Activation.allCases.flatMap { hidden in
        Cost.allCases.flatMap { cost in
            Activation.allCases.filter { cost.accepts($0) }.map { (hidden, $0, cost) }
        }
    }

@Suite("Gradient checks: backpropagation against finite differences")
struct GradientCheckTests {
    /// Five random samples whose weighted inputs into ReLU and leaky-ReLU neurons all stay at least
    /// 0.01 away from the kink at 0, where finite differences of step 1e-3 would straddle it.
    func dataAwayFromKinks(_ network: Network, oneHot: Bool, seed: UInt64) throws -> DataSet {
        for attempt in 0..<1000 {
            let data = try randomData(count: 5, inputs: 3, outputs: 3, oneHot: oneHot, seed: seed &+ UInt64(attempt) &* 1000)
            let zs = try network.backprop(batch: data).zs
            let kinked = zs.indices.filter { [.relu, .leakyReLU].contains(network.activations[$0]) }
            if kinked.allSatisfy({ l in zs[l].elements.allSatisfy { abs($0) > 0.01 } }) { return data }
        }
        throw BackpropError.emptyDataSet("no data away from the kinks")
    }

    @Test("relative error below 1e-7 for every activation × cost combination")
    func everyCombination() throws {
        #expect(gradientCheckCombinations.count == 7 * (7 + 2 + 1))
        for (index, (hidden, output, cost)) in gradientCheckCombinations.enumerated() {
            let network = try Network(sizes: [3, 4, 4, 3], activations: [hidden, hidden, output],
                                      initializer: .scaledNormal, seed: UInt64(index))
            let data = try dataAwayFromKinks(network, oneHot: cost == .categoricalCrossEntropy, seed: UInt64(100 + index))
            let result = try GradientCheck().run(network, on: data, cost: cost)
            #expect(result.parametersChecked == network.parameterCount)
            #expect(result.maxAbsoluteError < 1e-10, "\(hidden) → \(output), \(cost)")
            #expect(result.maxRelativeError < 1e-7,
                    "\(hidden) → \(output), \(cost): \(result.maxRelativeError) at \(result.worst!) (\(result.worstAnalytic) vs \(result.worstNumeric))")
        }
    }

    @Test("single-sample and mini-batch backpropagation agree to 1e-12")
    func singleSampleMatchesBatch() throws {
        for (index, (hidden, output, cost)) in gradientCheckCombinations.enumerated() {
            let network = try Network(sizes: [4, 6, 5, 3], activations: [hidden, hidden, output], seed: UInt64(index))
            let data = try randomData(count: 7, inputs: 4, outputs: 3, oneHot: cost == .categoricalCrossEntropy,
                                      seed: UInt64(200 + index))
            let batch = try network.backprop(batch: data, cost: cost)
            var mean = batch.gradients
            for l in mean.nablaW.indices {
                mean.nablaW[l] = 0 * mean.nablaW[l]
                mean.nablaB[l] = 0 * mean.nablaB[l]
            }
            for i in 0..<data.count {
                let single = try network.backprop(data[i].x, data[i].y, cost: cost)
                for l in mean.nablaW.indices {
                    try mean.nablaW[l].axpy(1 / Double(data.count), single.gradients.nablaW[l])
                    try mean.nablaB[l].axpy(1 / Double(data.count), single.gradients.nablaB[l])
                    let difference = zip(single.deltas[l], batch.deltas[l].row(i)).map { abs($0 - $1) }.max()!
                    #expect(difference < 1e-12, "\(hidden) → \(output), \(cost): δ^\(l) of sample \(i)")
                }
            }
            #expect(try mean.maxAbsoluteDifference(batch.gradients) < 1e-12, "\(hidden) → \(output), \(cost)")
        }
    }

    @Test("a seeded sample of the parameters of a bigger network")
    func sampledCheck() throws {
        let network = try Network(sizes: [20, 15, 10], activation: .tanh, outputActivation: .softmax, seed: 3)
        let data = try randomData(count: 4, inputs: 20, outputs: 10, oneHot: true, seed: 4)
        let check = GradientCheck(sampleSize: 40, seed: 5)
        let result = try check.run(network, on: data, cost: .categoricalCrossEntropy)
        #expect(result.parametersChecked == 40)
        #expect(result.maxRelativeError < 1e-7)
        let worst = try #require(result.worst)
        #expect(worst.description.hasPrefix("w^") || worst.description.hasPrefix("b^"))
        #expect(try check.run(network, on: data, cost: .categoricalCrossEntropy) == result)
    }
}
