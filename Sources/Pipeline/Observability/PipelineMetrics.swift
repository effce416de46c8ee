import Allocator
import Foundation
import Metrics
import Prometheus
import Synchronization
import UsersContract

/// The pipeline's metrics: swift-metrics over a Prometheus registry of this pipeline's own, named by Prometheus'
/// conventions (`userstream_` prefix, base units, `_total` counters). No label holds user data: reasons and rules
/// are the contract's codes, partitions are numbers, routes are templates.
///
/// The counters follow ``PipelineCounters`` (the one source of the figures progress and the summary print too):
/// each scrape first adds what they gained since the last one. The histograms are recorded as batches are written
/// (``PipelineHistograms``).
public final class PipelineMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    /// The swift-metrics factory over ``registry`` (also for the HTTP server's request metrics).
    public let factory: PrometheusMetricsFactory
    private let counters: PipelineCounters
    private let synced = Mutex<[String: Int]>([:])
    /// The end-to-end latency counts (per millisecond) already added to the Prometheus histogram.
    private let latencySynced = Mutex<[Int]>([])
    private static let endToEnd = "userstream_end_to_end_latency_seconds"
    private let started = Date()

    /// Metrics for `counters`; from now on their histograms record.
    public init(counters: PipelineCounters) {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Up to the latency histogram's cap (60 s): what is at the cap is at least that, and counts above it.
        factory.durationHistogramBuckets[Self.endToEnd] = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
            .seconds(30), .seconds(60),
        ]
        factory.valueHistogramBuckets[PipelineHistograms.batchSize] = [
            1, 10, 50, 100, 250, 500, 1000, 2000, 5000, 10000, 20000,
        ]
        self.registry = registry
        self.factory = factory
        self.counters = counters
        counters.histograms.enable(factory: factory)
    }

    /// The figures a scrape adds to the counters' own: lag and scheduler runs, when this process has them.
    public struct Extra: Sendable {
        /// Messages not yet committed by the group, per topic partition.
        public var lag: [(topic: String, partition: Int, lag: Int)]?
        /// Partitions assigned to this process's consumer.
        public var assignedPartitions: Int?
        /// Runs in the schedule's history by state.
        public var schedulerRuns: [String: Int]?

        public init() {}
    }

    /// The text exposition, brought up to date first.
    public func render(_ extra: Extra = Extra()) -> String {
        update(extra)
        return registry.emitToString()
    }

    private func update(_ extra: Extra) {
        let stats = counters.transformStats
        var totals: [(String, [(String, String)], Int)] = [
            ("userstream_users_fetched_total", [], counters.fetched.load(ordering: .relaxed)),
            ("userstream_users_produced_total", [], counters.produced.load(ordering: .relaxed)),
            ("userstream_users_consumed_total", [], counters.handled.load(ordering: .relaxed)),
            ("userstream_users_stored_total", [], counters.stored.load(ordering: .relaxed)),
            ("userstream_produce_errors_total", [], counters.produceErrors.load(ordering: .relaxed)),
            ("userstream_store_write_errors_total", [], counters.storeWriteErrors.load(ordering: .relaxed)),
            ("userstream_store_retries_total", [], counters.storeRetries.load(ordering: .relaxed)),
            ("userstream_duplicates_total", [], counters.duplicates.load(ordering: .relaxed)),
            ("userstream_records_lost_total", [], counters.lost.load(ordering: .relaxed)),
            ("userstream_rebalance_revocations_total", [], counters.revocations.load(ordering: .relaxed)),
        ]
        for reason in RejectReason.allCases {
            totals.append(("userstream_users_rejected_total", [("reason", reason.code)], stats.count(of: reason)))
        }
        for rule in QualityViolation.allCases {
            totals.append(("userstream_quality_violations_total", [("rule", rule.code)], stats.count(of: rule)))
        }
        synced.withLock { synced in
            for (label, dimensions, value) in totals {
                let key = label + dimensions.map { "|\($0.0)=\($0.1)" }.joined()
                let delta = value - synced[key, default: 0]
                // Always created, so every series shows from the first scrape (at 0).
                let counter = Counter(label: label, dimensions: dimensions, factory: factory)
                if delta > 0 {
                    counter.increment(by: delta)
                    synced[key] = value
                }
            }
        }
        syncLatency()
        gauge("userstream_produce_stalled", counters.produceStall == nil ? 0 : 1)
        gauge("userstream_produce_awaiting_acknowledgement", Double(counters.awaitingAcknowledgement))
        gauge("userstream_store_failing", counters.storeOutage == nil ? 0 : 1)
        gauge("userstream_store_outage_seconds", counters.storeOutage?.seconds ?? 0)
        gauge("userstream_process_uptime_seconds", Date().timeIntervalSince(started))
        gauge("userstream_process_start_time_seconds", started.timeIntervalSince1970)
        if let memory = Allocator.statistics() {
            gauge("userstream_process_resident_memory_bytes", Double(memory.resident))
            gauge("userstream_process_allocated_memory_bytes", Double(memory.allocated))
        }
        if let lag = extra.lag {
            for entry in lag {
                gauge("userstream_consumer_lag", Double(entry.lag), [("topic", entry.topic), ("partition", "\(entry.partition)")])
            }
        }
        if let assigned = extra.assignedPartitions {
            gauge("userstream_consumer_assigned_partitions", Double(assigned))
        }
        if let runs = extra.schedulerRuns {
            for state in ["queued", "running", "success", "failed", "skipped"] {
                gauge("userstream_scheduler_runs", Double(runs[state] ?? 0), [("state", state)])
            }
        }
    }

    /// Adds to `userstream_end_to_end_latency_seconds` the users measured since the last scrape, from the writer's
    /// own per-millisecond histogram: the write path records each user once (there), not twice.
    private func syncLatency() {
        let histogram = counters.endToEndLatency
        let now = histogram.snapshot()
        let timer = Metrics.Timer(label: Self.endToEnd, factory: factory)
        latencySynced.withLock { seen in
            if seen.isEmpty { seen = Array(repeating: 0, count: now.count) }
            for (milliseconds, count) in now.enumerated() where count > seen[milliseconds] {
                // At the cap the value is at least the cap: 1 ms more puts it above the last bucket.
                let value = Int64(milliseconds >= histogram.limit ? histogram.limit + 1 : milliseconds)
                for _ in 0..<(count - seen[milliseconds]) { timer.recordMilliseconds(value) }
            }
            seen = now
        }
    }

    private func gauge(_ label: String, _ value: Double, _ dimensions: [(String, String)] = []) {
        Gauge(label: label, dimensions: dimensions, factory: factory).record(value)
    }
}
