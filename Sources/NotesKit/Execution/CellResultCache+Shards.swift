import Foundation

/// The shard plans and claims of a sharded run, kept in the cache beside the results.
extension CellResultCache {
    /// The plan this run's shards follow for `work`: the one another shard stored, else a new
    /// split by the recorded run times, stored for the shards that start later. Either way this
    /// shard's claim is stored too, naming the plan it follows.
    func plan(for shard: Shard, work: [(slug: String, key: CacheKey)]) -> (plan: ShardPlan, madeHere: Bool) {
        let workKey = ShardPlan.workKey(work)
        let slugs = work.map(\.slug)
        let claim = ShardPlan.claimKey(workKey: workKey, index: shard.index, count: shard.count)
        if let found = document(workKey, from: .sharedFirst), let plan = ShardPlan(json: found.data),
           plan.fits(slugs, count: shard.count) {
            putDocument(found.data, path: ShardPlan.path, key: claim)
            return (plan, false)
        }
        let plan = ShardPlan(splitting: slugs, into: shard.count, durations: durations(from: .sharedFirst).seconds)
        let data = plan.json()
        putDocument(data, path: ShardPlan.path, key: workKey)
        putDocument(data, path: ShardPlan.path, key: claim)
        return (plan, true)
    }

    /// Why the notes `missing` of `work` have no result, by slug, as the shards' plan and
    /// claims tell; and, when shards followed different plans, a reason that concerns them all.
    func missingReasons(_ missing: [String], work: [(slug: String, key: CacheKey)]) -> (bySlug: [String: String], shared: String?) {
        let prefix = "no cached result for this note's cells (--require-cache)"
        let workKey = ShardPlan.workKey(work)
        guard let found = document(workKey), let plan = ShardPlan(json: found.data),
              plan.fits(work.map(\.slug), count: plan.count) else {
            let reason = prefix + ", and no shard has run these notes: the shards ran another version of the notes, "
                + "another Swift toolchain or engine, or have not run yet; build without --require-cache to run them here"
            return (Dictionary(uniqueKeysWithValues: missing.map { ($0, reason) }), nil)
        }
        let claims = (1...plan.count).map { index in
            document(ShardPlan.claimKey(workKey: workKey, index: index, count: plan.count))?.digest
        }
        let strays = claims.indices.filter { claims[$0] != nil && claims[$0] != found.digest }.map { "\($0 + 1)/\(plan.count)" }
        let shared = strays.isEmpty ? nil
            : "shard\(strays.count == 1 ? "" : "s") \(strays.joined(separator: ", ")) split the notes differently from the others "
                + "(the recorded run times changed between their starts, or the shards restored different cache folders): "
                + "run all \(plan.count) shards again"
        var reasons: [String: String] = [:]
        for slug in missing {
            let part = plan.parts[slug] ?? 0
            let claimed = claims.indices.contains(part - 1) && claims[part - 1] != nil
            reasons[slug] = prefix + ": shard \(part)/\(plan.count) was to run it, and "
                + (claimed ? "stored no result for it: did that shard fail, stop early, or run with --remote-cache-read-only?"
                           : "nothing of that shard is in the cache: did it run, and did its uploads or cache folder reach this build?")
        }
        return (reasons, shared)
    }
}
