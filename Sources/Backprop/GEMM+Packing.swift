/// Packing: copying the operands of one chunk of the shared dimension into the slivers the
/// micro-kernel reads, op(A) `mr` rows and op(B) `nr` columns at a time, k-major and zero-padded.
///
/// Where a sliver's entries for one p are contiguous in the source, packing is a plain copy.
/// Where they are not (rows of A, or B transposed), four values of p are read from each source
/// row at once and 4 × 4 blocks are transposed in registers, which is several times faster
/// than copying one number at a time. Packing only moves numbers, so it cannot change a bit of
/// the product.
extension GEMM {
    typealias Quad = SIMD4<Double>

    /// Copies the row slivers `slivers` of op(A)[0..<m, k0..<k0+kc].
    static func packA(_ x: Operands, slivers: Range<Int>) {
        let kc = x.kc
        for sliver in slivers {
            let i0 = sliver * mr
            let rows = min(mr, x.m - i0)
            let out = x.packedA + i0 * kc
            if x.transposeA {
                // op(A)[i, p] = A[p, i]: the sliver's entries for one p are contiguous.
                let source = x.a + x.k0 * x.lda + i0
                for p in 0..<kc {
                    let from = source + p * x.lda, to = out + p * mr
                    for i in 0..<rows { to[i] = from[i] }
                    for i in rows..<mr { to[i] = 0 }
                }
            } else if rows == mr {
                // op(A)[i, p] = A[i, p]: six rows, each contiguous in p, transposed four p at a time.
                let row = (0..<mr).map { x.a + (i0 + $0) * x.lda + x.k0 }
                var p = 0
                while p + 4 <= kc {
                    let (t0, t1, t2, t3) = transpose(load(row[0] + p), load(row[1] + p), load(row[2] + p), load(row[3] + p))
                    let r4 = load(row[4] + p), r5 = load(row[5] + p)
                    let to = out + p * mr
                    store(t0, to); store(SIMD2(r4[0], r5[0]), to + 4)
                    store(t1, to + 6); store(SIMD2(r4[1], r5[1]), to + 10)
                    store(t2, to + 12); store(SIMD2(r4[2], r5[2]), to + 16)
                    store(t3, to + 18); store(SIMD2(r4[3], r5[3]), to + 22)
                    p += 4
                }
                for p in p..<kc {
                    for i in 0..<mr { out[p * mr + i] = row[i][p] }
                }
            } else {
                for i in 0..<mr {
                    let from = x.a + (i0 + i) * x.lda + x.k0
                    for p in 0..<kc { out[p * mr + i] = i < rows ? from[p] : 0 }
                }
            }
        }
    }

    /// Copies the column slivers `slivers` of op(B)[k0..<k0+kc, 0..<n].
    static func packB(_ x: Operands, slivers: Range<Int>) {
        let kc = x.kc
        for sliver in slivers {
            let j0 = sliver * nr
            let columns = min(nr, x.n - j0)
            let out = x.packedB + j0 * kc
            if !x.transposeB {
                // op(B)[p, j] = B[p, j]: the sliver's entries for one p are contiguous.
                let source = x.b + x.k0 * x.ldb + j0
                for p in 0..<kc {
                    let from = source + p * x.ldb, to = out + p * nr
                    if columns == nr {
                        store(load(from), to)
                        store(load(from + 4), to + 4)
                    } else {
                        for j in 0..<columns { to[j] = from[j] }
                        for j in columns..<nr { to[j] = 0 }
                    }
                }
            } else if columns == nr {
                // op(B)[p, j] = B[j, p]: eight rows of B, each contiguous in p, transposed four p at a time.
                let row = (0..<nr).map { x.b + (j0 + $0) * x.ldb + x.k0 }
                var p = 0
                while p + 4 <= kc {
                    let (l0, l1, l2, l3) = transpose(load(row[0] + p), load(row[1] + p), load(row[2] + p), load(row[3] + p))
                    let (h0, h1, h2, h3) = transpose(load(row[4] + p), load(row[5] + p), load(row[6] + p), load(row[7] + p))
                    let to = out + p * nr
                    store(l0, to); store(h0, to + 4)
                    store(l1, to + 8); store(h1, to + 12)
                    store(l2, to + 16); store(h2, to + 20)
                    store(l3, to + 24); store(h3, to + 28)
                    p += 4
                }
                for p in p..<kc {
                    for j in 0..<nr { out[p * nr + j] = row[j][p] }
                }
            } else {
                for j in 0..<nr {
                    let from = x.b + (j0 + j) * x.ldb + x.k0
                    for p in 0..<kc { out[p * nr + j] = j < columns ? from[p] : 0 }
                }
            }
        }
    }

    // MARK: - Registers

    /// The 4 × 4 transpose: the result's vector q holds element q of each argument.
    @inline(__always)
    static func transpose(_ r0: Quad, _ r1: Quad, _ r2: Quad, _ r3: Quad) -> (Quad, Quad, Quad, Quad) {
        (Quad(r0[0], r1[0], r2[0], r3[0]), Quad(r0[1], r1[1], r2[1], r3[1]),
         Quad(r0[2], r1[2], r2[2], r3[2]), Quad(r0[3], r1[3], r2[3], r3[3]))
    }

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Double>) -> Quad {
        UnsafeRawPointer(pointer).loadUnaligned(as: Quad.self)
    }

    @inline(__always)
    static func store(_ value: Quad, _ pointer: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Quad.self)
    }

    @inline(__always)
    static func store(_ value: SIMD2<Double>, _ pointer: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD2<Double>.self)
    }
}
