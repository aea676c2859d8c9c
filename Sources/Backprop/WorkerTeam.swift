#if !hasFeature(Embedded)
import Foundation
import Synchronization

/// A fixed team of threads that run the parts of one job together, for the many short parallel
/// phases of training (two per mini-batch).
///
/// Dispatch's `concurrentPerform` lets its threads fall asleep between calls, and waking them
/// costs tens of microseconds, a large share of a batch that takes a few hundred. Here the
/// members wait for the next job by spinning on a state counter for a while, and only then sleep
/// on a condition variable; the caller is member 0.
///
/// A job is done when its parts are, not when every member has looked at it. Member i runs part
/// i unless a member that finished sooner took it first, and a member whose core is lent to
/// another process may not look at a job at all before it is over: the caller then runs its part
/// and returns without waiting for that member to be scheduled. (Waiting for every member made
/// two threads train about 2.3 times slower than one while another process kept one core busy.)
/// A member that begins parts and then loses its core keeps everyone waiting all the same; after
/// a few such jobs it sits out for a while (`Laggards`), its parts run by the others.
///
/// Native builds only: Embedded Swift has no threads, and its `BatchWorkspace` runs every
/// batch as one part on the calling thread.
final class WorkerTeam: @unchecked Sendable {
    /// The number of members, the caller included.
    let size: Int
    /// How many times a member polls for a new job before it goes to sleep (the first thousand
    /// polls spin, the rest yield the processor between polls).
    static let spinsBeforeSleeping = 20_000

    /// Odd while a job is open to members, even once it is closed: each job adds one when it
    /// opens and one when it closes, so a member can tell the job it saw from any later one.
    private let state = Atomic<Int>(0)
    /// The members inside the current job's closure: the caller waits for none to be inside
    /// before the closure's lifetime ends.
    private let inside = Atomic<Int>(0)
    /// Bit i says part i of the current job has finished.
    private let finished = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    /// Whether a job is under way: `run` is not reentrant and takes one caller at a time.
    private let busy = Atomic<Bool>(false)
    private let wakeUp = NSCondition()
    /// Bit i says part i of the current job has begun; cleared before the job opens.
    private let begun = Atomic<Int>(0)
    /// What a member runs for the current job; written before the job opens, read by members only
    /// inside it (see `enter`).
    private var job: ((Int) -> Void)?
    /// Who sits out the next jobs for having kept the caller waiting; the caller's alone.
    private var laggards: Laggards

    /// Starts `size − 1` threads; call `stop` when done with the team, or they keep waiting.
    /// The members in `unscheduled` get no thread, for tests: they stand for members whose core is
    /// never given back while the team works.
    init(size: Int, unscheduled: Set<Int> = []) {
        self.size = max(size, 1)
        laggards = Laggards(members: self.size)
        for member in 1..<self.size where !unscheduled.contains(member) {
            let thread = Thread { self.serve(member) }
            thread.name = "Backprop worker \(member)"
            thread.start()
        }
    }

    /// Runs `body(part, member)` once for each part in 0..<parts (at most `size`), and returns
    /// when all are done. Member i runs part i, unless another member finished its own part
    /// first and found part i not yet begun: then that member runs it. So the parts keep to the
    /// same members (and their caches) batch after batch, but a member that is late to start,
    /// its core lent to another process, holds nobody up. One caller at a time, never from inside
    /// a part, and not after `stop`.
    func run(parts: Int, _ body: (_ part: Int, _ member: Int) -> Void) {
        precondition(parts <= size && parts < Int.bitWidth, "WorkerTeam.run(parts:) takes at most one part per member")
        precondition(!stopping.load(ordering: .relaxed), "WorkerTeam.run after stop")
        precondition(busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged,
                     "WorkerTeam.run while a job is under way (from a part, or from two threads)")
        defer { busy.store(false, ordering: .releasing) }
        guard size > 1 && parts > 1 else {
            for part in 0..<parts { body(part, 0) }
            return
        }
        let all = (1 << parts) - 1
        let benched = laggards.startJob()
        withoutActuallyEscaping(body) { body in
            job = { member in
                guard benched & (1 << member) == 0 else { return }
                self.claim(parts: parts, member: member) { part in
                    body(part, member)
                    self.finished.bitwiseOr(1 << part, ordering: .releasing)
                }
            }
            begun.store(0, ordering: .relaxed)
            finished.store(0, ordering: .relaxed)
            let start = Self.nanoseconds()
            open()
            job?(0)
            let own = Self.nanoseconds()
            // Parts still running when the caller is done with its own: part i's member is i.
            let running = all & ~finished.load(ordering: .acquiring) & ~benched
            wait { self.finished.load(ordering: .acquiring) == all }
            let waited = Self.nanoseconds() - own
            laggards.finishJob(lagging: waited > own - start ? running : 0)
            // No member may enter from here on; wait for those inside, who find no part left.
            state.add(1, ordering: .sequentiallyConsistent)
            wait { self.inside.load(ordering: .sequentiallyConsistent) == 0 }
            job = nil
        }
    }

    /// Runs `body(part)` for each part of the current job that no member has begun, starting with
    /// part `member` and going on cyclically; each part is begun once. A member with no part of
    /// its own (`member ≥ parts`) takes none, so that it cannot take part 0 from the caller.
    func claim(parts: Int, member: Int, _ body: (Int) -> Void) {
        guard member < parts else { return }
        for step in 0..<parts {
            let part = (member + step) % parts
            if begun.bitwiseOr(1 << part, ordering: .relaxed).oldValue & (1 << part) == 0 { body(part) }
        }
    }

    /// Ends the members' threads once they finish waiting.
    func stop() {
        wakeUp.lock()
        stopping.store(true, ordering: .releasing)
        wakeUp.broadcast()
        wakeUp.unlock()
    }

    /// Opens the job written to `job` to the members, waking any asleep.
    private func open() {
        wakeUp.lock()
        state.add(1, ordering: .sequentiallyConsistent)
        wakeUp.broadcast()
        wakeUp.unlock()
    }

    /// Polls `condition` until it holds, spinning for a thousand polls and then yielding the
    /// processor between polls (the thread waited for may need this one's core).
    private func wait(until condition: () -> Bool) {
        var polls = 0
        while !condition() {
            polls += 1
            if polls > 1_000 { sched_yield() }
        }
    }

    /// Runs the job of `seen` for `member` if it is still open: counted in `inside` first, so the
    /// caller cannot end the job's closure while the member holds it.
    private func enter(_ seen: Int, member: Int) {
        inside.add(1, ordering: .sequentiallyConsistent)
        if state.load(ordering: .sequentiallyConsistent) == seen { job?(member) }
        inside.subtract(1, ordering: .releasing)
    }

    /// A monotonic clock's reading, in nanoseconds.
    private static func nanoseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1_000_000_000 + now.tv_nsec
    }

    /// Whether a member that last looked at `seen` has to get up: an open job it has not looked
    /// at yet, or the team stopping.
    private func mustWake(after seen: Int) -> Bool {
        let now = state.load(ordering: .acquiring)
        return (now != seen && now & 1 == 1) || stopping.load(ordering: .acquiring)
    }

    private func serve(_ member: Int) {
        var seen = 0
        while true {
            var polls = 0
            while !mustWake(after: seen) {
                polls += 1
                // Past a short spin, give the core away at each poll: with more members than cores,
                // the member being waited for may need this one's core.
                if polls > 1_000 { sched_yield() }
                guard polls > WorkerTeam.spinsBeforeSleeping else { continue }
                wakeUp.lock()
                while !mustWake(after: seen) { wakeUp.wait() }
                wakeUp.unlock()
            }
            if stopping.load(ordering: .acquiring) { return }
            seen = state.load(ordering: .acquiring)
            // Closed already (or a later job opened since): look again.
            guard seen & 1 == 1 else { continue }
            enter(seen, member: member)
        }
    }
}
#endif
