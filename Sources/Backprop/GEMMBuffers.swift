/// Packing space for `GEMM`, grown when a product needs more and otherwise reused, and the
/// number of threads that products may use.
final class GEMMBuffers: @unchecked Sendable {
    let threads: Int
    private(set) var a: UnsafeMutablePointer<Double>
    private(set) var b: UnsafeMutablePointer<Double>
    private var aCapacity = 0, bCapacity = 0

    init(threads: Int = 1) {
        self.threads = max(threads, 1)
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

/// A value that is handed to other threads on the caller's promise that they use it safely.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
