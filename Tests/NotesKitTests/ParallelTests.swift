import Foundation
import Synchronization
import Testing
@testable import NotesKit

/// `Parallel.map`, the pipeline's one concurrency helper.
@Suite struct ParallelTests {
    @Test func resultsComeBackInIndexOrder() {
        #expect(Parallel.map(1000) { $0 * $0 } == (0..<1000).map { $0 * $0 })
        #expect(Parallel.map(0) { $0 }.isEmpty)
        #expect(Parallel.map(5, workers: 1) { $0 + 1 } == [1, 2, 3, 4, 5])
    }

    @Test func progressIsAnnouncedInOrder() {
        let started = Mutex<[Int]>([]), finished = Mutex<[Int]>([])
        _ = Parallel.map(200, started: { index in started.withLock { $0.append(index) } },
                         finished: { _, done in finished.withLock { $0.append(done) } }) { $0 }
        #expect(started.withLock { $0 } == Array(0..<200))
        #expect(finished.withLock { $0 } == Array(1...200))
    }

    struct Failure: Error, Equatable { var index: Int }

    @Test func tryMapThrowsTheFirstErrorInIndexOrder() {
        #expect(throws: Failure(index: 3)) {
            try Parallel.tryMap(50) { index in
                if index == 3 || index == 40 { throw Failure(index: index) }
                return index
            }
        }
    }

    /// Items that can only finish together: each signals the other and waits for it, so a map
    /// that ran them one after another would time out instead.
    static func rendezvous() -> [Bool] {
        let signals = (0..<2).map { _ in DispatchSemaphore(value: 0) }
        return Parallel.map(2, workers: 2) { item in
            signals[1 - item].signal()
            return signals[item].wait(timeout: .now() + 20) == .success
        }
    }

    @Test func aMapInsideAMapGetsWorkersOfItsOwn() {
        // As when a note's compile-error checks run beside its main compile while other notes run.
        let outer = Parallel.map(ProcessInfo.processInfo.activeProcessorCount) { _ in Self.rendezvous() }
        #expect(outer.allSatisfy { $0 == [true, true] })
    }
}
