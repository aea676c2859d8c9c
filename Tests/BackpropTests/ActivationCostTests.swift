import Backprop
import Foundation
import Testing

@Suite("Activations and costs: each derivative next to its formula")
struct ActivationCostTests {
    @Test("σ'(z) agrees with a central difference of σ", arguments: Activation.allCases.filter(\.isElementwise))
    func derivatives(activation: Activation) {
        let h = 1e-6
        for z in stride(from: -4.0, through: 4.0, by: 0.37) where abs(z) > 1e-3 {
            let numeric = (activation.value(z + h) - activation.value(z - h)) / (2 * h)
            #expect(abs(numeric - activation.prime(z)) < 1e-8, "\(activation) at \(z)")
        }
    }

    @Test("the formulas themselves")
    func values() {
        #expect(Activation.sigmoid.value(0) == 0.5)
        #expect(Activation.relu.value(-2) == 0 && Activation.relu.value(2) == 2)
        #expect(Activation.leakyReLU.value(-2) == -0.02)
        #expect(Activation.identity.value(-3.5) == -3.5)
        #expect(abs(Activation.softplus.value(0) - Foundation.log(2)) < 1e-16)
        #expect(abs(Activation.tanh.value(0.5) - Foundation.tanh(0.5)) < 1e-16)
        #expect(abs(Activation.sigmoid.prime(0) - 0.25) < 1e-16)
    }

    @Test("softmax: a probability vector, with no overflow for large z")
    func softmax() {
        let a = Activation.softmax.apply([1000, 1001, 1002])
        #expect(abs(a.sum - 1) < 1e-15)
        let denominator: Double = 1 + Foundation.exp(-1.0) + Foundation.exp(-2.0)
        #expect(abs(a[2] - 1 / denominator) < 1e-15)
    }

    @Test("BP1 δ^L agrees with a central difference of C with respect to z^L")
    func outputErrors() throws {
        let z: Vector = [0.3, -1.2, 0.8]
        let y: Vector = [0.2, 0.7, 0.1]
        let h = 1e-6
        for cost in Cost.allCases {
            for activation in Activation.allCases where cost.accepts(activation) {
                let a = activation.apply(z)
                let delta = try cost.outputError(z: z, a: a, y: y, activation: activation)
                for j in 0..<z.count {
                    var plus = z, minus = z
                    plus[j] += h
                    minus[j] -= h
                    let cPlus = try cost.value(z: plus, a: activation.apply(plus), y: y, activation: activation)
                    let cMinus = try cost.value(z: minus, a: activation.apply(minus), y: y, activation: activation)
                    #expect(abs((cPlus - cMinus) / (2 * h) - delta[j]) < 1e-8, "\(cost) with \(activation), j = \(j)")
                }
            }
        }
    }

    @Test("the quadratic cost is ½ Σ (y − a)², exactly as in the notes")
    func quadraticCost() throws {
        let value = try Cost.quadratic.value(z: [0, 0], a: [0.25, 0.5], y: [1, 0], activation: .identity)
        #expect(value == 0.5 * (0.75 * 0.75 + 0.5 * 0.5))
        #expect(try Cost.quadratic.derivative(a: [0.25, 0.5], y: [1, 0]) == [-0.75, 0.5])
    }

    @Test("cross-entropy with an output activation it cannot use is an error")
    func incompatibleCosts() throws {
        let network = try Network(sizes: [2, 2], activation: .relu, seed: 1)
        #expect(throws: BackpropError.incompatibleCost(cost: "binaryCrossEntropy", activation: "relu")) {
            try network.backprop([1, 2], [0, 1], cost: .binaryCrossEntropy)
        }
        #expect(throws: BackpropError.self) { try network.cost(on: DataSet.xor, cost: .categoricalCrossEntropy) }
    }

    @Test func staticNamesAreTheRawValues() {
        // The browser build's error messages name activations and costs by `name`.
        for activation in Activation.allCases { #expect("\(activation.name)" == activation.rawValue) }
        for cost in Cost.allCases { #expect("\(cost.name)" == cost.rawValue) }
    }
}
