import Foundation

/// The JSON written by benchmarks/backprop/reference.py.
struct ReferenceFixture: Decodable {
    struct RandomValues: Decodable {
        let seed42Next: [String]
        let seed0Uniform: [Double]
        let seed7Permutation10: [Int]
    }

    struct Sample: Decodable {
        let zs: [[Double]]
        let activations: [[Double]]
        let deltas: [[Double]]
        let nablaW: [[[Double]]]
        let nablaB: [[Double]]
        let cost: Double
    }

    struct Batch: Decodable {
        let nablaW: [[[Double]]]
        let nablaB: [[Double]]
        let meanCost: Double
    }

    struct Case: Decodable {
        let name: String
        let sizes: [Int]
        let activations: [String]
        let cost: String
        let weights: [[[Double]]]
        let biases: [[Double]]
        let inputs: [[Double]]
        let targets: [[Double]]
        let samples: [Sample]
        let batch: Batch
    }

    let random: RandomValues
    let cases: [Case]

    static func load() throws -> ReferenceFixture {
        try JSONDecoder().decode(ReferenceFixture.self, from: Data(contentsOf: Repository.referenceFixture))
    }
}
