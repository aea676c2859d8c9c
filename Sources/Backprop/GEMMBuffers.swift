/// Packing space for `GEMM`, grown when a product needs more and otherwise reused; one thread
/// uses it at a time.
final class GEMMBuffers: @unchecked Sendable {
    private(set) var a: UnsafeMutablePointer<Double>
    private(set) var b: UnsafeMutablePointer<Double>
    private var aCapacity = 0, bCapacity = 0

    init() {
        a = .allocate(capacity: 0)
        b = .allocate(capacity: 0)
    }

    /// Makes room for `a` and `b` packed entries.
    func reserve(a aCount: Int, b bCount: Int) {
        if aCount > aCapacity {
            a.deallocate()
            a = .allocate(capacity: aCount)
            aCapacity = aCount
        }
        if bCount > bCapacity {
            b.deallocate()
            b = .allocate(capacity: bCount)
            bCapacity = bCount
        }
    }

    deinit {
        a.deallocate()
        b.deallocate()
    }
}
