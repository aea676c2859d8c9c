@testable import Backprop
import Testing

/// Every micro-kernel gives the same bits: products and trained weights are compared bit for bit
/// with each kernel forced in turn. On x86-64 that is both, on any CPU: without AVX-512 the 8 × 24
/// tiles run as their AVX2 build (`ProductKernel.runnable`). Serialized, as the kernel is a
/// process-wide switch.
@Suite("Kernels: every vector width gives the same bits", .serialized)
struct KernelTests {
    /// Runs `body` with each kernel this build runs, restoring the one that was active.
    func withEachKernel<T>(_ body: (ProductKernel) throws -> T) rethrows -> [T] {
        let was = ProductKernel.active
        defer { ProductKernel.active = was }
        return try ProductKernel.runnable.map { kernel in
            ProductKernel.active = kernel
            return try body(kernel)
        }
    }

    func matrix(_ rows: Int, _ columns: Int, seed: UInt64) throws -> Matrix {
        var random = Random(seed: seed)
        return try Matrix(rows: rows, columns: columns, elements: (0..<rows * columns).map { _ in random.normal() })
    }

    /// How many entries of `a` and `b` differ in any bit (every one, if their counts differ).
    static func differing(_ a: [[UInt64]], _ b: [[UInt64]]) -> Int {
        a.count == b.count ? zip(a, b).reduce(0) { $0 + differing($1.0, $1.1) } : .max
    }

    static func differing(_ a: [UInt64], _ b: [UInt64]) -> Int {
        a.count == b.count ? zip(a, b).filter { $0 != $1 }.count : .max
    }

    /// Shapes with ragged edges in every direction, chunks of k (over 1024), and the benchmark's.
    static let shapes: [(m: Int, n: Int, k: Int)] = [
        (8, 24, 5), (17, 41, 33), (50, 100, 784), (100, 392, 100), (100, 784, 100), (31, 63, 1500), (64, 17, 9), (9, 200, 3),
    ]

    @Test("products of every shape and transpose are bit-identical under every kernel")
    func productsAgree() throws {
        #if arch(x86_64)
        #expect(ProductKernel.runnable == [.simd4, .simd8], "both kernels are tested on every x86-64 CPU")
        #endif
        if ProductKernel.runnable.contains(.simd8) {
            // The shapes do exercise the wide kernel where there is one.
            let wide = Self.shapes.filter { shape in
                withEachKernel { _ in ProductKernel.forProduct(rows: shape.m, columns: shape.n) }.contains(.simd8)
            }
            #expect(wide.count >= 6, "\(wide)")
        }
        for (index, shape) in Self.shapes.enumerated() {
            let a = try matrix(shape.m, shape.k, seed: UInt64(index)), b = try matrix(shape.k, shape.n, seed: UInt64(index + 100))
            let at = try matrix(shape.k, shape.m, seed: UInt64(index + 200)), bt = try matrix(shape.n, shape.k, seed: UInt64(index + 300))
            let results = try withEachKernel { _ in
                try [a * b, at.transposedTimes(b), a.timesTransposed(bt)].map { $0.elements.map(\.bitPattern) }
            }
            for (kernel, result) in zip(ProductKernel.runnable, results).dropFirst() {
                #expect(Self.differing(result, results[0]) == 0, "\(shape), \(kernel.summary)")
            }
        }
    }

    /// C ← α·A·B + β·C entry by entry as `GEMM` documents it: k cut into chunks of
    /// `GEMM.chunkLength(k)`, each summed from zero by fused multiply-adds in the order of k, then
    /// added by one fused operation (α·sum alone when β is 0 on the first chunk).
    static func documentedProduct(_ a: Matrix, _ b: Matrix, alpha: Double, beta: Double, c: Matrix) -> [Double] {
        let k = a.columns, kc = GEMM.chunkLength(k)
        var result = c.elements
        for i in 0..<a.rows {
            for j in 0..<b.columns {
                var value = result[i * b.columns + j]
                for p0 in stride(from: 0, to: k, by: kc) {
                    var sum = 0.0
                    for p in p0..<min(p0 + kc, k) { sum = sum.addingProduct(a[i, p], b[p, j]) }
                    let scale = p0 == 0 ? beta : 1
                    value = scale == 0 ? alpha * sum : (scale * value).addingProduct(alpha, sum)
                }
                result[i * b.columns + j] = value
            }
        }
        return result
    }

    @Test("every entry is the documented chain of fused multiply-adds, bit for bit, under every kernel",
          arguments: [(7, 13, 127), (13, 9, 129), (50, 100, 784), (9, 30, 1300)])
    func productsFollowTheDocumentedOrder(m: Int, n: Int, k: Int) throws {
        let a = try matrix(m, k, seed: 11), b = try matrix(k, n, seed: 12), c = try matrix(m, n, seed: 13)
        for (alpha, beta) in [(1.0, 0.0), (-0.3, 0.7)] {
            let expected = Self.documentedProduct(a, b, alpha: alpha, beta: beta, c: c).map(\.bitPattern)
            let results = withEachKernel { _ in
                var out = c.elements
                a.elements.withUnsafeBufferPointer { pa in
                    b.elements.withUnsafeBufferPointer { pb in
                        out.withUnsafeMutableBufferPointer { pc in
                            GEMM.multiply(m: m, n: n, k: k, alpha: alpha, a: pa.baseAddress!, lda: k, transposeA: false,
                                          b: pb.baseAddress!, ldb: n, transposeB: false, beta: beta,
                                          c: pc.baseAddress!, ldc: n, buffers: GEMMBuffers())
                        }
                    }
                }
                return out.map(\.bitPattern)
            }
            for (kernel, result) in zip(ProductKernel.runnable, results) {
                #expect(Self.differing(result, expected) == 0, "\(m)×\(n)×\(k), α \(alpha), β \(beta), \(kernel.summary)")
            }
        }
    }

    @Test("trained weights are bit-identical under every kernel and thread count")
    func trainingAgrees() throws {
        let data = try randomData(count: 300, inputs: 784, outputs: 10, oneHot: true, seed: 3)
        let weights = try withEachKernel { kernel in
            try [1, 2].map { threads in
                var network = try Network(sizes: [784, 100, 10], activation: .sigmoid, seed: 7)
                try SGD(eta: 0.5, batchSize: 100, epochs: 2, lambda: 1, momentum: 0.5, seed: 7, threads: threads)
                    .train(&network, on: data)
                return network.allParameters.map(\.bitPattern)
            }
        }
        let reference = weights[0][0]
        for (kernel, runs) in zip(ProductKernel.runnable, weights) {
            for (threads, run) in zip([1, 2], runs) {
                #expect(Self.differing(run, reference) == 0, "\(kernel.summary), \(threads) threads")
            }
        }
        // The 10-sample batches of the digits case keep to the 6 × 8 tiles, by shape.
        #expect(ProductKernel.forProduct(rows: 10, columns: 30) == .simd4)
    }
}
