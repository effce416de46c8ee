import Kafka
import Logging
import ServiceLifecycle

/// Watches the producer's acknowledgements. librdkafka retries a produce the brokers refuse (NOT_ENOUGH_REPLICAS
/// when `min.insync.replicas` is unmet, no leader while the controller quorum is lost) silently until
/// `kafka.delivery-timeout`; this makes such a stall visible at once: one warning when the brokers have
/// acknowledged nothing for ``Configuration-swift.struct/stallAfter`` while messages wait, one line per partition
/// and state change saying what the cluster's metadata shows (no leader; fewer replicas in sync than
/// `min.insync.replicas`), and one notice when acknowledgements resume. Progress, `/ready` and `/metrics` show the
/// stall through ``PipelineCounters/produceStalledSince``.
public final class ProduceWatch: Service {
    /// When a stall is declared and how often the watch looks.
    public struct Configuration: Sendable {
        /// No acknowledgement for this long while messages wait is a stall. Default: 10 s.
        public var stallAfter: Duration = .seconds(10)
        /// How often the counters are read. Default: 1 s.
        public var interval: Duration = .seconds(1)
        /// The producer's delivery timeout, for the warning. Default: 5 minutes.
        public var deliveryTimeout: Duration = .seconds(300)

        public init() {}
    }

    private let counters: PipelineCounters
    private let admin: KafkaAdmin?
    private let topic: String
    private let configuration: Configuration
    private let logger: Logger

    /// A watch of `counters`; `admin` (optional) tells what the cluster's metadata shows for `topic`.
    public init(
        counters: PipelineCounters, admin: KafkaAdmin?, topic: String, configuration: Configuration = Configuration(),
        logger: Logger
    ) {
        self.counters = counters
        self.admin = admin
        self.topic = topic
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.watch() }
    }

    private func watch() async {
        var lastProduced = counters.produced.load(ordering: .relaxed)
        var lastProgress = WallClock.monotonicNanoseconds()
        var reported: [Int32: String] = [:]
        do {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: self.configuration.interval)
                } catch {
                    return
                }
                let now = WallClock.monotonicNanoseconds()
                let produced = self.counters.produced.load(ordering: .relaxed)
                let waiting = self.counters.awaitingAcknowledgement
                if produced != lastProduced || waiting == 0 {
                    if let stall = self.counters.produceStall, produced != lastProduced {
                        self.logger.notice(
                            "the brokers acknowledge messages again",
                            metadata: ["stalled_for": "\(DurationText.wholeSeconds(stall))"])
                    }
                    self.counters.produceStalledSince.store(0, ordering: .relaxed)
                    reported = [:]
                    lastProduced = produced
                    lastProgress = now
                    continue
                }
                let silent = Duration.nanoseconds(now - lastProgress)
                guard silent >= self.configuration.stallAfter else { continue }
                if self.counters.produceStalledSince.load(ordering: .relaxed) == 0 {
                    self.counters.produceStalledSince.store(lastProgress, ordering: .relaxed)
                    self.logger.warning(
                        "the brokers have acknowledged none of the waiting messages; librdkafka retries them until kafka.delivery-timeout, then they fail",
                        metadata: [
                            "waiting": "\(waiting)", "for": "\(DurationText.wholeSeconds(silent))",
                            "delivery_timeout": "\(DurationText.format(self.configuration.deliveryTimeout))",
                        ])
                }
                await self.reportPartitions(&reported)
            }
        }
    }

    /// One line per partition whose state (leader, in-sync replicas) changed since the last report.
    private func reportPartitions(_ reported: inout [Int32: String]) async {
        guard let admin else { return }
        guard let description = try? await admin.describeTopics([topic], timeout: .seconds(2)).first else { return }
        let minimum = (try? await admin.describeConfigs(topic: topic, timeout: .seconds(2)))?["min.insync.replicas"]
            .flatMap { Int($0) }
        for partition in description.partitions {
            let reason: String?
            if partition.leader < 0 {
                reason = "no leader (the controller cannot elect one: brokers down or the controller quorum lost)"
            } else if let minimum, partition.isr.count < minimum {
                reason = "\(partition.isr.count) of \(partition.replicas.count) replicas in sync, below "
                    + "min.insync.replicas \(minimum): the leader refuses acks=all writes (NOT_ENOUGH_REPLICAS)"
            } else if partition.isr.count < partition.replicas.count {
                reason = "\(partition.isr.count) of \(partition.replicas.count) replicas in sync"
            } else {
                reason = nil
            }
            let state = reason ?? "healthy"
            guard reported[partition.id] != state else { continue }
            reported[partition.id] = state
            if let reason {
                logger.warning(
                    "partition cannot take writes now", metadata: ["partition": "\(topic)[\(partition.id)]", "reason": "\(reason)"])
            }
        }
    }
}
