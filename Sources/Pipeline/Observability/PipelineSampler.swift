import Foundation
import Kafka
import Logging
import ServiceLifecycle
import Serving
import Synchronization

/// Samples the pipeline every 2 seconds for the HTTP face: rates, the interval's latency, the consumer lag (from
/// the broker: the group's committed offsets against the high watermarks) and the consumer's assignment. Keeps
/// the last 5 minutes. A broker that does not answer is remembered, for `/ready` and the dashboard.
public final class PipelineSampler: Service {
    /// Where the lag comes from.
    public struct LagSource: Sendable {
        public var admin: KafkaAdmin
        public var group: String
        public var topic: String

        public init(admin: KafkaAdmin, group: String, topic: String) {
            self.admin = admin
            self.group = group
            self.topic = topic
        }
    }

    /// How the broker answered the last lag query.
    public enum BrokerAnswer: Sendable, Equatable {
        case answered
        /// The error, in one line.
        case failed(String)
    }

    /// What the last sample saw.
    public struct Snapshot: Sendable {
        public var history: [PipelineStats.Sample] = []
        public var lag: [(topic: String, partition: Int, lag: Int)]?
        /// Partitions assigned to the consumer, nil without one (or before the first sample).
        public var assigned: Int?
        /// When the consumer last had partitions (monotonic ns), or 0.
        public var lastAssignedNanos = 0
        /// The broker's last answer to the lag query: nil before the first (or without a broker to ask).
        public var broker: BrokerAnswer?
        /// When the broker last answered (monotonic ns), or 0.
        public var brokerAnsweredNanos = 0
    }

    private struct Totals {
        var at: Int
        var produced: Int
        var stored: Int
        var rejected: Int
        var violations: Int
        var fetched: Int
    }

    private let counters: PipelineCounters
    private let lagSource: LagSource?
    private let consumer: KafkaConsumer?
    private let interval: Duration
    private let logger: Logger
    private let state = Mutex(Snapshot())
    private let previous = Mutex<[Totals]>([])
    /// The latency histogram's counts at the last sample (one array, 60,001 counts: kept once, not per sample).
    private let lastLatency = Mutex<[Int]>([])
    /// Samples kept: 5 minutes.
    static let kept = 150

    /// A sampler of `counters`, with the lag of `lagSource` and the assignment of `consumer` when given.
    public init(
        counters: PipelineCounters, lagSource: LagSource?, consumer: KafkaConsumer?, interval: Duration = .seconds(2),
        logger: Logger
    ) {
        self.counters = counters
        self.lagSource = lagSource
        self.consumer = consumer
        self.interval = interval
        self.logger = logger
    }

    /// Whether it asks a broker (not in `serve`).
    public var watchesBroker: Bool { lagSource != nil }

    /// The last sample's view.
    public var snapshot: Snapshot { state.withLock { $0 } }

    /// Per-second rates over the last 10 seconds (fetched, produced, stored, rejected).
    public var rates: PipelineStats.Rates {
        previous.withLock { totals in
            var rates = PipelineStats.Rates()
            guard let last = totals.last, let first = totals.dropLast().suffix(5).first else { return rates }
            let seconds = Double(last.at - first.at) / 1e9
            guard seconds > 0 else { return rates }
            rates.fetchedPerSecond = Double(last.fetched - first.fetched) / seconds
            rates.producedPerSecond = Double(last.produced - first.produced) / seconds
            rates.storedPerSecond = Double(last.stored - first.stored) / seconds
            rates.rejectedPerSecond = Double(last.rejected - first.rejected) / seconds
            return rates
        }
    }

    public func run() async throws {
        await sample()
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: self.interval)
                } catch {
                    return
                }
                await self.sample()
            }
        }
    }

    /// Takes one sample now.
    public func sample() async {
        let now = WallClock.monotonicNanoseconds()
        let stats = counters.transformStats
        let totals = Totals(
            at: now, produced: counters.produced.load(ordering: .relaxed), stored: counters.stored.load(ordering: .relaxed),
            rejected: counters.rejected.load(ordering: .relaxed), violations: stats.violations,
            fetched: counters.fetched.load(ordering: .relaxed))
        let latency = counters.endToEndLatency.snapshot()
        let previousLatency = lastLatency.withLock { last in
            defer { last = latency }
            return last
        }
        let last = previous.withLock { list -> Totals? in
            let last = list.last
            list.append(totals)
            if list.count > 6 { list.removeFirst(list.count - 6) }
            return last
        }
        var lag: [(topic: String, partition: Int, lag: Int)]?
        var broker: BrokerAnswer?
        if let lagSource {
            do {
                let partitions = try await lagSource.admin.groupOffsets(
                    group: lagSource.group, topics: [lagSource.topic], timeout: .seconds(2))
                lag = partitions.map { (topic: $0.topicPartition.topic, partition: Int($0.topicPartition.partition), lag: Int($0.lag)) }
                broker = .answered
            } catch {
                broker = .failed("\(error)")
            }
        }
        var assigned: Int?
        if let consumer {
            assigned = (try? await withTimeout(.seconds(2), waitingFor: "the consumer") { try await consumer.assignment() })?.count
        }
        state.withLock { snapshot in
            if let last {
                let seconds = max(0.001, Double(now - last.at) / 1e9)
                let interval = previousLatency.isEmpty ? latency : zip(latency, previousLatency).map { $0 - $1 }
                snapshot.history.append(
                    PipelineStats.Sample(
                        t: WallClock.milliseconds(),
                        producedPerSecond: Double(totals.produced - last.produced) / seconds,
                        storedPerSecond: Double(totals.stored - last.stored) / seconds,
                        rejectedPerSecond: Double(totals.rejected - last.rejected) / seconds,
                        violationsPerSecond: Double(totals.violations - last.violations) / seconds,
                        latencyP50Ms: LatencyHistogram.percentile(0.5, of: interval),
                        latencyP99Ms: LatencyHistogram.percentile(0.99, of: interval),
                        lag: lag?.reduce(0) { $0 + $1.lag }))
                if snapshot.history.count > Self.kept { snapshot.history.removeFirst(snapshot.history.count - Self.kept) }
            }
            if lagSource != nil {
                snapshot.broker = broker
                if broker == .answered { snapshot.brokerAnsweredNanos = now }
                if let lag { snapshot.lag = lag }
            }
            if let assigned {
                snapshot.assigned = assigned
                if assigned > 0 { snapshot.lastAssignedNanos = now }
            }
        }
    }
}
