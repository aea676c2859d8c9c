#if !hasFeature(Embedded)
import Foundation
import Synchronization

/// A fixed team of threads that run the parts of one job together, for the many short parallel
/// phases of training (two per mini-batch).
///
/// Dispatch's `concurrentPerform` lets its threads fall asleep between calls, and waking them
/// costs tens of microseconds, a large share of a batch that takes a few hundred. Here the
/// members wait for the next job by spinning on a generation counter for a while, and only
/// then sleep on a condition variable; the caller is member 0 and runs part 0 itself.
///
/// Native builds only: Embedded Swift has no threads, and its `BatchWorkspace` runs every
/// batch as one part on the calling thread.
final class WorkerTeam: @unchecked Sendable {
    /// The number of members, the caller included.
    let size: Int
    /// How many times a member polls for a new job before it goes to sleep (the first thousand
    /// polls spin, the rest yield the processor between polls).
    static let spinsBeforeSleeping = 20_000

    private let generation = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    /// Whether a job is under way: `run` is not reentrant and takes one caller at a time.
    private let busy = Atomic<Bool>(false)
    private let wakeUp = NSCondition()
    /// Bit i says part i of the current `run(parts:_:)` job has begun; cleared before it is published.
    private let begun = Atomic<Int>(0)
    /// The current job; written before `generation` is published, read by members after they see it.
    private var job: ((Int) -> Void)?

    /// Starts `size − 1` threads; call `stop` when done with the team, or they keep waiting.
    init(size: Int) {
        self.size = max(size, 1)
        for member in 1..<self.size {
            let thread = Thread { self.serve(member) }
            thread.name = "Backprop worker \(member)"
            thread.start()
        }
    }

    /// Runs `part(0)` … `part(size − 1)` at the same time, one per member, and returns when all
    /// are done. One caller at a time, never from inside a part, and not after `stop`.
    func run(_ part: (Int) -> Void) {
        guard size > 1 else { return part(0) }
        precondition(!stopping.load(ordering: .relaxed), "WorkerTeam.run after stop")
        precondition(busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged,
                     "WorkerTeam.run while a job is under way (from a part, or from two threads)")
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(part) { part in
            job = part
            finished.store(0, ordering: .relaxed)
            publish()
            part(0)
            var polls = 0
            while finished.load(ordering: .acquiring) < size - 1 {
                polls += 1
                if polls > 1_000 { sched_yield() }
            }
            job = nil
        }
    }

    /// Runs `body(part, member)` once for each part in 0..<parts (at most `size`), and returns
    /// when all are done. Member i runs part i, unless another member finished its own part
    /// first and found part i not yet begun: then that member runs it. So the parts keep to the
    /// same members (and their caches) batch after batch, but a member that is late to start,
    /// its core lent to another process, holds nobody up. Same rules as `run(_:)`.
    func run(parts: Int, _ body: (_ part: Int, _ member: Int) -> Void) {
        precondition(parts <= size && parts < Int.bitWidth, "WorkerTeam.run(parts:) takes at most one part per member")
        // Misuse is caught here too, before the mask of a job under way could be cleared.
        precondition(!busy.load(ordering: .relaxed), "WorkerTeam.run while a job is under way (from a part, or from two threads)")
        begun.store(0, ordering: .relaxed)
        run { member in claim(parts: parts, member: member) { body($0, member) } }
    }

    /// Runs `body(part)` for each part of the current `run(parts:_:)` job that no member has
    /// begun, starting with part `member` and going on cyclically; each part is begun once.
    /// A member with no part of its own (`member ≥ parts`) takes none, so that it cannot take
    /// part 0 from the caller, who starts it last, after waking the team.
    func claim(parts: Int, member: Int, _ body: (Int) -> Void) {
        guard member < parts else { return }
        for step in 0..<parts {
            let part = (member + step) % parts
            if begun.bitwiseOr(1 << part, ordering: .relaxed).oldValue & (1 << part) == 0 { body(part) }
        }
    }

    /// Ends the members' threads once they finish waiting.
    func stop() {
        stopping.store(true, ordering: .releasing)
        publish()
    }

    private func publish() {
        wakeUp.lock()
        generation.add(1, ordering: .releasing)
        wakeUp.broadcast()
        wakeUp.unlock()
    }

    private func serve(_ member: Int) {
        var seen = 0
        while true {
            var polls = 0
            while generation.load(ordering: .acquiring) == seen {
                polls += 1
                // Past a short spin, give the core away at each poll: with more members than cores,
                // the member being waited for may need this one's core.
                if polls > 1_000 { sched_yield() }
                guard polls > WorkerTeam.spinsBeforeSleeping else { continue }
                wakeUp.lock()
                while generation.load(ordering: .acquiring) == seen { wakeUp.wait() }
                wakeUp.unlock()
            }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .acquiring) { return }
            job?(member)
            finished.add(1, ordering: .releasing)
        }
    }
}
#endif
