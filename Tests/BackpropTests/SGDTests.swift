import Backprop
import Testing

@Suite("SGD: the update rule, step by step")
struct SGDTests {
    @Test("one step is w ← (1 − ηλ/n) w − η ∂C/∂w and b ← b − η ∂C/∂b on the batch mean")
    func oneStep() throws {
        let data = try randomData(count: 6, inputs: 3, outputs: 2, oneHot: false, seed: 1)
        let network = try Network(sizes: [3, 4, 2], activation: .tanh, outputActivation: .sigmoid, seed: 2)
        let (eta, lambda) = (0.7, 0.3)
        let gradients = try network.backprop(batch: data, cost: .binaryCrossEntropy).gradients
        var trained = network
        try SGD(eta: eta, batchSize: 6, epochs: 1, lambda: lambda).train(&trained, on: data, cost: .binaryCrossEntropy)
        for l in network.weights.indices {
            var w = (1 - eta * lambda / 6) * network.weights[l]
            try w.axpy(-eta, gradients.nablaW[l])
            var b = network.biases[l]
            try b.axpy(-eta, gradients.nablaB[l])
            #expect(try w.maxAbsoluteDifference(trained.weights[l]) < 1e-14)
            #expect(zip(b, trained.biases[l]).allSatisfy { abs($0 - $1) < 1e-14 })
        }
    }

    @Test("momentum: v ← μv − η ∂C/∂w, w ← w + v over two steps")
    func momentum() throws {
        let data = try randomData(count: 4, inputs: 2, outputs: 1, oneHot: false, seed: 3)
        var network = try Network(sizes: [2, 1], activation: .sigmoid, seed: 4)
        let (eta, mu) = (0.5, 0.9)
        var expected = network
        var velocityW = 0 * network.weights[2], velocityB = 0 * network.biases[2]
        for _ in 0..<2 {
            let g = try expected.backprop(batch: data).gradients
            velocityW = mu * velocityW
            try velocityW.axpy(-eta, g.nablaW[2])
            velocityB = mu * velocityB
            try velocityB.axpy(-eta, g.nablaB[2])
            try expected.setParameters(layer: 2, weights: expected.weights[2] + velocityW, biases: expected.biases[2] + velocityB)
        }
        try SGD(eta: eta, batchSize: 4, epochs: 2, momentum: mu).train(&network, on: data)
        #expect(try network.weights[2].maxAbsoluteDifference(expected.weights[2]) < 1e-14)
    }

    @Test("reports: one per epoch, with cost and accuracy where asked for")
    func reports() throws {
        var network = try Network(sizes: [2, 3, 1], activation: .sigmoid, seed: 5)
        var seen: [Int] = []
        let reports = try SGD(eta: 2, batchSize: 3, epochs: 4, monitorTraining: true)
            .train(&network, on: .xor, evaluationData: .xor) { seen.append($0.epoch) }
        #expect(seen == [1, 2, 3, 4])
        #expect(reports.map(\.epoch) == [1, 2, 3, 4])
        #expect(reports.allSatisfy { $0.training?.count == 4 && $0.evaluation?.count == 4 })
        #expect(reports[3].training == reports[3].evaluation)
    }
}
