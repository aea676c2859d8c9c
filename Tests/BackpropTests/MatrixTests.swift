@testable import Backprop
import Dispatch
import Synchronization
import Testing

@Suite("Matrix and Vector: the products backpropagation needs")
struct MatrixTests {
    static func random(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
        var random = Random(seed: seed)
        return try! Matrix(rows: rows, columns: columns, elements: (0..<rows * columns).map { _ in random.uniform(in: -1, 1) })
    }

    /// The textbook triple loop.
    static func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
        var c = Matrix(rows: a.rows, columns: b.columns)
        for i in 0..<a.rows {
            for j in 0..<b.columns {
                var sum = 0.0
                for p in 0..<a.columns { sum += a[i, p] * b[p, j] }
                c[i, j] = sum
            }
        }
        return c
    }

    @Test("the blocked GEMM agrees with the triple loop, for every transpose and ragged edges",
          arguments: [(1, 1, 1), (5, 7, 3), (6, 8, 16), (13, 17, 9), (30, 10, 64), (100, 37, 600), (7, 530, 1030)])
    func gemmMatchesNaive(m: Int, n: Int, k: Int) throws {
        let a = Self.random(m, k, seed: 1), b = Self.random(k, n, seed: 2)
        let expected = Self.naiveProduct(a, b)
        let tolerance = 1e-13 * Double(k)
        #expect(try (a * b).maxAbsoluteDifference(expected) < tolerance)
        #expect(try a.transposed.transposedTimes(b).maxAbsoluteDifference(expected) < tolerance)
        #expect(try a.timesTransposed(b.transposed).maxAbsoluteDifference(expected) < tolerance)
    }

    @Test("α, β and blocks: C ← α·A·B + β·C, the same bits whole or block by block")
    func gemmAlphaBetaBlocks() {
        let (m, n, k) = (120, 110, 1300)  // k over kcMax: two chunks of the shared dimension
        let a = Self.random(m, k, seed: 3), b = Self.random(k, n, seed: 4), c0 = Self.random(m, n, seed: 5)
        /// C computed as the given blocks of rows × columns, one product each.
        func run(rowBlocks: [Range<Int>], columnBlocks: [Range<Int>]) -> [Double] {
            var c = c0.elements
            let buffers = GEMMBuffers()
            a.elements.withUnsafeBufferPointer { pa in
                b.elements.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        for rows in rowBlocks {
                            for columns in columnBlocks {
                                GEMM.multiply(m: rows.count, n: columns.count, k: k, alpha: -0.5,
                                              a: pa.baseAddress! + rows.lowerBound * k, lda: k, transposeA: false,
                                              b: pb.baseAddress! + columns.lowerBound, ldb: n, transposeB: false,
                                              beta: 0.25, c: pc.baseAddress! + rows.lowerBound * n + columns.lowerBound,
                                              ldc: n, buffers: buffers)
                            }
                        }
                    }
                }
            }
            return c
        }
        let whole = run(rowBlocks: [0..<m], columnBlocks: [0..<n])
        let blocks = run(rowBlocks: [0..<54, 54..<61, 61..<m], columnBlocks: [0..<48, 48..<53, 53..<n])
        #expect(whole.map(\.bitPattern) == blocks.map(\.bitPattern))
        let product = Self.naiveProduct(a, b)
        let expected = zip(product.elements, c0.elements).map { -0.5 * $0 + 0.25 * $1 }
        #expect(zip(whole, expected).allSatisfy { abs($0 - $1) < 1e-11 })
    }

    @Test("B read in place from padded rows and A read through a row table give the packed product's bits",
          arguments: [(50, 100, 784), (17, 41, 33), (100, 10, 100), (9, 3, 1300), (784, 100, 100), (6, 24, 8)])
    func operandsWhereTheyLie(m: Int, n: Int, k: Int) {
        let a = Self.random(m, k, seed: 11), at = Self.random(k, m, seed: 12), b = Self.random(k, n, seed: 13)
        let ld = (n + GEMM.padding - 1) / GEMM.padding * GEMM.padding
        // B's rows padded with NaN: no padding entry may reach C.
        var padded = [Double](repeating: .nan, count: k * ld)
        for p in 0..<k { for j in 0..<n { padded[p * ld + j] = b[p, j] } }
        // A's rows (and Aᵀ's) scattered in reverse order through a larger buffer, 3 columns in.
        func scattered(_ x: Matrix) -> [Double] {
            var out = [Double](repeating: .nan, count: x.rows * (x.columns + 5))
            for r in 0..<x.rows { for c in 0..<x.columns { out[(x.rows - 1 - r) * (x.columns + 5) + 3 + c] = x[r, c] } }
            return out
        }
        let scatteredA = scattered(a), scatteredAT = scattered(at)
        let was = ProductKernel.active
        defer { ProductKernel.active = was }
        for kernel in ProductKernel.runnable {
            ProductKernel.active = kernel
            for transposeA in [false, true] {
                let x = transposeA ? at : a, spread = transposeA ? scatteredAT : scatteredA
                var packed = [Double](repeating: 0, count: m * n), inPlace = packed
                let buffers = GEMMBuffers()
                x.elements.withUnsafeBufferPointer { px in
                    b.elements.withUnsafeBufferPointer { pb in
                        GEMM.multiply(m: m, n: n, k: k, alpha: 0.5, a: px.baseAddress!, lda: x.columns, transposeA: transposeA,
                                      b: pb.baseAddress!, ldb: n, transposeB: false, beta: 0, c: &packed, ldc: n, buffers: buffers)
                    }
                }
                spread.withUnsafeBufferPointer { ps in
                    padded.withUnsafeBufferPointer { pb in
                        let table = (0..<x.rows).map { ps.baseAddress! + (x.rows - 1 - $0) * (x.columns + 5) }
                        table.withUnsafeBufferPointer { pt in
                            GEMM.multiply(m: m, n: n, k: k, alpha: 0.5, a: GEMM.Rows(table: pt.baseAddress!, column: 3),
                                          transposeA: transposeA, b: pb.baseAddress!, ldb: ld, transposeB: false, bPadded: true,
                                          beta: 0, c: &inPlace, ldc: n, buffers: buffers)
                        }
                    }
                }
                let differing = zip(inPlace, packed).filter { $0.bitPattern != $1.bitPattern }.count
                #expect(differing == 0, "\(kernel), transposeA \(transposeA)")
                #expect(!inPlace.contains { $0.isNaN })
            }
        }
    }

    @Test("products on many threads at once share the pooled packing space safely")
    func pooledBuffersAcrossThreads() throws {
        let a = Self.random(70, 300, seed: 6), b = Self.random(300, 50, seed: 7)
        let expected = try a * b
        let results = Mutex<[Matrix]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            for _ in 0..<20 {
                let product = try! a * b
                results.withLock { $0.append(product) }
            }
        }
        let all = results.withLock { $0 }
        #expect(all.count == 320)
        #expect(all.allSatisfy { $0 == expected })
    }

    @Test("matrix–vector, transpose, outer, Hadamard and axpy")
    func smallOperations() throws {
        let w = try Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(try w * [1, 0, -1] == [-2, -2])
        #expect(try w.transposedTimes([1, -1]) == [-3, -3, -3])
        #expect(Matrix.outer([1, 2], [3, 4, 5]) == (try Matrix([[3, 4, 5], [6, 8, 10]])))
        #expect(try ([1, 2, 3] as Vector) ⊙ [4, 5, 6] == [4, 10, 18])
        #expect(try w ⊙ w == (try Matrix([[1, 4, 9], [16, 25, 36]])))
        var v: Vector = [1, 1]
        try v.axpy(2, [3, 4])
        #expect(v == [7, 9])
        var m = w
        try m.axpy(-1, w)
        #expect(m == Matrix(rows: 2, columns: 3))
        #expect(w.transposed == (try Matrix([[1, 4], [2, 5], [3, 6]])))
        #expect(w[1, 2] == 6)
    }

    @Test("operands of the wrong size throw instead of trapping")
    func mismatches() throws {
        let w = try Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(throws: BackpropError.self) { try w * [1, 2] }
        #expect(throws: BackpropError.self) { try w.transposedTimes([1, 2, 3]) }
        #expect(throws: BackpropError.self) { try w * w }
        #expect(throws: BackpropError.self) { try w + w.transposed }
        #expect(throws: BackpropError.self) { try ([1, 2] as Vector) ⊙ [1, 2, 3] }
        #expect(throws: BackpropError.self) { try Matrix(rows: 2, columns: 2, elements: [1, 2, 3]) }
        #expect(throws: BackpropError.self) { try Matrix([[1, 2], [3]]) }
        do {
            _ = try w * [1, 2]
        } catch {
            #expect(error.description == "matrix × vector: expected 3 components, found 2")
        }
    }
}
