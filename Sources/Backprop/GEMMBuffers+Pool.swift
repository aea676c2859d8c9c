#if !hasFeature(Embedded)
import Synchronization
#endif

/// Shared buffers for one-off products: natively a pool behind a lock that any thread may borrow
/// from; in Embedded Swift, which has neither threads nor `Mutex`, fresh buffers for each product.
///
/// Packing space never changes a bit of a product, so both give the same results.
extension GEMMBuffers {
    #if !hasFeature(Embedded)
    /// Buffers that `Matrix` products borrow, so that a product repeated in a loop reuses its
    /// packing space instead of mapping fresh pages every time (which halved the speed of a
    /// 100 × 784 by 784 × 100 product). At most `poolSize` are kept, none over `poolLimit` doubles
    /// (4 MiB), so the pool never holds more than 32 MiB.
    private static let pool = Mutex<[GEMMBuffers]>([])
    static let poolSize = 8
    static let poolLimit = 1 << 19

    /// Runs `body` with buffers borrowed from the pool (or new ones), returned to it afterwards.
    static func borrow<Result>(_ body: (GEMMBuffers) -> Result) -> Result {
        let buffers = pool.withLock { $0.popLast() } ?? GEMMBuffers()
        defer {
            if buffers.capacity <= poolLimit {
                pool.withLock { if $0.count < poolSize { $0.append(buffers) } }
            }
        }
        return body(buffers)
    }
    #else
    /// Runs `body` with new buffers, freed afterwards.
    static func borrow<Result>(_ body: (GEMMBuffers) -> Result) -> Result {
        body(GEMMBuffers())
    }
    #endif
}
