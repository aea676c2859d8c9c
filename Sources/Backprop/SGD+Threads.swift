#if !hasFeature(Embedded)
import Foundation
#endif

/// How many threads training and evaluation use unless told otherwise.
extension SGD {
    /// The default `threads`: the processors available, at most 8; 1 in Embedded Swift, which has
    /// no threads (nor Foundation's `ProcessInfo`).
    public static var defaultThreads: Int {
        #if hasFeature(Embedded)
        1
        #else
        max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        #endif
    }
}
