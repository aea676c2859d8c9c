/// Packing space for `GEMM`, grown when a product needs more and otherwise reused; one thread
/// uses it at a time.
///
/// All buffers start on a cache line (64 bytes), so that the micro-kernel's 32-byte loads of a
/// packed B sliver never straddle two lines.
final class GEMMBuffers: @unchecked Sendable {
    /// Packed op(A) and op(B).
    private(set) var a: UnsafeMutablePointer<Double>
    private(set) var b: UnsafeMutablePointer<Double>
    /// The running sums of a column of tiles, parked between the kernel's blocks of k.
    private(set) var sums: UnsafeMutablePointer<Double>
    private var aCapacity = 0, bCapacity = 0, sumsCapacity = 0
    static let alignment = 64

    init() {
        a = GEMMBuffers.allocate(0)
        b = GEMMBuffers.allocate(0)
        sums = GEMMBuffers.allocate(0)
    }

    /// Makes room for `a` and `b` packed entries and `sums` parked ones.
    ///
    /// Written out per buffer: passing the stored properties `inout` to a helper costs a dynamic
    /// exclusivity check each, on a path small products take hundreds of thousands of times a second.
    func reserve(a aCount: Int, b bCount: Int, sums sumsCount: Int = 0) {
        if aCount > aCapacity {
            a.deallocate()
            a = GEMMBuffers.allocate(aCount)
            aCapacity = aCount
        }
        if bCount > bCapacity {
            b.deallocate()
            b = GEMMBuffers.allocate(bCount)
            bCapacity = bCount
        }
        if sumsCount > sumsCapacity {
            sums.deallocate()
            sums = GEMMBuffers.allocate(sumsCount)
            sumsCapacity = sumsCount
        }
    }

    /// The number of doubles the buffers hold.
    var capacity: Int { aCapacity + bCapacity + sumsCapacity }

    /// `count` doubles starting on a cache line.
    static func allocate(_ count: Int) -> UnsafeMutablePointer<Double> {
        UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Double>.stride, alignment: alignment)
            .bindMemory(to: Double.self, capacity: max(count, 1))
    }

    deinit {
        a.deallocate()
        b.deallocate()
        sums.deallocate()
    }
}
