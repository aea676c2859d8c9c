@testable import Backprop
import Foundation
import Testing

@Suite("WorkerTeam and shares: how a training step is cut between threads")
struct WorkerTeamTests {
    @Test("every part of every job runs exactly once, and the caller waits for all of them")
    func partsRunOnce() {
        let team = WorkerTeam(size: 3)
        defer { team.stop() }
        let counts = Locked([0, 0, 0])
        for job in 1...2_000 {
            team.run(parts: 3) { part, _ in counts.withLock { $0[part] += 1 } }
            // All three parts of this job are done when run returns.
            let seen = counts.withLock { $0 }
            #expect(seen == [job, job, job])
            if seen != [job, job, job] { break }
        }
    }

    @Test("parts run exactly once each, fewer parts than members too", arguments: [(3, 3), (3, 2), (4, 1), (2, 2)])
    func partsOfAJobRunOnce(size: Int, parts: Int) {
        let team = WorkerTeam(size: size)
        defer { team.stop() }
        let counts = Locked([Int](repeating: 0, count: size))
        for job in 1...2_000 {
            team.run(parts: parts) { part, member in
                precondition(member < size)
                counts.withLock { $0[part] += 1 }
            }
            let seen = counts.withLock { $0 }
            let expected = (0..<size).map { $0 < parts ? job : 0 }
            #expect(seen == expected)
            if seen != expected { break }
        }
    }

    @Test("a member late to start does not hold its part: one that finished sooner runs it")
    func lateMemberLosesItsPart() {
        // The claims of one job of three parts, made by hand in a fixed order: member 2 claims
        // while member 0 is inside part 0, and member 1 comes last, its core lent elsewhere.
        let team = WorkerTeam(size: 3)
        defer { team.stop() }
        var runs: [[Int]] = [[], [], []]
        team.claim(parts: 3, member: 0) { part in
            runs[0].append(part)
            if part == 0 { team.claim(parts: 3, member: 2) { runs[2].append($0) } }
        }
        team.claim(parts: 3, member: 1) { runs[1].append($0) }
        #expect(runs == [[0], [], [2, 1]])
        // With fewer parts than members, a member without a part of its own takes none.
        var idle: [Int] = []
        let fresh = WorkerTeam(size: 3)
        defer { fresh.stop() }
        fresh.claim(parts: 2, member: 2) { idle.append($0) }
        #expect(idle.isEmpty)
    }

    @Test("running a job from inside a part, or after stop, stops the program instead of hanging")
    func misuseIsCaught() async {
        await #expect(processExitsWith: .failure) {
            let team = WorkerTeam(size: 2)
            team.run(parts: 2) { part, _ in if part == 0 { team.run(parts: 2) { _, _ in } } }
        }
        await #expect(processExitsWith: .failure) {
            let team = WorkerTeam(size: 2)
            team.stop()
            team.run(parts: 2) { _, _ in }
        }
    }

    @Test("a team of one runs the job on the calling thread")
    func teamOfOne() {
        let team = WorkerTeam(size: 1)
        var ran: [Int] = []
        team.run(parts: 1) { part, member in ran.append(part); #expect(member == 0) }
        #expect(ran == [0])
    }

    @Test("a member that never gets its core holds nobody up: the others run its parts",
          arguments: [(2, 2, 1), (3, 3, 2), (3, 3, 1), (4, 2, 1)])
    func unscheduledMemberHoldsNobodyUp(size: Int, parts: Int, unscheduled: Int) {
        // The jobs run on a thread of their own, so that a team waiting for the absent member
        // fails this test after a timeout instead of hanging the run.
        let team = WorkerTeam(size: size, unscheduled: [unscheduled])
        let counts = Locked([Int](repeating: 0, count: size))
        let runners = Locked(Set<Int>())
        let finished = DispatchSemaphore(value: 0)
        let jobs = 500
        Thread {
            for _ in 0..<jobs {
                team.run(parts: parts) { part, member in
                    counts.withLock { $0[part] += 1 }
                    runners.withLock { _ = $0.insert(member) }
                }
            }
            finished.signal()
        }.start()
        let ended = finished.wait(timeout: .now() + 20) == .success
        #expect(ended, "the team waited for a member that never ran")
        guard ended else { return }
        team.stop()
        #expect(counts.withLock { $0 } == (0..<size).map { $0 < parts ? jobs : 0 })
        #expect(!runners.withLock { $0 }.contains(unscheduled))
    }

    @Test("a member that keeps the caller waiting sits out, is probed again, and sits out longer if it lags again")
    func laggardsSitOut() {
        var laggards = Laggards(members: 3, window: 4, strikesToBench: 2, firstBench: 8, longestBench: 16)
        // Window 1: member 2 lags twice, member 1 once.
        for lagging in [0b100, 0b010, 0b100, 0] {
            #expect(laggards.startJob() == 0)
            laggards.finishJob(lagging: lagging)
        }
        // Member 2 is benched for jobs 5...11; member 1 keeps its parts.
        var benched: [Int] = []
        for _ in 0..<8 { benched.append(laggards.startJob()); laggards.finishJob(lagging: 0) }
        #expect(benched == Array(repeating: 0b100, count: 7) + [0])
        // Probed from job 12; lagging again in its first window, it sits out 16 jobs, not 8.
        for lagging in [0b100, 0b100, 0, 0] { _ = laggards.startJob(); laggards.finishJob(lagging: lagging) }
        benched = []
        for _ in 0..<17 { benched.append(laggards.startJob()); laggards.finishJob(lagging: 0) }
        #expect(benched == Array(repeating: 0b100, count: 15) + [0, 0])
        // The caller, member 0, is never benched, however it is reported.
        var caller = Laggards(members: 2, window: 1, strikesToBench: 1)
        caller.finishJob(lagging: 0b01)
        #expect(caller.startJob() == 0)
    }

    @Test("shares cover 0..<count once, cut at multiples of the unit", arguments: [
        (100, 2, 6), (100, 3, 6), (784, 2, 8), (10, 2, 8), (5, 4, 6), (0, 2, 8),
    ])
    func shares(count: Int, parts: Int, unit: Int) {
        let ranges = (0..<parts).map { BatchWorkspace.share($0, of: parts, count: count, unit: unit) }
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == count)
        for (left, right) in zip(ranges, ranges.dropFirst()) { #expect(left.upperBound == right.lowerBound) }
        for range in ranges.dropLast() { #expect(range.upperBound % unit == 0 || range.upperBound == count) }
        // As even as the unit allows: no share exceeds another by more than one unit.
        let sizes = ranges.map(\.count)
        #expect(sizes.max()! - sizes.min()! <= unit)
    }
}

/// A value behind an `NSLock`: a pthread mutex, whose ordering ThreadSanitizer sees (it cannot see
/// that of Synchronization's `Mutex`, which is not built with it), so `--sanitize=thread` runs of
/// these tests report only races in the team itself.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
