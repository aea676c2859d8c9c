#if arch(x86_64) && !hasFeature(Embedded) && canImport(BackpropAVX512)
import BackpropAVX512
import CBackpropCPU
#endif
#if arch(x86_64) && !hasFeature(Embedded) && canImport(BackpropAVX512Emulated)
import BackpropAVX512Emulated
#endif
#if !hasFeature(Embedded)
import Foundation
import Synchronization
#endif

/// The micro-kernels the engine's matrix products can run, by vector width.
///
/// Every kernel computes every entry of a product the same way (a sum from zero of fused
/// multiply-adds in the order of k, then α and β applied by one fused operation): the kernel
/// changes the speed, never a bit of a result. `active` is the widest kind this CPU and its OS
/// run, unless the environment variable `BACKPROP_KERNEL` (`simd4` or `simd8`) or a caller (the
/// determinism tests, the benchmark) chooses another of `runnable`.
public enum ProductKernel: String, CaseIterable, Sendable {
    /// `SIMD4<Double>` in 6 × 8 tiles: AVX2 and FMA on x86-64, two NEON registers a vector on arm64.
    case simd4
    /// `SIMD8<Double>` in 8 × 24 tiles, in 24 of the 32 ZMM registers: AVX-512 on x86-64.
    case simd8

    /// The kernels this CPU and OS can run, narrowest first.
    public static let available: [ProductKernel] = {
        #if arch(x86_64) && !hasFeature(Embedded) && canImport(BackpropAVX512)
        if backprop_cpu_runs_avx512() != 0 { return [.simd4, .simd8] }
        #endif
        return [.simd4]
    }()

    /// The kernels this process can be told to run: `available`, and on x86-64 CPUs without
    /// AVX-512 also `simd8`, as the same source compiled for AVX2 (each `SIMD8<Double>` operation
    /// done as two 256-bit ones). That build is slower than `simd4` and never chosen by itself; it
    /// is there so that tests and `BACKPROP_KERNEL=simd8` check the 8 × 24 tiles, bit for bit,
    /// on any x86-64 machine.
    public static let runnable: [ProductKernel] = {
        #if arch(x86_64) && !hasFeature(Embedded) && canImport(BackpropAVX512Emulated)
        return allCases
        #else
        return available
        #endif
    }()

    /// Whether this kernel runs with the vector width it was written for on this CPU (`simd8`
    /// without AVX-512 runs as two 256-bit halves).
    public var isNative: Bool { Self.available.contains(self) }

    /// The rows and columns of C one tile holds.
    var tile: (rows: Int, columns: Int) {
        switch self {
        case .simd4: return (GEMM.mr, GEMM.nr)
        case .simd8:
            #if arch(x86_64) && !hasFeature(Embedded) && canImport(BackpropAVX512)
            return (BackpropAVX512.GEMMKernel512.mr, BackpropAVX512.GEMMKernel512.nr)
            #else
            return (8, 24) // never run here: `runnable` holds only simd4
            #endif
        }
    }

    /// The kernel an m × n product runs: `active`, unless its larger tiles would compute over a
    /// quarter more padded entries than the 6 × 8 tiles do (a batch of 10, say). Any kernel gives
    /// the same bits, so the choice is free to follow the shape.
    public static func forProduct(rows m: Int, columns n: Int) -> ProductKernel {
        let active = active
        guard active != .simd4 else { return .simd4 }
        func padded(_ kernel: ProductKernel) -> Int {
            let (rows, columns) = kernel.tile
            // The 8 × 24 kernel finishes a product's last columns 8 at a time.
            let step = kernel == .simd8 ? 8 : columns
            return (m + rows - 1) / rows * rows * ((n + step - 1) / step * step)
        }
        return 4 * padded(active) <= 5 * padded(.simd4) ? active : .simd4
    }

    /// What this kernel is, for reports: "512-bit (SIMD8<Double>, 8 × 24 tiles)".
    public var summary: String {
        switch self {
        case .simd4: return "256-bit (SIMD4<Double>, 6 × 8 tiles)"
        case .simd8 where isNative: return "512-bit (SIMD8<Double>, 8 × 24 tiles)"
        case .simd8: return "512-bit tiles (SIMD8<Double>, 8 × 24) compiled for AVX2: this CPU has no AVX-512"
        }
    }

    #if hasFeature(Embedded)
    /// The kernel products use: in Embedded Swift (WebAssembly) always `simd4`.
    public static var active: ProductKernel { .simd4 }
    #else
    /// The kernel products use, where their shape suits it (see `GEMM.multiply`): the widest
    /// available, or `BACKPROP_KERNEL`'s choice. Setting a kernel outside `runnable` is refused.
    public static var active: ProductKernel {
        get { allCases[choice.load(ordering: .relaxed)] }
        set {
            precondition(runnable.contains(newValue), "this build cannot run the \(newValue.summary) kernel")
            choice.store(allCases.firstIndex(of: newValue)!, ordering: .relaxed)
        }
    }

    /// The index of `active` in `allCases`.
    private static let choice: Atomic<Int> = {
        var chosen = available.last!
        if let named = getenv("BACKPROP_KERNEL").map({ String(cString: $0) }), let kernel = ProductKernel(rawValue: named),
           runnable.contains(kernel) {
            chosen = kernel
        }
        return Atomic(allCases.firstIndex(of: chosen)!)
    }()
    #endif
}
