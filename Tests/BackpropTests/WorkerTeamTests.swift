@testable import Backprop
import Synchronization
import Testing

@Suite("WorkerTeam and shares: how a training step is cut between threads")
struct WorkerTeamTests {
    @Test("every part of every job runs exactly once, and the caller waits for all of them")
    func partsRunOnce() {
        let team = WorkerTeam(size: 3)
        defer { team.stop() }
        let counts = Mutex([0, 0, 0])
        for job in 1...2_000 {
            team.run { part in counts.withLock { $0[part] += 1 } }
            // All three parts of this job are done when run returns.
            let seen = counts.withLock { $0 }
            #expect(seen == [job, job, job])
            if seen != [job, job, job] { break }
        }
    }

    @Test("running a job from inside a part, or after stop, stops the program instead of hanging")
    func misuseIsCaught() async {
        await #expect(processExitsWith: .failure) {
            let team = WorkerTeam(size: 2)
            team.run { part in if part == 0 { team.run { _ in } } }
        }
        await #expect(processExitsWith: .failure) {
            let team = WorkerTeam(size: 2)
            team.stop()
            team.run { _ in }
        }
    }

    @Test("a team of one runs the job on the calling thread")
    func teamOfOne() {
        let team = WorkerTeam(size: 1)
        var ran: [Int] = []
        team.run { ran.append($0) }
        #expect(ran == [0])
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
