import Backprop
import Testing

@Suite("Bad input gets a clear error, never a crash")
struct InputErrorTests {
    @Test("malformed CSV lines are reported with their line number", arguments: [
        ("a,b,label\n0.5,0.25,1\n0.5,x,0\n", "line 3: field 2, \"x\", is not a number"),
        ("a,b,label\n0.5,0.25,1\n0.5,0\n", "line 3: 2 fields, expected 3 (2 inputs and a label)"),
        ("0.5,0.25,1\n0.5,0.5,7\n", "line 2: the label \"7\" is not an integer in 0..<3"),
        ("0.5,0.25,1\n\n0.5,0.5,0\n", "line 2: empty line"),
        ("0.5,0.25,1.5\n", "line 1: the label \"1.5\" is not an integer in 0..<3"),
        ("a,b,label\n0.5,nan,1\n", "non-finite value (NaN or ∞) in line 2, field 2 (\"nan\")"),
        ("a,b,label\n", "empty data set: the CSV text has no samples"),
    ])
    func csv(text: String, message: String) {
        do {
            _ = try DataSet.labelledCSV(text, classes: 3)
            Issue.record("expected an error for \(text.debugDescription)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("the digits file has a fixed width")
    func digitsWidth() {
        #expect(throws: BackpropError.malformedCSV(line: 1, reason: "the header has 3 columns, expected 65")) {
            try DataSet.labelledCSV("a,b,label\n0,0,1\n", classes: 10, inputCount: 64)
        }
        #expect(throws: BackpropError.self) { try DataSet.digits(contentsOf: "/nonexistent/digits.csv") }
    }

    @Test("CSV with Windows line endings and a trailing newline reads fine")
    func lenientLineEndings() throws {
        let data = try DataSet.labelledCSV("x,label\r\n0.5,1\r\n0.25,0\r\n\r\n", classes: 2)
        #expect(data.count == 2)
        #expect(data[0].y == [0, 1])
    }

    @Test("NaN and ∞ in inputs are rejected")
    func nonFinite() throws {
        let network = try Network(sizes: [2, 2], activation: .sigmoid, seed: 1)
        #expect(throws: BackpropError.nonFinite(location: "input x, component 1")) { try network.feedforward([0, .nan]) }
        #expect(throws: BackpropError.nonFinite(location: "target y, component 0")) { try network.backprop([0, 1], [.infinity, 0]) }
        #expect(throws: BackpropError.nonFinite(location: "input 1 of sample 0")) {
            try DataSet(samples: [(x: [0, .infinity], y: [1])])
        }
        #expect(throws: BackpropError.self) {
            try Network(sizes: [1, 1], activations: [.identity], weights: [Matrix(rows: 1, columns: 1, repeating: .nan)], biases: [[0]])
        }
    }

    @Test("empty data sets and impossible architectures are rejected")
    func empty() throws {
        #expect(throws: BackpropError.emptyDataSet("no samples")) { try DataSet(samples: []) }
        #expect(throws: BackpropError.self) { try DataSet.xor.split(at: 4) }
        #expect(throws: BackpropError.self) { try Network(sizes: [3], activations: [], seed: 1) }
        #expect(throws: BackpropError.self) { try Network(sizes: [3, 0, 1], activation: .sigmoid, seed: 1) }
        #expect(throws: BackpropError.self) { try Network(sizes: [3, 2], activations: [.relu, .relu], seed: 1) }
    }

    @Test("sizes that do not fit the network are rejected")
    func mismatchedSizes() throws {
        var network = try Network(sizes: [2, 3, 1], activation: .sigmoid, seed: 1)
        #expect(throws: BackpropError.dimensionMismatch(operation: "input x", expected: "2 components", found: "3")) {
            try network.feedforward([1, 2, 3])
        }
        #expect(throws: BackpropError.self) { try network.backprop([1, 2], [1, 0]) }
        let wide = try DataSet(samples: [(x: [1, 2, 3], y: [1])])
        #expect(throws: BackpropError.self) { try network.accuracy(on: wide) }
        #expect(throws: BackpropError.self) { try SGD(eta: 1, batchSize: 1, epochs: 1).train(&network, on: wide) }
        #expect(throws: BackpropError.self) { try network.setParameters(layer: 2, weights: Matrix(rows: 2, columns: 2), biases: [0, 0]) }
    }

    @Test("impossible hyperparameters are rejected, and divergence is reported")
    func hyperparameters() throws {
        var network = try Network(sizes: [2, 3, 1], activation: .sigmoid, seed: 1)
        for sgd in [SGD(eta: 0, batchSize: 1, epochs: 1), SGD(eta: 1, batchSize: 0, epochs: 1),
                    SGD(eta: 1, batchSize: 1, epochs: 1, lambda: -1), SGD(eta: 1, batchSize: 1, epochs: 1, momentum: 1)] {
            #expect(throws: BackpropError.self) { try sgd.train(&network, on: .xor) }
        }
        var linear = try Network(sizes: [2, 1], activation: .identity, seed: 1)
        let data = try DataSet.noisyLinear(count: 50, seed: 1)
        #expect(throws: BackpropError.self) { try SGD(eta: 1e6, batchSize: 5, epochs: 50).train(&linear, on: data) }
    }
}
