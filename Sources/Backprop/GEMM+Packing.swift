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

    /// How many slivers a copy-packing pass fills per visit to a source row.
    static let packGroup = 8

    /// Copies the row slivers `slivers` of op(A)[0..<m, k0..<k0+kc], `x.mr` rows each.
    static func packA(_ x: Operands, slivers: Range<Int>) {
        // op(A)[i, p] is A[p, i] (transposed: contiguous in i) or A[i, p].
        pack(x.a, contiguousAcross: x.transposeA, width: x.mr, count: x.m, k0: x.k0, kc: x.kc,
             slivers: slivers, into: x.packedA)
    }

    /// Copies the column slivers `slivers` of op(B)[k0..<k0+kc, 0..<n], `x.nr` columns each.
    static func packB(_ x: Operands, slivers: Range<Int>) {
        // op(B)[p, j] is B[p, j] (contiguous in j) or B[j, p] (transposed).
        pack(Rows(x.b, ld: x.ldb), contiguousAcross: !x.transposeB, width: x.nr, count: x.n, k0: x.k0, kc: x.kc,
             slivers: slivers, into: x.packedB)
    }

    /// Copies slivers of an operand whose entry (i, p), i across the sliver (a row of op(A), a
    /// column of op(B)) and p along the shared dimension, is at `row(p)[i]` when
    /// `contiguousAcross`, else at `row(i)[p]`. Sliver s holds i in s·width..<(s+1)·width
    /// for p in k0..<k0+kc, stored p-major at `packed + s·width·kc`, zero past `count`.
    @inline(__always)
    static func pack(_ row: Rows, contiguousAcross: Bool, width: Int, count: Int,
                     k0: Int, kc: Int, slivers: Range<Int>, into packed: UnsafeMutablePointer<Double>) {
        if contiguousAcross {
            // One contiguous run of `width` entries per p and sliver: a copy. Slivers are taken
            // a group at a time, each row of the source visited once per group for several
            // slivers' runs, so that its cache lines arrive together rather than one per sliver.
            for group in stride(from: slivers.lowerBound, to: slivers.upperBound, by: packGroup) {
                let groupEnd = min(group + packGroup, slivers.upperBound)
                for p in 0..<kc {
                    let source = row(k0 + p)
                    for sliver in group..<groupEnd {
                        let i0 = sliver * width
                        let filled = min(width, count - i0)
                        let from = source + i0, to = packed + i0 * kc + p * width
                        if filled == width {
                            for i in stride(from: 0, to: width, by: 4) {
                                if width - i >= 4 { store(load(from + i), to + i) } else { store(loadPair(from + i), to + i) }
                            }
                        } else {
                            for i in 0..<width { to[i] = i < filled ? from[i] : 0 }
                        }
                    }
                }
            }
            return
        }
        for sliver in slivers {
            let i0 = sliver * width
            let filled = min(width, count - i0)
            let out = packed + i0 * kc
            if filled == width {
                // `width` source rows, each contiguous in p: transposed four p at a time, in groups of
                // four rows (and a last pair when the width is 6).
                var p = 0
                while p + 4 <= kc {
                    let to = out + p * width
                    for g in stride(from: 0, to: width, by: 4) {
                        let r0 = row(i0 + g) + k0 + p, r1 = row(i0 + g + 1) + k0 + p
                        if width - g >= 4 {
                            let r2 = row(i0 + g + 2) + k0 + p, r3 = row(i0 + g + 3) + k0 + p
                            let (t0, t1, t2, t3) = transpose(load(r0), load(r1), load(r2), load(r3))
                            store(t0, to + g); store(t1, to + width + g)
                            store(t2, to + 2 * width + g); store(t3, to + 3 * width + g)
                        } else {
                            let v0 = load(r0), v1 = load(r1)
                            for q in 0..<4 { store(SIMD2(v0[q], v1[q]), to + q * width + g) }
                        }
                    }
                    p += 4
                }
                for p in p..<kc {
                    for i in 0..<width { out[p * width + i] = row(i0 + i)[k0 + p] }
                }
            } else {
                for i in 0..<width {
                    guard i < filled else {
                        for p in 0..<kc { out[p * width + i] = 0 }
                        continue
                    }
                    let from = row(i0 + i) + k0
                    for p in 0..<kc { out[p * width + i] = from[p] }
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
    static func loadPair(_ pointer: UnsafePointer<Double>) -> SIMD2<Double> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD2<Double>.self)
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
