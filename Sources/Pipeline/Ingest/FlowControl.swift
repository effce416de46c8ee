import Kafka
import Logging
import ServiceLifecycle
import Synchronization

/// Holds the ingester back while the processor is too far behind.
///
/// The embedded broker (librdkafka's mock cluster) keeps only about 5 MiB per partition and silently drops older
/// data, so in embedded mode the ingester must never run further ahead of the processor than that window.
public protocol FlowControl: Sendable {
    /// Returns when `adding` more messages may be produced without exceeding the allowed lag.
    func waitForRoom(adding: Int) async throws
}

/// Flow control for one process (`userstream run`): the lag is what was handed to the producer (acknowledged or
/// still in flight) minus what the processor has taken out of its consumer, read from the shared
/// ``PipelineCounters``. Counting the messages in flight matters: the embedded broker drops what does not fit,
/// acknowledged or not.
///
/// What bounds the broker's log is what no consumer has read yet, so the lag counts up to the processor's poll, not
/// up to its commit: the records it has read but not yet written wait in its own bounded queue
/// (``StreamProcessor/Configuration/maxPendingRecords``), and the ingester keeps the broker busy meanwhile instead
/// of waiting for each store transaction. In one process nothing reads a record from the broker twice: the
/// embedded broker ends with the process, and one consumer keeps every partition for the whole run.
public struct InProcessFlowControl: FlowControl {
    /// Most messages produced but not yet read by the processor.
    public var maxLag: Int
    /// How often to look again while waiting. Default: 5 ms.
    public var pollInterval: Duration = .milliseconds(5)
    private let counters: PipelineCounters

    /// Allows at most `maxLag` unread messages.
    public init(maxLag: Int, counters: PipelineCounters) {
        self.maxLag = maxLag
        self.counters = counters
    }

    public func waitForRoom(adding: Int) async throws {
        while true {
            // Records the broker lost count as read: they will never be.
            let read = counters.polled.load(ordering: .relaxed) + counters.lost.load(ordering: .relaxed)
            let lag = counters.sent.load(ordering: .relaxed) - read
            if lag + adding <= maxLag || lag <= 0 || Task.isShuttingDownGracefully { return }
            try await Task.sleep(for: pollInterval)
        }
    }
}

/// Flow control across processes (`userstream ingest` beside `userstream process`): the lag is the consumer
/// group's, high watermark minus committed offset summed over the topic's partitions, asked of the broker.
public struct GroupLagFlowControl: FlowControl {
    /// Most messages produced but not yet committed by the group.
    public var maxLag: Int
    /// How often to ask the broker again while waiting. Default: 200 ms.
    public var pollInterval: Duration = .milliseconds(200)
    private let admin: KafkaAdmin
    private let group: String
    private let topic: String
    private let logger: Logger

    /// Allows at most `maxLag` messages of `topic` not yet committed by `group`.
    public init(maxLag: Int, admin: KafkaAdmin, group: String, topic: String, logger: Logger) {
        self.maxLag = maxLag
        self.admin = admin
        self.group = group
        self.topic = topic
        self.logger = logger
    }

    public func waitForRoom(adding: Int) async throws {
        var warned = false
        var lastProgress = ContinuousClock.now
        var lastLag: Int64?
        while true {
            if Task.isShuttingDownGracefully { return }
            let lag = try await admin.groupLag(group: group, topic: topic).values.reduce(0, +)
            if lag + Int64(adding) <= Int64(maxLag) || lag == 0 { return }
            if !warned {
                logger.info("waiting for the processors to catch up", metadata: ["lag": "\(lag)", "max-lag": "\(maxLag)"])
                warned = true
            }
            if let lastLag, lag < lastLag { lastProgress = .now }
            lastLag = lag
            if ContinuousClock.now - lastProgress >= .seconds(30) {
                // Waiting is the back-pressure asked for; saying why keeps it from looking like a hang.
                logger.warning(
                    "no progress of the consumer group for 30 s: is a processor running with this group?",
                    metadata: ["group": "\(group)", "lag": "\(lag)", "max-lag": "\(maxLag)"])
                lastProgress = .now
            }
            try await Task.sleep(for: pollInterval)
        }
    }
}
