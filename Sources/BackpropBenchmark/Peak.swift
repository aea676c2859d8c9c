import Backprop
import Dispatch
#if arch(x86_64) && canImport(BackpropAVX512)
import BackpropAVX512
#endif

/// The machine's double-precision peak as this program can reach it: every thread runs
/// independent chains of fused multiply-adds with no memory traffic, on the widest vectors the
/// CPU runs (24 chains of `SIMD8<Double>` with AVX-512, else twelve of `SIMD4<Double>`): the best
/// that any kernel of the engine could do.
enum Peak {
    typealias V = SIMD4<Double>

    /// GFLOP/s of `threads` threads running fused multiply-adds at once, the best of three tries.
    static func measure(threads: Int) -> Double {
        let iterations = 20_000_000
        #if arch(x86_64) && canImport(BackpropAVX512)
        let wide = ProductKernel.available.contains(.simd8)
        #else
        let wide = false
        #endif
        // Twelve SIMD4 chains a round, or 24 SIMD8 chains a round for half as many rounds.
        let flops = Double(threads * iterations * 12 * 8 * (wide ? 2 : 1))
        var best = 0.0
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                #if arch(x86_64) && canImport(BackpropAVX512)
                if wide {
                    precondition(GEMMKernel512.peakFusedMultiplyAdds(iterations / 2, 1 + 0x1p-30, 1 - 0x1p-30).isFinite)
                    return
                }
                #endif
                let sum = fusedMultiplyAdds(iterations, V(repeating: 1 + 0x1p-30), V(repeating: 1 - 0x1p-30))
                precondition(sum[0].isFinite)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = max(best, flops / seconds / 1e9)
        }
        return best
    }

    /// `n` rounds of twelve independent c ← c + a·b on four lanes each (96 flops per round).
    @inline(never)
    static func fusedMultiplyAdds(_ n: Int, _ a: V, _ b: V) -> V {
        var c0 = V(), c1 = V(), c2 = V(), c3 = V(), c4 = V(), c5 = V()
        var c6 = V(), c7 = V(), c8 = V(), c9 = V(), c10 = V(), c11 = V()
        for _ in 0..<n {
            c0 = c0.addingProduct(a, b); c1 = c1.addingProduct(a, b); c2 = c2.addingProduct(a, b)
            c3 = c3.addingProduct(a, b); c4 = c4.addingProduct(a, b); c5 = c5.addingProduct(a, b)
            c6 = c6.addingProduct(a, b); c7 = c7.addingProduct(a, b); c8 = c8.addingProduct(a, b)
            c9 = c9.addingProduct(a, b); c10 = c10.addingProduct(a, b); c11 = c11.addingProduct(a, b)
        }
        return ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11))
    }
}
