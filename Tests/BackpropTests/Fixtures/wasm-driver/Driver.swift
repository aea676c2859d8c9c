/// What `script/engine-wasm-check` runs in WebAssembly: a 2-8-8-1 network trained on XOR from a
/// fixed seed, backpropagation for one sample and for the batch, and a gradient check, with the
/// results exported as numbers.
///
/// The script compiles this file into the engine's module (with `Sources/Backprop/*.swift`), once
/// for wasm32 in Embedded Swift and once natively, calls every export on both and compares the
/// bits. Each export is a public `@_cdecl` function of no arguments that returns a `Double`, on
/// one line as below: the script finds the exports by that pattern.
struct DriverRun {
    /// 0 when every step ran; otherwise the number of the step that threw.
    var failedStep = 0.0
    /// The first uniform draw of `Random(seed: 1)` (no fused multiply-add involved).
    var uniform = Double.nan
    /// The first normal draw after it (`Elementary.log` and a square root).
    var normal = Double.nan
    var exp1 = Double.nan, tanhHalf = Double.nan, log10 = Double.nan
    /// ∂C/∂w^2_01 for the sample (1, 1) alone, and ∂C/∂w^3_25 of the mean over the four samples.
    var sampleGradient = Double.nan, batchGradient = Double.nan
    var checkedParameters = Double.nan, maxRelativeError = Double.nan, maxAbsoluteError = Double.nan
    var costBefore = Double.nan, costAfter = Double.nan, correct = Double.nan
    var weight200 = Double.nan, weight407 = Double.nan, bias40 = Double.nan
    var output1 = Double.nan, output3 = Double.nan
    /// A tanh network with a sigmoid output, trained with cross-entropy, momentum and L2.
    var momentumCostAfter = Double.nan, momentumWeight = Double.nan
    /// The length and FNV-1a hash of the UTF-8 of an error message and of a vector's description,
    /// which prints `Double`s. (Error messages with a `Double` in them leave it out in Embedded
    /// Swift, which writes no floating-point numbers, so none is used here.)
    var messageLength = Double.nan, messageHash = Double.nan

    init() {
        var random = Random(seed: 1)
        uniform = random.uniform()
        normal = random.normal()
        exp1 = Elementary.exp(1)
        tanhHalf = Elementary.tanh(0.5)
        log10 = Elementary.log(10)
        let message = BackpropError.malformedCSV(line: 3, reason: "expected 785 fields, found 2").description
            + " " + Vector([0.1, -2.5, 3e300, 1.0 / 3]).description
        messageLength = Double(message.utf8.count)
        messageHash = Double(message.utf8.reduce(2_166_136_261 as UInt32) { ($0 ^ UInt32($1)) &* 16_777_619 })
        var step = 1.0
        do throws(BackpropError) {
            let data = DataSet.xor
            var network = try Network(sizes: [2, 8, 8, 1], activation: .sigmoid, initializer: .standardNormal,
                                      seed: 1)
            step = 2
            sampleGradient = try network.backprop(data[3].x, data[3].y).gradients.nablaW[2][0, 1]
            step = 3
            batchGradient = try network.backprop(batch: data).gradients.nablaW[3][2, 5]
            step = 4
            let check = try GradientCheck().run(network, on: data)
            checkedParameters = Double(check.parametersChecked)
            maxRelativeError = check.maxRelativeError
            maxAbsoluteError = check.maxAbsoluteError
            step = 5
            costBefore = try network.cost(on: data)
            try SGD(eta: 5, batchSize: 2, epochs: 300, seed: 7).train(&network, on: data)
            costAfter = try network.cost(on: data)
            correct = Double(try network.correctCount(on: data))
            weight200 = network.weights[2][0, 0]
            weight407 = network.weights[4][0, 7]
            bias40 = network.biases[4][0]
            output1 = try network.feedforward(data[1].x)[0]
            output3 = try network.feedforward(data[3].x)[0]
            step = 6
            var tanhNetwork = try Network(sizes: [2, 8, 8, 1], activation: .tanh, outputActivation: .sigmoid,
                                          initializer: .xavier, seed: 43)
            try SGD(eta: 0.3, batchSize: 2, epochs: 100, lambda: 1e-3, momentum: 0.9, seed: 8)
                .train(&tanhNetwork, on: data, cost: .binaryCrossEntropy)
            momentumCostAfter = try tanhNetwork.cost(on: data, cost: .binaryCrossEntropy, lambda: 1e-3)
            momentumWeight = tanhNetwork.weights[3][4, 2]
        } catch {
            failedStep = step
        }
    }
}

/// The run, made on the first call of an export.
let driverRun = DriverRun()

@_expose(wasm, "failed_step") @_cdecl("failed_step") public func failedStep() -> Double { driverRun.failedStep }
@_expose(wasm, "random_uniform") @_cdecl("random_uniform") public func randomUniform() -> Double { driverRun.uniform }
@_expose(wasm, "random_normal") @_cdecl("random_normal") public func randomNormal() -> Double { driverRun.normal }
@_expose(wasm, "exp_1") @_cdecl("exp_1") public func exp1() -> Double { driverRun.exp1 }
@_expose(wasm, "tanh_half") @_cdecl("tanh_half") public func tanhHalf() -> Double { driverRun.tanhHalf }
@_expose(wasm, "log_10") @_cdecl("log_10") public func log10() -> Double { driverRun.log10 }
@_expose(wasm, "sample_gradient") @_cdecl("sample_gradient") public func sampleGradient() -> Double { driverRun.sampleGradient }
@_expose(wasm, "batch_gradient") @_cdecl("batch_gradient") public func batchGradient() -> Double { driverRun.batchGradient }
@_expose(wasm, "check_parameters") @_cdecl("check_parameters") public func checkParameters() -> Double { driverRun.checkedParameters }
@_expose(wasm, "check_max_relative_error") @_cdecl("check_max_relative_error") public func checkMaxRelativeError() -> Double { driverRun.maxRelativeError }
@_expose(wasm, "check_max_absolute_error") @_cdecl("check_max_absolute_error") public func checkMaxAbsoluteError() -> Double { driverRun.maxAbsoluteError }
@_expose(wasm, "xor_cost_before") @_cdecl("xor_cost_before") public func xorCostBefore() -> Double { driverRun.costBefore }
@_expose(wasm, "xor_cost_after") @_cdecl("xor_cost_after") public func xorCostAfter() -> Double { driverRun.costAfter }
@_expose(wasm, "xor_correct") @_cdecl("xor_correct") public func xorCorrect() -> Double { driverRun.correct }
@_expose(wasm, "xor_weight_2_0_0") @_cdecl("xor_weight_2_0_0") public func xorWeight200() -> Double { driverRun.weight200 }
@_expose(wasm, "xor_weight_4_0_7") @_cdecl("xor_weight_4_0_7") public func xorWeight407() -> Double { driverRun.weight407 }
@_expose(wasm, "xor_bias_4_0") @_cdecl("xor_bias_4_0") public func xorBias40() -> Double { driverRun.bias40 }
@_expose(wasm, "xor_output_1") @_cdecl("xor_output_1") public func xorOutput1() -> Double { driverRun.output1 }
@_expose(wasm, "xor_output_3") @_cdecl("xor_output_3") public func xorOutput3() -> Double { driverRun.output3 }
@_expose(wasm, "momentum_cost_after") @_cdecl("momentum_cost_after") public func momentumCostAfter() -> Double { driverRun.momentumCostAfter }
@_expose(wasm, "momentum_weight_3_4_2") @_cdecl("momentum_weight_3_4_2") public func momentumWeight342() -> Double { driverRun.momentumWeight }
@_expose(wasm, "message_length") @_cdecl("message_length") public func messageLength() -> Double { driverRun.messageLength }
@_expose(wasm, "message_hash") @_cdecl("message_hash") public func messageHash() -> Double { driverRun.messageHash }
