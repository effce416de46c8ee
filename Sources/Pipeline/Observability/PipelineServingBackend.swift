import Foundation
import Serving
import Stores
import UsersContract

/// The pipeline as the HTTP face sees it: stats and metrics from its counters and sampler, readiness from its
/// store, broker and consumer, users from its store (by key, or a keyset page in id order).
public struct PipelineServingBackend: ServingBackend {
    let parts: [String]
    let counters: PipelineCounters
    let metricsRegistry: PipelineMetrics
    let sampler: PipelineSampler
    let store: (any UserStore)?
    let storeKind: String
    let history: RunHistory?
    let consumes: Bool
    let started = WallClock.monotonicNanoseconds()

    /// The backend of one assembled pipeline.
    public init(
        parts: [String], counters: PipelineCounters, metrics: PipelineMetrics, sampler: PipelineSampler,
        store: (any UserStore)?, storeKind: String, history: RunHistory?, consumes: Bool
    ) {
        self.parts = parts
        self.counters = counters
        self.metricsRegistry = metrics
        self.sampler = sampler
        self.store = store
        self.storeKind = storeKind
        self.history = history
        self.consumes = consumes
    }

    private var uptime: Double { Double(WallClock.monotonicNanoseconds() - started) / 1e9 }

    public func stats() async -> PipelineStats {
        let snapshot = sampler.snapshot
        var stats = PipelineStats(status: status(snapshot), parts: parts, uptimeSeconds: uptime)
        stats.totals.fetched = counters.fetched.load(ordering: .relaxed)
        stats.totals.produced = counters.produced.load(ordering: .relaxed)
        stats.totals.consumed = counters.handled.load(ordering: .relaxed)
        stats.totals.stored = counters.stored.load(ordering: .relaxed)
        stats.totals.rejected = counters.rejected.load(ordering: .relaxed)
        stats.totals.duplicates = counters.duplicates.load(ordering: .relaxed)
        stats.totals.storeRetries = counters.storeRetries.load(ordering: .relaxed)
        stats.totals.produceErrors = counters.produceErrors.load(ordering: .relaxed)
        stats.rates = sampler.rates
        let latency = counters.endToEndLatency
        stats.latency.count = latency.count
        stats.latency.p50Ms = latency.percentile(0.5)
        stats.latency.p99Ms = latency.percentile(0.99)
        stats.latency.p99AtCap = stats.latency.p99Ms.map { $0 >= latency.limit } ?? false
        let transform = counters.transformStats
        stats.rejectsByReason = Dictionary(
            uniqueKeysWithValues: transform.rejectsByReason.map { ($0.key.code, $0.value) })
        stats.violationsByRule = Dictionary(
            uniqueKeysWithValues: QualityViolation.allCases.compactMap { rule in
                let count = transform.count(of: rule)
                return count > 0 ? (rule.code, count) : nil
            })
        stats.byCountry = counters.storedUsers.countries()
        stats.byGender = counters.storedUsers.genders
        stats.latest = counters.storedUsers.recent
        if let lag = snapshot.lag {
            stats.lag.total = lag.reduce(0) { $0 + $1.lag }
            stats.lag.partitions = lag.map { PipelineStats.Lag.Partition(partition: $0.partition, lag: $0.lag) }
        }
        if store != nil {
            var state = PipelineStats.Store(kind: storeKind)
            state.failing = counters.storeOutage != nil
            state.outageSeconds = counters.storeOutage?.seconds
            stats.store = state
        }
        stats.schedulerRuns = schedulerRuns()
        stats.history = snapshot.history
        return stats
    }

    /// Running, starting, or stalled with the reason.
    func status(_ snapshot: PipelineSampler.Snapshot) -> PipelineStats.Status {
        let now = WallClock.monotonicNanoseconds()
        if let outage = counters.storeOutage {
            return .init(
                state: "stalled",
                reason: "the store has been failing for \(DurationText.wholeSeconds(outage)) "
                    + "(\(counters.storeRetries.load(ordering: .relaxed)) retries); consumption paused")
        }
        if case .failed(let error) = snapshot.broker, now - snapshot.brokerAnsweredNanos > 10_000_000_000
        {
            return .init(state: "stalled", reason: "the broker does not answer: \(error)")
        }
        if consumes, let assigned = snapshot.assigned, assigned == 0 {
            let since = snapshot.lastAssignedNanos > 0 ? snapshot.lastAssignedNanos : started
            let seconds = (now - since) / 1_000_000_000
            if seconds >= 30 {
                return .init(
                    state: "stalled",
                    reason: "no partitions assigned for \(seconds) s (other members hold them, or the group is rebalancing)")
            }
            return .init(state: "starting", reason: "waiting for the consumer group to assign partitions")
        }
        if let stall = counters.produceStall {
            return .init(
                state: "stalled",
                reason: "the brokers have acknowledged nothing for \(Int(stall.seconds)) s "
                    + "(\(counters.awaitingAcknowledgement) messages waiting; see the log for each partition's state)")
        }
        return .init(state: "running")
    }

    public func readiness() async -> Readiness {
        let snapshot = sampler.snapshot
        var checks: [Readiness.Check] = []
        if sampler.watchesBroker {
            switch snapshot.broker {
            case nil: checks.append(.init(name: "broker", ok: false, detail: "no answer from the broker yet"))
            case .answered?: checks.append(.init(name: "broker", ok: true, detail: "answered"))
            case .failed(let error)?: checks.append(.init(name: "broker", ok: false, detail: error))
            }
        }
        if let store {
            if let outage = counters.storeOutage {
                checks.append(
                    .init(name: "store", ok: false, detail: "writes failing for \(DurationText.wholeSeconds(outage))"))
            } else {
                do {
                    _ = try await withTimeout(.seconds(2), waitingFor: "the store") {
                        try await store.get(userID: "readiness-check")
                    }
                    checks.append(.init(name: "store", ok: true, detail: "answered"))
                } catch {
                    checks.append(.init(name: "store", ok: false, detail: "\(error)"))
                }
            }
        }
        if let stall = counters.produceStall {
            checks.append(
                .init(
                    name: "producer", ok: false,
                    detail: "no acknowledgement for \(Int(stall.seconds)) s, \(counters.awaitingAcknowledgement) waiting"))
        }
        if consumes {
            let assigned = snapshot.assigned ?? 0
            checks.append(
                .init(
                    name: "consumer", ok: assigned > 0,
                    detail: assigned > 0 ? "\(assigned) partitions assigned" : "no partitions assigned"))
        }
        return Readiness(checks: checks)
    }

    public func metrics() async -> String {
        var extra = PipelineMetrics.Extra()
        let snapshot = sampler.snapshot
        extra.lag = snapshot.lag
        extra.assignedPartitions = consumes ? snapshot.assigned : nil
        extra.schedulerRuns = schedulerRuns()
        return metricsRegistry.render(extra)
    }

    public func user(id: String) async throws -> UserRow? {
        guard let store else { throw PipelineBuilder.Error(description: "this process has no store") }
        return try await store.get(userID: id)
    }

    public func users(after: String?, limit: Int) async throws -> [UserRow] {
        guard let store else { throw PipelineBuilder.Error(description: "this process has no store") }
        return try await store.page(after: after, limit: limit)
    }

    private func schedulerRuns() -> [String: Int]? {
        guard let history, let counts = try? history.countsByState() else { return nil }
        return Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) })
    }
}
