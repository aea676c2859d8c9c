import Backprop
import Testing

/// Forward values, errors and gradients against benchmarks/backprop/reference.py (NumPy).
@Suite("Fixed values from the independent NumPy reference")
struct ReferenceTests {
    /// Relative agreement to 1e-12 (absolute near zero).
    func agree(_ a: [Double], _ b: [Double]) -> Bool {
        maxRelativeDifference(a, b) < 1e-12
    }

    static func network(_ c: ReferenceFixture.Case) throws -> Network {
        try Network(sizes: c.sizes, activations: c.activations.map { Activation(rawValue: $0)! },
                    weights: c.weights.map { try Matrix($0) }, biases: c.biases.map { Vector($0) })
    }

    @Test("each sample: every z^l, a^l, δ^l, ∂C/∂w^l, ∂C/∂b^l and the cost")
    func singleSamples() throws {
        let fixture = try ReferenceFixture.load()
        #expect(fixture.cases.count == 5)
        for c in fixture.cases {
            let network = try Self.network(c)
            let cost = Cost(rawValue: c.cost)!
            for (i, expected) in c.samples.enumerated() {
                let result = try network.backprop(Vector(c.inputs[i]), Vector(c.targets[i]), cost: cost)
                for l in 2...c.sizes.count {
                    #expect(agree(result.forward.zs[l].elements, expected.zs[l - 2]), "\(c.name) z^\(l)")
                    #expect(agree(result.deltas[l].elements, expected.deltas[l - 2]), "\(c.name) δ^\(l)")
                    #expect(agree(result.gradients.nablaW[l].elements, expected.nablaW[l - 2].flatMap { $0 }), "\(c.name) ∂C/∂w^\(l)")
                    #expect(agree(result.gradients.nablaB[l].elements, expected.nablaB[l - 2]), "\(c.name) ∂C/∂b^\(l)")
                }
                for l in 1...c.sizes.count {
                    #expect(agree(result.forward.activations[l].elements, expected.activations[l - 1]), "\(c.name) a^\(l)")
                }
                let value = try cost.value(z: result.forward.zs[c.sizes.count], a: result.forward.output,
                                           y: Vector(c.targets[i]), activation: network.activations[c.sizes.count])
                #expect(agree([value], [expected.cost]), "\(c.name) C")
            }
        }
    }

    @Test("the mini-batch matrix form: mean gradients and mean cost")
    func batches() throws {
        let fixture = try ReferenceFixture.load()
        for c in fixture.cases {
            let network = try Self.network(c)
            let cost = Cost(rawValue: c.cost)!
            let batch = try DataSet(inputs: Matrix(c.inputs), targets: Matrix(c.targets))
            let result = try network.backprop(batch: batch, cost: cost)
            for l in 2...c.sizes.count {
                #expect(agree(result.gradients.nablaW[l].elements, c.batch.nablaW[l - 2].flatMap { $0 }), "\(c.name) ∂C/∂w^\(l)")
                #expect(agree(result.gradients.nablaB[l].elements, c.batch.nablaB[l - 2]), "\(c.name) ∂C/∂b^\(l)")
                for (i, sample) in c.samples.enumerated() {
                    #expect(agree(result.deltas[l].row(i).elements, sample.deltas[l - 2]), "\(c.name) Δ^\(l) row \(i)")
                }
            }
            #expect(agree([try network.cost(on: batch, cost: cost)], [c.batch.meanCost]), "\(c.name)")
        }
    }

    @Test("the worked example of the notes: δ^3 and δ^2 of the 2-3-2 network")
    func notesExample() throws {
        let c = try ReferenceFixture.load().cases[0]
        let network = try Self.network(c)
        let result = try network.backprop([0.5, -0.2], [1, 0])
        #expect(agree(result.deltas[3].elements, c.samples[0].deltas[1]))
        #expect(agree(result.deltas[2].elements, c.samples[0].deltas[0]))
    }

    @Test("the forward pass and backpropagation print like the notes")
    func printing() throws {
        let network = try Self.network(try ReferenceFixture.load().cases[0])
        let result = try network.backprop([0.5, -0.2], [1, 0])
        let lines = result.description.split(separator: "\n")
        #expect(lines[0] == "a^1 = [0.5, -0.2]")
        #expect(lines[1] == "z^2 = [-0.030000000000000006, -0.09, 0.27]")
        #expect(lines.contains { $0.hasPrefix("δ^3 = [") })
        #expect(lines.contains { $0.hasPrefix("∂C/∂w^2 = [") })
    }
}
