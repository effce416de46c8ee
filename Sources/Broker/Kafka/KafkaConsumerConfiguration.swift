/// Settings of a ``KafkaConsumer``.
///
/// The consumer never commits by itself (`enable.auto.commit=false`, `enable.auto.offset.store=false`):
/// the caller commits what it has processed with `KafkaConsumer.commit(_:)`.
public struct KafkaConsumerConfiguration: Sendable {
    /// Where a consumer starts on a partition that has no committed offset (`auto.offset.reset`).
    public struct AutoOffsetReset: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String { case earliest, latest }
        private let value: Value
        private init(_ value: Value) { self.value = value }
        /// Start from the oldest retained message.
        public static let earliest = AutoOffsetReset(.earliest)
        /// Start after the newest message (only new messages are read).
        public static let latest = AutoOffsetReset(.latest)
        /// The librdkafka value.
        public var description: String { self.value.rawValue }
    }

    /// How a group's partitions are spread over its members (`partition.assignment.strategy`).
    public struct AssignmentStrategy: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String {
            case range = "range"
            case roundRobin = "roundrobin"
            case rangeRoundRobin = "range,roundrobin"
            case cooperativeSticky = "cooperative-sticky"
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }
        /// Eager `range`: all partitions are revoked and reassigned on each rebalance.
        public static let range = AssignmentStrategy(.range)
        /// Eager `roundrobin`.
        public static let roundRobin = AssignmentStrategy(.roundRobin)
        /// Eager `range,roundrobin` (librdkafka's default).
        public static let rangeRoundRobin = AssignmentStrategy(.rangeRoundRobin)
        /// Incremental `cooperative-sticky`: only moved partitions are revoked.
        public static let cooperativeSticky = AssignmentStrategy(.cooperativeSticky)
        /// The librdkafka value.
        public var description: String { self.value.rawValue }
    }

    /// Settings shared by all clients.
    public var common: KafkaConfiguration
    /// The consumer group (`group.id`). Default: `"userstream"`.
    public var groupID: String
    /// Where to start without a committed offset. Default: `.earliest`.
    public var autoOffsetReset: AutoOffsetReset
    /// The group session timeout (`session.timeout.ms`): a member silent this long is removed. Default: 45 000 ms.
    /// Tests use about 6 000 ms: the embedded broker completes a rebalance only after about this timeout − 1 s.
    public var sessionTimeoutMilliseconds: Int
    /// The heartbeat interval (`heartbeat.interval.ms`). Default: 3 000 ms (tests: about 500 ms).
    public var heartbeatIntervalMilliseconds: Int
    /// The longest time between two polls before the member leaves the group (`max.poll.interval.ms`).
    /// Default: 300 000 ms.
    public var maxPollIntervalMilliseconds: Int
    /// The assignment strategy. Default: `.rangeRoundRobin` (eager): it works with the embedded broker of
    /// librdkafka 2.0.2 and makes every revocation total, which keeps the drop-on-revoke rule simple.
    public var assignmentStrategy: AssignmentStrategy
    /// How long the rebalance callback waits for the committed offsets of new partitions (used for gap
    /// detection). Default: 10 000 ms.
    public var committedOffsetsTimeoutMilliseconds: Int
    /// The most data, in KiB, the consumer fetches ahead of `poll` into its local queue
    /// (`queued.max.messages.kbytes`). librdkafka's default is 65,536; a smaller queue bounds memory and still keeps
    /// a processor of micro-batches busy. Default: 16,384.
    public var prefetchKilobytes: Int
    /// The longest a broker holds a fetch request waiting for data (`fetch.wait.max.ms`). librdkafka's default,
    /// 500 ms, adds up to half a second to a record that arrives at a quiet moment; a few milliseconds keep the
    /// end-to-end latency low at the cost of more fetch requests when idle. Default: 5.
    public var fetchWaitMaxMilliseconds: Int
    /// When a partition has no committed offset and ``autoOffsetReset`` is `.earliest`, expect its first message
    /// at offset 0, so records removed before the group ever read them are reported as a gap. Default: `true`.
    public var expectOffsetZeroWithoutCommit: Bool

    /// Creates a consumer configuration with the documented defaults.
    /// - Parameters:
    ///   - common: settings shared by all clients.
    ///   - groupID: the consumer group.
    public init(common: KafkaConfiguration = KafkaConfiguration(), groupID: String = "userstream") {
        self.common = common
        self.groupID = groupID
        self.autoOffsetReset = .earliest
        self.sessionTimeoutMilliseconds = 45_000
        self.heartbeatIntervalMilliseconds = 3_000
        self.maxPollIntervalMilliseconds = 300_000
        self.assignmentStrategy = .rangeRoundRobin
        self.committedOffsetsTimeoutMilliseconds = 10_000
        self.expectOffsetZeroWithoutCommit = true
        self.prefetchKilobytes = 16_384
        self.fetchWaitMaxMilliseconds = 5
    }

    /// All librdkafka properties, in the order they are applied.
    var properties: [(String, String)] {
        var properties = self.common.baseProperties
        properties += [
            ("group.id", self.groupID),
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("auto.offset.reset", self.autoOffsetReset.description),
            ("session.timeout.ms", String(self.sessionTimeoutMilliseconds)),
            ("heartbeat.interval.ms", String(self.heartbeatIntervalMilliseconds)),
            ("max.poll.interval.ms", String(self.maxPollIntervalMilliseconds)),
            ("partition.assignment.strategy", self.assignmentStrategy.description),
            ("enable.partition.eof", "false"),
            ("queued.max.messages.kbytes", String(self.prefetchKilobytes)),
            ("fetch.wait.max.ms", String(self.fetchWaitMaxMilliseconds)),
            // Broker state changes are logged from the statistics, once per change (BrokerStateTracker).
            ("statistics.interval.ms", "5000"),
        ]
        properties += self.common.extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return properties
    }
}
