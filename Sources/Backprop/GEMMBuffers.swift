/// Packing space for `GEMM`, grown when a product needs more and otherwise reused; one thread
/// uses it at a time.
///
/// Both buffers start on a cache line (64 bytes), so that the micro-kernel's 32-byte loads of a
/// packed B sliver never straddle two lines.
final class GEMMBuffers: @unchecked Sendable {
    private(set) var a: UnsafeMutablePointer<Double>
    private(set) var b: UnsafeMutablePointer<Double>
    private var aCapacity = 0, bCapacity = 0
    static let alignment = 64

    init() {
        a = GEMMBuffers.allocate(0)
        b = GEMMBuffers.allocate(0)
    }

    /// Makes room for `a` and `b` packed entries.
    func reserve(a aCount: Int, b bCount: Int) {
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
    }

    /// The number of doubles both buffers hold.
    var capacity: Int { aCapacity + bCapacity }

    /// `count` doubles starting on a cache line.
    static func allocate(_ count: Int) -> UnsafeMutablePointer<Double> {
        UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Double>.stride, alignment: alignment)
            .bindMemory(to: Double.self, capacity: max(count, 1))
    }

    deinit {
        a.deallocate()
        b.deallocate()
    }
}
