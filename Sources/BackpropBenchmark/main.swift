import Backprop
import Dispatch
import Foundation

// The Swift side of script/bench-backprop: trains with mini-batch SGD and prints samples per
// second. Usage: backprop-benchmark [digits.csv] [--quick] [--one-thread] [--only=a|b]
//   (a) 64-30-10 sigmoid on the first 1,500 digits, batch 10, η = 3, quadratic cost;
//   (b) 784-100-10 sigmoid on 60,000 synthetic samples, batch 100, η = 3, quadratic cost.
// Each case runs a few times after a warm-up run. The script reads the lines "RUN <case>
// <samples/s>" of the timed runs, "RESULT <case> <median samples/s> <flops per sample>", and
// "PEAK <GFLOP/s>", the machine's peak measured on as many threads as training uses with the
// widest fused multiply-adds the CPU has, and "CPU <model>; kernels …; selected <kernel>".
// BACKPROP_KERNEL=simd4 forces the 256-bit kernel on an AVX-512 machine; --kernels compares the
// kernels on (b)'s products instead.

let arguments = CommandLine.arguments.dropFirst()
let quick = arguments.contains("--quick")
let threads = arguments.contains("--one-thread") ? 1 : SGD.defaultThreads
let only = arguments.first { $0.hasPrefix("--only=") }.map { String($0.dropFirst(7)) }
let digitsPath = arguments.first { !$0.hasPrefix("--") } ?? "notes/data/digits.csv"

/// Multiply-adds ×2 per training sample: forward and BP4 for every layer, BP2 for all but the first.
func flopsPerSample(_ sizes: [Int]) -> Double {
    var flops = 0.0
    for l in 1..<sizes.count {
        let product = Double(sizes[l] * sizes[l - 1])
        flops += 2 * product * (l == 1 ? 2 : 3)
    }
    return flops
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func run(name: String, sizes: [Int], data: DataSet, batchSize: Int, epochs: Int, repeats: Int) throws {
    var rates: [Double] = []
    for round in 0...repeats {
        var network = try Network(sizes: sizes, activation: .sigmoid, initializer: .scaledNormal, seed: 1)
        let sgd = SGD(eta: 3.0, batchSize: batchSize, epochs: epochs, seed: UInt64(round), threads: threads)
        let time = try seconds { try sgd.train(&network, on: data) }
        let rate = Double(epochs * data.count) / time
        if round > 0 {  // round 0 warms up
            rates.append(rate)
            print("RUN \(name) \(String(format: "%.1f", rate))")
        }
        let accuracy = try network.accuracy(on: data)
        print("  \(name) run \(round): \(String(format: "%.0f", rate)) samples/s, training accuracy \(String(format: "%.3f", accuracy))")
    }
    let median = rates.sorted()[rates.count / 2]
    print("RESULT \(name) \(String(format: "%.1f", median)) \(flopsPerSample(sizes))")
}

/// With `--kernels`: the products of case (b) on one thread under each kernel, alternating, and
/// each kernel's median GFLOP/s and its ratio to the 256-bit kernel's, measured in this process.
func compareKernels() throws {
    var random = Random(seed: 1)
    func matrix(_ rows: Int, _ columns: Int) throws -> Matrix {
        try Matrix(rows: rows, columns: columns, elements: (0..<rows * columns).map { _ in random.normal() })
    }
    // (b)'s forward pass of a thread's 50 samples, Z = A¹ (w²)ᵀ, and BP4 on a thread's half of
    // (w²)ᵀ (392 of its rows), (A¹)ᵀ Δ², the products in the orientation training runs them (training
    // also reads (w²)ᵀ in place, where these pack it).
    let x = try matrix(50, 784), wT = try matrix(784, 100), delta = try matrix(100, 100), a = try matrix(100, 392)
    let products: [(String, () throws -> Matrix, Double)] = [
        ("forward 50x784 * 784x100", { try x * wT }, 2.0 * 50 * 784 * 100),
        ("BP4 (100x392)^T * 100x100", { try a.transposedTimes(delta) }, 2.0 * 100 * 100 * 392),
    ]
    let was = ProductKernel.active
    for (name, product, flops) in products {
        var rates: [ProductKernel: [Double]] = [:]
        for _ in 0..<15 {
            for kernel in ProductKernel.available {
                ProductKernel.active = kernel
                let repeats = 200
                let time = try seconds { for _ in 0..<repeats { _ = try product() } }
                rates[kernel, default: []].append(Double(repeats) * flops / time / 1e9)
            }
        }
        let median = rates.mapValues { $0.sorted()[$0.count / 2] }
        for kernel in ProductKernel.available {
            print("KERNEL \(name): \(kernel.rawValue) \(String(format: "%.1f", median[kernel]!)) GFLOP/s, "
                  + "\(String(format: "%.2f", median[kernel]! / median[.simd4]!))x the 256-bit kernel")
        }
    }
    ProductKernel.active = was
}

do {
    if arguments.contains("--kernels") {
        try compareKernels()
        exit(0)
    }
    let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n")
        .first { $0.hasPrefix("model name") }.map { $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) }
    print("CPU \(cpu ?? "unknown"); kernels \(ProductKernel.available.map(\.rawValue).joined(separator: ", ")); "
          + "selected \(ProductKernel.active.rawValue): \(ProductKernel.active.summary)")
    print("PEAK \(String(format: "%.1f", Peak.measure(threads: threads)))")
    if only == nil || only == "a" {
    let digits = try DataSet.digits(contentsOf: digitsPath).samples(0..<1500)
    try run(name: "a", sizes: [64, 30, 10], data: digits, batchSize: 10, epochs: quick ? 5 : 60, repeats: quick ? 1 : 5)
    }
    if only == nil || only == "b" {
    let synthetic = try SyntheticData.make(count: 60_000)
    try run(name: "b", sizes: [784, 100, 10], data: synthetic, batchSize: 100, epochs: 1, repeats: quick ? 1 : 4)
    }
} catch {
    print("error: \(error)")
    exit(1)
}
