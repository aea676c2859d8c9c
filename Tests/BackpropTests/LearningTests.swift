import Backprop
import Testing

@Suite("Learning: the engine trains real networks")
struct LearningTests {
    @Test("XOR reaches 100% with a 2-3-1 sigmoid network")
    func xor() throws {
        var network = try Network(sizes: [2, 3, 1], activation: .sigmoid, initializer: .standardNormal, seed: 1)
        let sgd = SGD(eta: 4.0, batchSize: 4, epochs: 2000, seed: 1)
        try sgd.train(&network, on: .xor)
        #expect(try network.correctCount(on: .xor) == 4)
        for i in 0..<4 {
            let (x, y) = DataSet.xor[i]
            #expect(abs(try network.feedforward(x)[0] - y[0]) < 0.1)
        }
    }

    @Test("digits: 64-30-10 sigmoid, quadratic cost, batch 10, η = 3, 30 epochs")
    func digits() throws {
        let all = try DataSet.digits(contentsOf: Repository.digits)
        #expect(all.count == 1797)
        let (training, test) = try all.split(at: 1500)
        #expect(test.count == 297)
        var network = try Network(sizes: [64, 30, 10], activation: .sigmoid, initializer: .standardNormal, seed: 2024)
        let sgd = SGD(eta: 3.0, batchSize: 10, epochs: 30, seed: 2024)
        let reports = try sgd.train(&network, on: training, cost: .quadratic, evaluationData: test)
        #expect(reports.count == 30)
        let final = try #require(reports.last?.evaluation)
        #expect(final.accuracy >= 0.9)
        #expect(final.correct == 271)  // 91.2%, the same on every machine and every run
        #expect(try network.correctCount(on: test) == final.correct)
    }

    @Test("a linear unit fits the noisy linear data set")
    func regression() throws {
        let data = try DataSet.noisyLinear(count: 200, weights: [2, -3], bias: 0.5, noise: 0.05, seed: 3)
        var network = try Network(sizes: [2, 1], activation: .identity, initializer: .xavier, seed: 4)
        try SGD(eta: 0.1, batchSize: 10, epochs: 100, seed: 5).train(&network, on: data)
        #expect(abs(network.weights[2][0, 0] - 2) < 0.05)
        #expect(abs(network.weights[2][0, 1] + 3) < 0.05)
        #expect(abs(network.biases[2][0] - 0.5) < 0.05)
    }

    @Test("momentum and L2 decay also learn the digits")
    func momentumAndDecay() throws {
        let (training, test) = try DataSet.digits(contentsOf: Repository.digits).shuffledSplit(trainingCount: 1500, seed: 6)
        var network = try Network(sizes: [64, 30, 10], activation: .sigmoid, outputActivation: .softmax, seed: 7)
        let sgd = SGD(eta: 0.1, batchSize: 10, epochs: 10, lambda: 1.0, momentum: 0.9, seed: 8, monitorTraining: true)
        let reports = try sgd.train(&network, on: training, cost: .categoricalCrossEntropy, evaluationData: test)
        #expect(try #require(reports.last?.evaluation).accuracy > 0.9)
        #expect(try #require(reports.last?.training).cost < reports[0].training!.cost)
    }
}
