import Foundation

/// Runs independent pieces of work on every core and gathers their results in order.
///
/// The one concurrency helper of the pipeline: loading notes, running notebooks, typesetting
/// math and rendering pages all go through `map`, so that each of them reads as a loop.
///
/// Workers are threads of their own (the caller is one of them), not Dispatch's pool: much of the
/// work waits on other processes (the compiler, a note's program, KaTeX), and a map inside a map
/// (a note's compile-error checks beside its main compile, while other notes run) must still get
/// its own workers, which a nested `concurrentPerform` does not.
enum Parallel {
    /// The stack of each worker thread: the main thread's usual size, for deep Markdown trees.
    static let stackSize = 8 << 20

    /// `body(i)` for every `i` in `0..<count`, on up to `workers` threads, returned in index order.
    ///
    /// Items are handed out in index order. `started(i)` is called as item `i` is taken and
    /// `finished(i, done)` when it is finished (`done` counting the finished items), both under
    /// one lock, so progress lines read as a sequential loop would print them. Results do not
    /// depend on the scheduling, so the output stays deterministic.
    static func map<T: Sendable>(_ count: Int, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                                 started: @escaping @Sendable (Int) -> Void = { _ in },
                                 finished: @escaping @Sendable (_ item: Int, _ done: Int) -> Void = { _, _ in },
                                 _ body: @escaping @Sendable (Int) -> T) -> [T] {
        let threads = min(workers, count)
        guard threads > 1 else {
            return (0..<count).map { index in
                started(index)
                let value = body(index)
                finished(index, index + 1)
                return value
            }
        }
        let work = Work<T>(count: count)
        let drain: @Sendable () -> Void = {
            while let index = work.take(started) {
                work.store(body(index), at: index, finished)
            }
        }
        let helpersDone = DispatchSemaphore(value: 0)
        for _ in 1..<threads {
            let thread = Thread {
                drain()
                helpersDone.signal()
            }
            thread.stackSize = stackSize
            thread.start()
        }
        drain()
        for _ in 1..<threads { helpersDone.wait() }
        return work.results()
    }

    /// `body(i)` for every `i`, in parallel; the error of the first failing item in index order.
    static func tryMap<T: Sendable>(_ count: Int, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                                    _ body: @escaping @Sendable (Int) throws -> T) throws -> [T] {
        try map(count, workers: workers) { index in Result { try body(index) } }.map { try $0.get() }
    }
}

/// The state `Parallel.map` shares between its threads: the next item and one slot per item.
private final class Work<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var done = 0
    private let count: Int
    /// Each slot is written once, by the thread that took its index; read after all threads are done.
    private let slots: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    /// The next index to compute, announced through `started` under the lock; nil when all are taken.
    func take(_ started: (Int) -> Void) -> Int? {
        lock.withLock {
            guard next < count else { return nil }
            started(next)
            next += 1
            return next - 1
        }
    }

    func store(_ value: T, at index: Int, _ finished: (Int, Int) -> Void) {
        slots[index] = value
        lock.withLock {
            done += 1
            finished(index, done)
        }
    }

    func results() -> [T] { slots.map { $0! } }
}
