/// Which members of a `WorkerTeam` sit out its parts for a while, because they kept the others
/// waiting.
///
/// A member whose core is lent to another process can begin a part and then lose its core for a
/// time slice of milliseconds, while a phase takes a few hundred microseconds: everyone then
/// waits for that one part. The team reports, after each job, which members' parts were still
/// running long after the caller had finished its own. A member with `strikesToBench` such jobs
/// in a window of `window` jobs is benched, taking no part, for `firstBench` jobs, then probed
/// again; benched again straight after a probe, it sits out twice as long, up to `longestBench`.
/// Its parts go to the others, so the results keep every bit: only who computes a part changes.
struct Laggards {
    let window: Int
    let strikesToBench: Int
    let firstBench: Int
    let longestBench: Int

    /// Jobs started so far.
    private(set) var jobs = 0
    private var strikes: [Int]
    private var benchedUntil: [Int]
    private var nextBench: [Int]

    /// Defaults for training's phases: 64 jobs are 32 mini-batches, a few milliseconds; a first
    /// bench of 512 jobs lasts a fraction of a second.
    init(members: Int, window: Int = 64, strikesToBench: Int = 4, firstBench: Int = 512, longestBench: Int = 16_384) {
        self.window = window
        self.strikesToBench = strikesToBench
        self.firstBench = firstBench
        self.longestBench = longestBench
        strikes = Array(repeating: 0, count: members)
        benchedUntil = Array(repeating: 0, count: members)
        nextBench = Array(repeating: firstBench, count: members)
    }

    /// Starts a job: the mask of the members that take no part in it (never member 0, the caller).
    mutating func startJob() -> Int {
        jobs += 1
        var mask = 0
        for member in 1..<strikes.count where benchedUntil[member] > jobs { mask |= 1 << member }
        return mask
    }

    /// Records the members (a mask) whose parts of the job just ended kept the caller waiting;
    /// at the end of each window, benches those with enough strikes.
    mutating func finishJob(lagging: Int) {
        for member in 1..<strikes.count where lagging & (1 << member) != 0 { strikes[member] += 1 }
        guard jobs % window == 0 else { return }
        for member in 1..<strikes.count {
            // A window the member sat out, even in part, gives no verdict.
            if benchedUntil[member] > jobs - window {
                strikes[member] = 0
                continue
            }
            if strikes[member] >= strikesToBench {
                benchedUntil[member] = jobs + nextBench[member]
                nextBench[member] = min(2 * nextBench[member], longestBench)
            } else {
                nextBench[member] = firstBench // a clean window: forgiven
            }
            strikes[member] = 0
        }
    }
}
