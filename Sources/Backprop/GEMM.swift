#if arch(x86_64) && !hasFeature(Embedded) && canImport(BackpropAVX512)
import BackpropAVX512
#endif
#if arch(x86_64) && !hasFeature(Embedded) && canImport(BackpropAVX512Emulated)
import BackpropAVX512Emulated
#endif

/// The general matrix product C ← α·op(A)·op(B) + β·C on row-major storage, where op(X) is X
/// or its transpose.
///
/// The structure is BLIS's (Van Zee and van de Geijn, 2015): the operands are copied ("packed")
/// into contiguous slivers, op(A) in slivers of `mr` = 6 rows and op(B) in slivers of `nr` = 8
/// columns, and a micro-kernel keeps a 6 × 8 block of C in twelve `SIMD4<Double>` registers
/// while it streams through the shared dimension with fused multiply-adds. The shared dimension
/// is cut into chunks of at most `kcMax`, the length of a chunk depending only on k, so every
/// entry of C is summed in the same order whatever the machine, and whichever rows or columns of
/// C a call computes: callers share a product between threads by cutting C into blocks.
///
/// Within a chunk, the 256-bit kernel takes k in blocks of at most `kernelBlock` steps: each
/// block of a B sliver stays in the L1 cache while every A sliver passes it, and a tile's running
/// sums wait in `GEMMBuffers.sums`, stored and reloaded exactly, until the next block continues
/// them. Blocking changes where the sums wait, never how one is computed.
///
/// On CPUs with AVX-512 a wider kernel (`ProductKernel.simd8`, in the BackpropAVX512 module) takes
/// 8 × 24 tiles of `SIMD8<Double>`, packed 8 rows and 24 columns at a time. It computes each entry
/// as this one does, so which kernel ran never shows in the bits. Elsewhere on x86-64 the same
/// kernel, compiled for AVX2 (BackpropAVX512Emulated), runs when `ProductKernel.active` says so.
enum GEMM {
    static let mr = 6
    static let nr = 8
    static let kcMax = 1024
    /// The most steps of k the 256-bit kernel takes on one tile before the next tile of its column
    /// sliver: 128 rows of a B sliver are 8 KiB, a quarter of a small L1 data cache.
    static let kernelBlock = 128

    /// C ← α·op(A)·op(B) + β·C with op(A) m × k, op(B) k × n and C m × n, all row-major with
    /// leading dimensions `lda`, `ldb`, `ldc`. With β = 0, C is not read.
    ///
    /// `bPadded` says that B is not transposed and each of its rows can be read up to the next
    /// multiple of `padding` columns past n (whatever those entries hold, they reach no entry of
    /// C): the micro-kernel then reads B where it lies, row after row, instead of packing it.
    static func multiply(
        m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, transposeA: Bool,
        b: UnsafePointer<Double>, ldb: Int, transposeB: Bool, bPadded: Bool = false,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int,
        buffers: GEMMBuffers
    ) {
        multiply(m: m, n: n, k: k, alpha: alpha, a: Rows(a, ld: lda), transposeA: transposeA,
                 b: b, ldb: ldb, transposeB: transposeB, bPadded: bPadded, beta: beta, c: c, ldc: ldc, buffers: buffers)
    }

    /// `multiply` with A's rows wherever `a` says they are.
    static func multiply(
        m: Int, n: Int, k: Int, alpha: Double,
        a: Rows, transposeA: Bool,
        b: UnsafePointer<Double>, ldb: Int, transposeB: Bool, bPadded: Bool = false,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int,
        buffers: GEMMBuffers
    ) {
        guard m > 0 && n > 0 else { return }
        if k == 0 || alpha == 0 {
            scale(c, rows: m, columns: n, ldc: ldc, by: beta)
            return
        }
        let kc = chunkLength(k)
        let kernel = ProductKernel.forProduct(rows: m, columns: n)
        let (mr, nr) = kernel.tile
        let aSlivers = (m + mr - 1) / mr, bSlivers = (n + nr - 1) / nr
        let inPlace = bPadded && !transposeB
        buffers.reserve(a: aSlivers * mr * kc, b: inPlace ? 0 : bSlivers * nr * kc,
                        sums: kernel == .simd4 && kc > kernelBlock ? aSlivers * mr * nr : 0)
        for pc in stride(from: 0, to: k, by: kc) {
            let x = Operands(a: a, transposeA: transposeA, b: b, ldb: ldb, transposeB: transposeB,
                             c: c, ldc: ldc, alpha: alpha, beta: pc == 0 ? beta : 1,
                             m: m, n: n, k0: pc, kc: min(kc, k - pc), mr: mr, nr: nr,
                             packedA: buffers.a, packedB: buffers.b, bInPlace: inPlace, sums: buffers.sums)
            packA(x, slivers: 0..<aSlivers)
            if !inPlace { packB(x, slivers: 0..<bSlivers) }
            tiles(x, kernel: kernel, rowSlivers: 0..<aSlivers, columnSlivers: 0..<bSlivers)
        }
    }

    /// The length of each chunk of the shared dimension: as even as possible, at most `kcMax`.
    static func chunkLength(_ k: Int) -> Int {
        let chunks = (k + kcMax - 1) / kcMax
        return (k + chunks - 1) / chunks
    }

    /// The operands of one chunk k0..<k0+kc of the shared dimension, and where they are packed.
    struct Operands {
        let a: Rows, transposeA: Bool
        let b: UnsafePointer<Double>, ldb: Int, transposeB: Bool
        let c: UnsafeMutablePointer<Double>, ldc: Int
        let alpha: Double, beta: Double
        let m: Int, n: Int, k0: Int, kc: Int
        /// The rows of an A sliver and the columns of a B sliver: the kernel's tile.
        let mr: Int, nr: Int
        let packedA: UnsafeMutablePointer<Double>, packedB: UnsafeMutablePointer<Double>
        /// Whether the kernel reads B's rows in place rather than packed slivers.
        let bInPlace: Bool
        /// Room for the running sums of one column sliver's tiles, `mr × nr` per row sliver,
        /// when the 256-bit kernel takes the chunk in more than one block.
        let sums: UnsafeMutablePointer<Double>

        /// Where the kernel finds op(B)[k0, j] for the sliver starting at column j, and how many
        /// doubles on it finds the next p.
        func bSliver(_ j: Int) -> (start: UnsafePointer<Double>, stride: Int) {
            bInPlace ? (b + k0 * ldb + j, ldb) : (UnsafePointer(packedB + j * kc), nr)
        }
    }

    /// Whether `simd8` runs the AVX-512 build of its kernel (else the AVX2 build of the same source).
    static let wideIsNative = ProductKernel.simd8.isNative

    /// The padding `multiply`'s `bPadded` asks for: every kernel reads B in groups of 8 columns.
    static let padding = 8

    /// Runs the micro-kernel on the tiles of the given row and column slivers, column by column
    /// and block of k by block, so that each block of a B sliver stays in the L1 cache while the
    /// A slivers stream past.
    static func tiles(_ x: Operands, kernel: ProductKernel, rowSlivers: Range<Int>, columnSlivers: Range<Int>) {
        #if arch(x86_64) && !hasFeature(Embedded) && canImport(BackpropAVX512)
        if kernel == .simd8 && wideIsNative {
            return BackpropAVX512.GEMMKernel512.tiles(
                kc: x.kc, packedA: x.packedA, c: x.c, ldc: x.ldc, alpha: x.alpha, beta: x.beta, m: x.m, n: x.n,
                rowSlivers: rowSlivers, columnSlivers: columnSlivers, bSliver: x.bSliver)
        }
        #endif
        #if arch(x86_64) && !hasFeature(Embedded) && canImport(BackpropAVX512Emulated)
        if kernel == .simd8 {
            return BackpropAVX512Emulated.GEMMKernel512.tiles(
                kc: x.kc, packedA: x.packedA, c: x.c, ldc: x.ldc, alpha: x.alpha, beta: x.beta, m: x.m, n: x.n,
                rowSlivers: rowSlivers, columnSlivers: columnSlivers, bSliver: x.bSliver)
        }
        #endif
        let blocks = (x.kc + kernelBlock - 1) / kernelBlock
        let kb = (x.kc + blocks - 1) / blocks
        /// The tile of row sliver `ist` and the column sliver at `j`, steps p0..<p0+steps of k.
        @inline(__always)
        func tile(_ ist: Int, _ j: Int, _ b: UnsafePointer<Double>, _ bStride: Int, p0: Int, steps: Int,
                  resume: Bool, park: Bool) {
            let i = ist * mr
            Self.kernel(kc: steps, a: x.packedA + i * x.kc + p0 * mr, b: b + p0 * bStride, bStride: bStride,
                        c: x.c + i * x.ldc + j, ldc: x.ldc, alpha: x.alpha, beta: x.beta,
                        rows: min(mr, x.m - i), columns: min(nr, x.n - j),
                        sums: resume || park ? x.sums + (ist - rowSlivers.lowerBound) * mr * nr : x.sums,
                        resume: resume, park: park)
        }
        for js in columnSlivers {
            let j = js * nr
            let (b, bStride) = x.bSliver(j)
            guard blocks > 1 else {
                // One block, the common case for small products: no sums parked, in a kernel
                // compiled without the parking paths.
                for ist in rowSlivers { tile(ist, j, b, bStride, p0: 0, steps: x.kc, resume: false, park: false) }
                continue
            }
            for p0 in stride(from: 0, to: x.kc, by: kb) {
                let steps = min(kb, x.kc - p0)
                for ist in rowSlivers {
                    tile(ist, j, b, bStride, p0: p0, steps: steps, resume: p0 > 0, park: p0 + steps < x.kc)
                }
            }
        }
    }

    // MARK: - Micro-kernel

    /// C[0..<rows, 0..<columns] ← α·(A-sliver · B-sliver) + β·C for one 6 × 8 tile, the B values
    /// for one p 8 doubles long and `bStride` doubles after those of the previous p.
    ///
    /// With `resume` the sums start from the 48 parked at `sums` rather than from zero; with
    /// `park` they are parked there for the next block of k instead of reaching C.
    @inline(__always)
    static func kernel(kc: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>, bStride: Int,
                       c: UnsafeMutablePointer<Double>, ldc: Int, alpha: Double, beta: Double,
                       rows: Int, columns: Int, sums: UnsafeMutablePointer<Double>, resume: Bool, park: Bool) {
        typealias V = SIMD4<Double>
        var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
        var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
        let parked = UnsafeMutableRawPointer(sums)
        if resume {
            c00 = parked.loadUnaligned(as: V.self); c01 = parked.loadUnaligned(fromByteOffset: 32, as: V.self)
            c10 = parked.loadUnaligned(fromByteOffset: 64, as: V.self); c11 = parked.loadUnaligned(fromByteOffset: 96, as: V.self)
            c20 = parked.loadUnaligned(fromByteOffset: 128, as: V.self); c21 = parked.loadUnaligned(fromByteOffset: 160, as: V.self)
            c30 = parked.loadUnaligned(fromByteOffset: 192, as: V.self); c31 = parked.loadUnaligned(fromByteOffset: 224, as: V.self)
            c40 = parked.loadUnaligned(fromByteOffset: 256, as: V.self); c41 = parked.loadUnaligned(fromByteOffset: 288, as: V.self)
            c50 = parked.loadUnaligned(fromByteOffset: 320, as: V.self); c51 = parked.loadUnaligned(fromByteOffset: 352, as: V.self)
        }
        var pa = a, pb = UnsafeRawPointer(b)
        let step = bStride * MemoryLayout<Double>.stride
        for _ in 0..<kc {
            let b0 = pb.loadUnaligned(as: V.self)
            let b1 = pb.loadUnaligned(fromByteOffset: 32, as: V.self)
            c00 = c00.addingProduct(pa[0], b0); c01 = c01.addingProduct(pa[0], b1)
            c10 = c10.addingProduct(pa[1], b0); c11 = c11.addingProduct(pa[1], b1)
            c20 = c20.addingProduct(pa[2], b0); c21 = c21.addingProduct(pa[2], b1)
            c30 = c30.addingProduct(pa[3], b0); c31 = c31.addingProduct(pa[3], b1)
            c40 = c40.addingProduct(pa[4], b0); c41 = c41.addingProduct(pa[4], b1)
            c50 = c50.addingProduct(pa[5], b0); c51 = c51.addingProduct(pa[5], b1)
            pa += 6
            pb += step
        }
        if park {
            parked.storeBytes(of: c00, as: V.self); parked.storeBytes(of: c01, toByteOffset: 32, as: V.self)
            parked.storeBytes(of: c10, toByteOffset: 64, as: V.self); parked.storeBytes(of: c11, toByteOffset: 96, as: V.self)
            parked.storeBytes(of: c20, toByteOffset: 128, as: V.self); parked.storeBytes(of: c21, toByteOffset: 160, as: V.self)
            parked.storeBytes(of: c30, toByteOffset: 192, as: V.self); parked.storeBytes(of: c31, toByteOffset: 224, as: V.self)
            parked.storeBytes(of: c40, toByteOffset: 256, as: V.self); parked.storeBytes(of: c41, toByteOffset: 288, as: V.self)
            parked.storeBytes(of: c50, toByteOffset: 320, as: V.self); parked.storeBytes(of: c51, toByteOffset: 352, as: V.self)
            return
        }
        if rows > 0 { store(c, lo: c00, hi: c01, alpha: alpha, beta: beta, columns: columns) }
        if rows > 1 { store(c + ldc, lo: c10, hi: c11, alpha: alpha, beta: beta, columns: columns) }
        if rows > 2 { store(c + 2 * ldc, lo: c20, hi: c21, alpha: alpha, beta: beta, columns: columns) }
        if rows > 3 { store(c + 3 * ldc, lo: c30, hi: c31, alpha: alpha, beta: beta, columns: columns) }
        if rows > 4 { store(c + 4 * ldc, lo: c40, hi: c41, alpha: alpha, beta: beta, columns: columns) }
        if rows > 5 { store(c + 5 * ldc, lo: c50, hi: c51, alpha: alpha, beta: beta, columns: columns) }
    }

    /// One row of a tile: C[0..<columns] ← α·(lo, hi) + β·C.
    @inline(__always)
    static func store(_ c: UnsafeMutablePointer<Double>, lo: SIMD4<Double>, hi: SIMD4<Double>,
                      alpha: Double, beta: Double, columns: Int) {
        typealias V = SIMD4<Double>
        if columns == nr {
            let row = UnsafeMutableRawPointer(c)
            if beta == 0 {
                row.storeBytes(of: alpha * lo, as: V.self)
                row.storeBytes(of: alpha * hi, toByteOffset: 32, as: V.self)
            } else {
                let old0 = row.loadUnaligned(as: V.self)
                let old1 = row.loadUnaligned(fromByteOffset: 32, as: V.self)
                row.storeBytes(of: (beta * old0).addingProduct(alpha, lo), as: V.self)
                row.storeBytes(of: (beta * old1).addingProduct(alpha, hi), toByteOffset: 32, as: V.self)
            }
            return
        }
        for j in 0..<columns {
            let value = j < 4 ? lo[j] : hi[j - 4]
            c[j] = beta == 0 ? alpha * value : (beta * c[j]).addingProduct(alpha, value)
        }
    }

    /// C ← β·C (β = 0 writes zeros without reading C).
    static func scale(_ c: UnsafeMutablePointer<Double>, rows: Int, columns: Int, ldc: Int, by beta: Double) {
        for i in 0..<rows {
            for j in 0..<columns {
                c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j]
            }
        }
    }
}
