/// The 512-bit micro-kernels of Backprop's `GEMM`, for CPUs with AVX-512.
///
/// This module is compiled for skylake-avx512 (AVX-512 F, DQ, BW, VL), on its own, because Swift
/// has no per-function target attributes: Backprop calls it only after CPUID and XGETBV say the
/// CPU and the OS can run it. The same file is also the BackpropAVX512Emulated module (a symbolic
/// link), compiled for AVX2, which runs only when told to: it lets the tests check these tiles
/// bit for bit on CPUs without AVX-512. A tile is 8 rows × 24 columns of C in 24 `SIMD8<Double>`
/// accumulators (of the 32 ZMM registers), with the 8 A values broadcast straight from memory into
/// the fused multiply-adds. Tiles with 16 or 8 columns finish a product's last columns.
///
/// Every entry of C is computed exactly as Backprop's 256-bit kernel computes it: a sum from zero
/// of fused multiply-adds in the order of k, then α·sum (β = 0) or α·sum + β·C fused. The vector
/// width changes which entries are computed together, never how one entry is: any kernel gives
/// the same bits.
public enum GEMMKernel512 {
    public static let mr = 8
    public static let nr = 24

    typealias V = SIMD8<Double>

    /// C ← α·(A-sliver · B-sliver) + β·C for the tiles of `rowSlivers` × `columnSlivers`, where op(A)
    /// is packed in slivers of `mr` rows, k-major, `kc` long, and `bSliver(j)` says where the B
    /// values of the sliver at column j start and how many doubles apart those of successive p
    /// are (`nr` when packed, a row of B when read in place).
    public static func tiles(kc: Int, packedA: UnsafePointer<Double>,
                             c: UnsafeMutablePointer<Double>, ldc: Int, alpha: Double, beta: Double,
                             m: Int, n: Int, rowSlivers: Range<Int>, columnSlivers: Range<Int>,
                             bSliver: (Int) -> (start: UnsafePointer<Double>, stride: Int)) {
        for js in columnSlivers {
            let j = js * nr
            let columns = min(nr, n - j)
            let (start, stride) = bSliver(j)
            let b = UnsafeRawPointer(start), bStride = stride * MemoryLayout<Double>.stride
            for ist in rowSlivers {
                let i = ist * mr
                let a = packedA + i * kc, tile = c + i * ldc + j
                let rows = min(mr, m - i)
                if columns > 16 && rows <= 4 {
                    kernel24x4(kc: kc, a: a, b: b, bStride: bStride, c: tile, ldc: ldc, alpha: alpha, beta: beta, rows: rows, columns: columns)
                } else if columns > 16 {
                    kernel24(kc: kc, a: a, b: b, bStride: bStride, c: tile, ldc: ldc, alpha: alpha, beta: beta, rows: rows, columns: columns)
                } else if columns <= 4 {
                    kernel4(kc: kc, a: a, b: b, bStride: bStride, c: tile, ldc: ldc, alpha: alpha, beta: beta, rows: rows, columns: columns)
                } else if columns > 8 {
                    kernel16(kc: kc, a: a, b: b, bStride: bStride, c: tile, ldc: ldc, alpha: alpha, beta: beta, rows: rows, columns: columns)
                } else {
                    kernel8(kc: kc, a: a, b: b, bStride: bStride, c: tile, ldc: ldc, alpha: alpha, beta: beta, rows: rows, columns: columns)
                }
            }
        }
    }

    /// An 8 × 24 tile: three vectors per row.
    @inline(never)
    static func kernel24(kc: Int, a: UnsafePointer<Double>, b: UnsafeRawPointer, bStride: Int, c: UnsafeMutablePointer<Double>,
                         ldc: Int, alpha: Double, beta: Double, rows: Int, columns: Int) {
        var c00 = V(), c01 = V(), c02 = V(), c10 = V(), c11 = V(), c12 = V()
        var c20 = V(), c21 = V(), c22 = V(), c30 = V(), c31 = V(), c32 = V()
        var c40 = V(), c41 = V(), c42 = V(), c50 = V(), c51 = V(), c52 = V()
        var c60 = V(), c61 = V(), c62 = V(), c70 = V(), c71 = V(), c72 = V()
        var pa = a, pb = b
        for _ in 0..<kc {
            let b0 = pb.loadUnaligned(as: V.self)
            let b1 = pb.loadUnaligned(fromByteOffset: 64, as: V.self)
            let b2 = pb.loadUnaligned(fromByteOffset: 128, as: V.self)
            c00 = c00.addingProduct(pa[0], b0); c01 = c01.addingProduct(pa[0], b1); c02 = c02.addingProduct(pa[0], b2)
            c10 = c10.addingProduct(pa[1], b0); c11 = c11.addingProduct(pa[1], b1); c12 = c12.addingProduct(pa[1], b2)
            c20 = c20.addingProduct(pa[2], b0); c21 = c21.addingProduct(pa[2], b1); c22 = c22.addingProduct(pa[2], b2)
            c30 = c30.addingProduct(pa[3], b0); c31 = c31.addingProduct(pa[3], b1); c32 = c32.addingProduct(pa[3], b2)
            c40 = c40.addingProduct(pa[4], b0); c41 = c41.addingProduct(pa[4], b1); c42 = c42.addingProduct(pa[4], b2)
            c50 = c50.addingProduct(pa[5], b0); c51 = c51.addingProduct(pa[5], b1); c52 = c52.addingProduct(pa[5], b2)
            c60 = c60.addingProduct(pa[6], b0); c61 = c61.addingProduct(pa[6], b1); c62 = c62.addingProduct(pa[6], b2)
            c70 = c70.addingProduct(pa[7], b0); c71 = c71.addingProduct(pa[7], b1); c72 = c72.addingProduct(pa[7], b2)
            pa += 8
            pb += bStride
        }
        // Row by row, no further than the tile's `rows` (an array here would be allocated per tile).
        let cells = columns - 16
        if rows > 0 { row3(c, c00, c01, c02, alpha, beta, cells) }
        if rows > 1 { row3(c + ldc, c10, c11, c12, alpha, beta, cells) }
        if rows > 2 { row3(c + 2 * ldc, c20, c21, c22, alpha, beta, cells) }
        if rows > 3 { row3(c + 3 * ldc, c30, c31, c32, alpha, beta, cells) }
        if rows > 4 { row3(c + 4 * ldc, c40, c41, c42, alpha, beta, cells) }
        if rows > 5 { row3(c + 5 * ldc, c50, c51, c52, alpha, beta, cells) }
        if rows > 6 { row3(c + 6 * ldc, c60, c61, c62, alpha, beta, cells) }
        if rows > 7 { row3(c + 7 * ldc, c70, c71, c72, alpha, beta, cells) }
    }

    /// A tile of at most 4 rows × 24 columns, the first half of an 8-row A sliver: half the work
    /// of `kernel24`, for a product's last rows (a batch of 100 shared by two threads is 48 + 52 rows).
    @inline(never)
    static func kernel24x4(kc: Int, a: UnsafePointer<Double>, b: UnsafeRawPointer, bStride: Int, c: UnsafeMutablePointer<Double>,
                           ldc: Int, alpha: Double, beta: Double, rows: Int, columns: Int) {
        var c00 = V(), c01 = V(), c02 = V(), c10 = V(), c11 = V(), c12 = V()
        var c20 = V(), c21 = V(), c22 = V(), c30 = V(), c31 = V(), c32 = V()
        var pa = a, pb = b
        for _ in 0..<kc {
            let b0 = pb.loadUnaligned(as: V.self)
            let b1 = pb.loadUnaligned(fromByteOffset: 64, as: V.self)
            let b2 = pb.loadUnaligned(fromByteOffset: 128, as: V.self)
            c00 = c00.addingProduct(pa[0], b0); c01 = c01.addingProduct(pa[0], b1); c02 = c02.addingProduct(pa[0], b2)
            c10 = c10.addingProduct(pa[1], b0); c11 = c11.addingProduct(pa[1], b1); c12 = c12.addingProduct(pa[1], b2)
            c20 = c20.addingProduct(pa[2], b0); c21 = c21.addingProduct(pa[2], b1); c22 = c22.addingProduct(pa[2], b2)
            c30 = c30.addingProduct(pa[3], b0); c31 = c31.addingProduct(pa[3], b1); c32 = c32.addingProduct(pa[3], b2)
            pa += 8
            pb += bStride
        }
        let cells = columns - 16
        if rows > 0 { row3(c, c00, c01, c02, alpha, beta, cells) }
        if rows > 1 { row3(c + ldc, c10, c11, c12, alpha, beta, cells) }
        if rows > 2 { row3(c + 2 * ldc, c20, c21, c22, alpha, beta, cells) }
        if rows > 3 { row3(c + 3 * ldc, c30, c31, c32, alpha, beta, cells) }
    }

    /// One row of a 24-column tile, the last vector's first `cells` entries.
    @inline(__always)
    static func row3(_ row: UnsafeMutablePointer<Double>, _ v0: V, _ v1: V, _ v2: V, _ alpha: Double, _ beta: Double, _ cells: Int) {
        store(row, v0, alpha: alpha, beta: beta, columns: 8)
        store(row + 8, v1, alpha: alpha, beta: beta, columns: 8)
        store(row + 16, v2, alpha: alpha, beta: beta, columns: cells)
    }

    /// An 8 × 16 tile, reading the first 16 columns of a 24-column sliver.
    @inline(never)
    static func kernel16(kc: Int, a: UnsafePointer<Double>, b: UnsafeRawPointer, bStride: Int, c: UnsafeMutablePointer<Double>,
                         ldc: Int, alpha: Double, beta: Double, rows: Int, columns: Int) {
        var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V(), c30 = V(), c31 = V()
        var c40 = V(), c41 = V(), c50 = V(), c51 = V(), c60 = V(), c61 = V(), c70 = V(), c71 = V()
        var pa = a, pb = b
        for _ in 0..<kc {
            let b0 = pb.loadUnaligned(as: V.self)
            let b1 = pb.loadUnaligned(fromByteOffset: 64, as: V.self)
            c00 = c00.addingProduct(pa[0], b0); c01 = c01.addingProduct(pa[0], b1)
            c10 = c10.addingProduct(pa[1], b0); c11 = c11.addingProduct(pa[1], b1)
            c20 = c20.addingProduct(pa[2], b0); c21 = c21.addingProduct(pa[2], b1)
            c30 = c30.addingProduct(pa[3], b0); c31 = c31.addingProduct(pa[3], b1)
            c40 = c40.addingProduct(pa[4], b0); c41 = c41.addingProduct(pa[4], b1)
            c50 = c50.addingProduct(pa[5], b0); c51 = c51.addingProduct(pa[5], b1)
            c60 = c60.addingProduct(pa[6], b0); c61 = c61.addingProduct(pa[6], b1)
            c70 = c70.addingProduct(pa[7], b0); c71 = c71.addingProduct(pa[7], b1)
            pa += 8
            pb += bStride
        }
        let cells = columns - 8
        if rows > 0 { row2(c, c00, c01, alpha, beta, cells) }
        if rows > 1 { row2(c + ldc, c10, c11, alpha, beta, cells) }
        if rows > 2 { row2(c + 2 * ldc, c20, c21, alpha, beta, cells) }
        if rows > 3 { row2(c + 3 * ldc, c30, c31, alpha, beta, cells) }
        if rows > 4 { row2(c + 4 * ldc, c40, c41, alpha, beta, cells) }
        if rows > 5 { row2(c + 5 * ldc, c50, c51, alpha, beta, cells) }
        if rows > 6 { row2(c + 6 * ldc, c60, c61, alpha, beta, cells) }
        if rows > 7 { row2(c + 7 * ldc, c70, c71, alpha, beta, cells) }
    }

    /// One row of a 16-column tile, the last vector's first `cells` entries.
    @inline(__always)
    static func row2(_ row: UnsafeMutablePointer<Double>, _ v0: V, _ v1: V, _ alpha: Double, _ beta: Double, _ cells: Int) {
        store(row, v0, alpha: alpha, beta: beta, columns: 8)
        store(row + 8, v1, alpha: alpha, beta: beta, columns: cells)
    }

    /// An 8 × 8 tile, reading the first 8 columns of a 24-column sliver.
    @inline(never)
    static func kernel8(kc: Int, a: UnsafePointer<Double>, b: UnsafeRawPointer, bStride: Int, c: UnsafeMutablePointer<Double>,
                        ldc: Int, alpha: Double, beta: Double, rows: Int, columns: Int) {
        var c0 = V(), c1 = V(), c2 = V(), c3 = V(), c4 = V(), c5 = V(), c6 = V(), c7 = V()
        var pa = a, pb = b
        for _ in 0..<kc {
            let b0 = pb.loadUnaligned(as: V.self)
            c0 = c0.addingProduct(pa[0], b0); c1 = c1.addingProduct(pa[1], b0)
            c2 = c2.addingProduct(pa[2], b0); c3 = c3.addingProduct(pa[3], b0)
            c4 = c4.addingProduct(pa[4], b0); c5 = c5.addingProduct(pa[5], b0)
            c6 = c6.addingProduct(pa[6], b0); c7 = c7.addingProduct(pa[7], b0)
            pa += 8
            pb += bStride
        }
        if rows > 0 { store(c, c0, alpha: alpha, beta: beta, columns: columns) }
        if rows > 1 { store(c + ldc, c1, alpha: alpha, beta: beta, columns: columns) }
        if rows > 2 { store(c + 2 * ldc, c2, alpha: alpha, beta: beta, columns: columns) }
        if rows > 3 { store(c + 3 * ldc, c3, alpha: alpha, beta: beta, columns: columns) }
        if rows > 4 { store(c + 4 * ldc, c4, alpha: alpha, beta: beta, columns: columns) }
        if rows > 5 { store(c + 5 * ldc, c5, alpha: alpha, beta: beta, columns: columns) }
        if rows > 6 { store(c + 6 * ldc, c6, alpha: alpha, beta: beta, columns: columns) }
        if rows > 7 { store(c + 7 * ldc, c7, alpha: alpha, beta: beta, columns: columns) }
    }

    /// An 8 × 4 tile in 256-bit vectors, reading the first 4 columns of a sliver: a product's last
    /// columns when they are 4 or fewer (100 = 4 · 24 + 4), at half the cost of `kernel8` on CPUs
    /// that split 512-bit operations in two.
    @inline(never)
    static func kernel4(kc: Int, a: UnsafePointer<Double>, b: UnsafeRawPointer, bStride: Int, c: UnsafeMutablePointer<Double>,
                        ldc: Int, alpha: Double, beta: Double, rows: Int, columns: Int) {
        typealias Q = SIMD4<Double>
        var c0 = Q(), c1 = Q(), c2 = Q(), c3 = Q(), c4 = Q(), c5 = Q(), c6 = Q(), c7 = Q()
        var pa = a, pb = b
        for _ in 0..<kc {
            let b0 = pb.loadUnaligned(as: Q.self)
            c0 = c0.addingProduct(pa[0], b0); c1 = c1.addingProduct(pa[1], b0)
            c2 = c2.addingProduct(pa[2], b0); c3 = c3.addingProduct(pa[3], b0)
            c4 = c4.addingProduct(pa[4], b0); c5 = c5.addingProduct(pa[5], b0)
            c6 = c6.addingProduct(pa[6], b0); c7 = c7.addingProduct(pa[7], b0)
            pa += 8
            pb += bStride
        }
        if rows > 0 { store(c, c0, alpha: alpha, beta: beta, columns: columns) }
        if rows > 1 { store(c + ldc, c1, alpha: alpha, beta: beta, columns: columns) }
        if rows > 2 { store(c + 2 * ldc, c2, alpha: alpha, beta: beta, columns: columns) }
        if rows > 3 { store(c + 3 * ldc, c3, alpha: alpha, beta: beta, columns: columns) }
        if rows > 4 { store(c + 4 * ldc, c4, alpha: alpha, beta: beta, columns: columns) }
        if rows > 5 { store(c + 5 * ldc, c5, alpha: alpha, beta: beta, columns: columns) }
        if rows > 6 { store(c + 6 * ldc, c6, alpha: alpha, beta: beta, columns: columns) }
        if rows > 7 { store(c + 7 * ldc, c7, alpha: alpha, beta: beta, columns: columns) }
    }

    /// A vector's worth of a row: C[0..<columns] ← α·value + β·C, as the 256-bit kernel stores them.
    @inline(__always)
    static func store<W: SIMD>(_ c: UnsafeMutablePointer<Double>, _ value: W, alpha: Double, beta: Double, columns: Int)
    where W.Scalar == Double {
        if columns == W.scalarCount {
            let row = UnsafeMutableRawPointer(c)
            if beta == 0 {
                row.storeBytes(of: alpha * value, as: W.self)
            } else {
                row.storeBytes(of: (beta * row.loadUnaligned(as: W.self)).addingProduct(alpha, value), as: W.self)
            }
            return
        }
        for j in 0..<columns {
            c[j] = beta == 0 ? alpha * value[j] : (beta * c[j]).addingProduct(alpha, value[j])
        }
    }

    /// GEMM's peak on this CPU: `n` rounds of 24 independent c ← c + a·b on eight lanes each (384
    /// flops per round), with no memory traffic; the result keeps the work from being removed.
    @inline(never)
    public static func peakFusedMultiplyAdds(_ n: Int, _ a: Double, _ b: Double) -> Double {
        let (va, vb) = (V(repeating: a), V(repeating: b))
        var c = (V(), V(), V(), V(), V(), V(), V(), V(), V(), V(), V(), V())
        var d = (V(), V(), V(), V(), V(), V(), V(), V(), V(), V(), V(), V())
        for _ in 0..<n {
            c.0 = c.0.addingProduct(va, vb); c.1 = c.1.addingProduct(va, vb); c.2 = c.2.addingProduct(va, vb)
            c.3 = c.3.addingProduct(va, vb); c.4 = c.4.addingProduct(va, vb); c.5 = c.5.addingProduct(va, vb)
            c.6 = c.6.addingProduct(va, vb); c.7 = c.7.addingProduct(va, vb); c.8 = c.8.addingProduct(va, vb)
            c.9 = c.9.addingProduct(va, vb); c.10 = c.10.addingProduct(va, vb); c.11 = c.11.addingProduct(va, vb)
            d.0 = d.0.addingProduct(va, vb); d.1 = d.1.addingProduct(va, vb); d.2 = d.2.addingProduct(va, vb)
            d.3 = d.3.addingProduct(va, vb); d.4 = d.4.addingProduct(va, vb); d.5 = d.5.addingProduct(va, vb)
            d.6 = d.6.addingProduct(va, vb); d.7 = d.7.addingProduct(va, vb); d.8 = d.8.addingProduct(va, vb)
            d.9 = d.9.addingProduct(va, vb); d.10 = d.10.addingProduct(va, vb); d.11 = d.11.addingProduct(va, vb)
        }
        let s = ((c.0 + c.1) + (c.2 + c.3)) + ((c.4 + c.5) + (c.6 + c.7)) + ((c.8 + c.9) + (c.10 + c.11))
        let t = ((d.0 + d.1) + (d.2 + d.3)) + ((d.4 + d.5) + (d.6 + d.7)) + ((d.8 + d.9) + (d.10 + d.11))
        return (s + t).sum()
    }
}
