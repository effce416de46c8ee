import ServiceLifecycle
import Logging
import NIOConcurrencyHelpers
import NIOPosix

/// Cluster administration: create and describe topics, check they exist, and read a group's lag.
///
/// Requests block inside librdkafka, so they run on NIO's blocking thread pool, never on Swift's cooperative
/// pool. The embedded broker (librdkafka's mock) does not implement CreateTopics or DescribeConfigs: there,
/// ``createTopics(_:ifNotExists:timeout:)`` and ``describeConfigs(topic:timeout:)`` throw, and topics are created with
/// ``EmbeddedKafkaBroker/createTopic(name:partitions:)``. Metadata, watermarks and group offsets work on both.
public final class KafkaAdmin: Sendable {
    private let core: RDKafkaAdminCore
    private let closed = NIOLockedValueBox(false)

    /// Creates an admin client (it connects lazily).
    /// - Parameters:
    ///   - configuration: brokers, client id and extra librdkafka properties.
    ///   - logger: where librdkafka logs.
    /// - Throws: ``KafkaError`` `.configuration` or `.clientCreation`.
    public init(configuration: KafkaConfiguration, logger: Logger = Logger(label: "kafka.admin")) throws {
        self.core = try RDKafkaAdminCore(configuration: configuration, logger: logger)
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable (RDKafkaAdminCore) throws -> T) async throws -> T {
        if self.closed.withLockedValue({ $0 }) {
            throw KafkaError(code: .closed, message: "the admin client is closed")
        }
        let core = self.core
        return try await NIOThreadPool.singleton.runIfActive { try body(core) }
    }

    /// Creates topics.
    /// - Parameters:
    ///   - topics: the topics with partitions, replication factor and configuration.
    ///   - ifNotExists: when true, a topic that already exists is not an error. Default: true.
    ///   - timeout: how long the brokers may take. Default: 30 s.
    /// - Throws: ``KafkaError`` `.admin` naming the first topic that failed (for example `INVALID_REPLICATION_FACTOR`,
    ///   or `UNSUPPORTED_VERSION`-like errors against the embedded broker).
    public func createTopics(_ topics: [KafkaTopicSpecification], ifNotExists: Bool = true, timeout: Duration = .seconds(30)) async throws {
        if topics.isEmpty { return }
        let milliseconds = timeout.clampedMilliseconds
        let results = try await self.run { core in try core.createTopics(topics, timeoutMilliseconds: milliseconds) }
        for (_, error) in results {
            guard let error else { continue }
            if ifNotExists && error.errorName == "TOPIC_ALREADY_EXISTS" { continue }
            throw error
        }
    }

    /// Describes topics from the cluster metadata: partitions, leaders, replicas and in-sync replicas.
    /// - Parameters:
    ///   - names: the topics; missing ones are left out of the result.
    ///   - timeout: how long the metadata request may take. Default: 10 s.
    /// - Returns: the descriptions of the topics that exist, in the order of `names`.
    /// - Throws: ``KafkaError`` `.admin` when the metadata cannot be fetched.
    public func describeTopics(_ names: [String], timeout: Duration = .seconds(10)) async throws -> [KafkaTopicDescription] {
        let all = try await self.listTopics(timeout: timeout)
        let byName = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return names.compactMap { byName[$0] }
    }

    /// Every topic in the cluster, from its metadata.
    /// - Parameter timeout: how long the metadata request may take. Default: 10 s.
    /// - Throws: ``KafkaError`` `.admin`.
    public func listTopics(timeout: Duration = .seconds(10)) async throws -> [KafkaTopicDescription] {
        let milliseconds = timeout.clampedMilliseconds
        return try await self.run { core in try core.metadata(timeoutMilliseconds: milliseconds) }
    }

    /// The names among `names` that do not exist in the cluster (asks for all topics, so nothing is auto-created).
    /// - Parameters:
    ///   - names: the topics that should exist.
    ///   - timeout: how long the metadata request may take. Default: 10 s.
    /// - Returns: the missing ones, in the order given.
    /// - Throws: ``KafkaError`` `.admin`.
    public func missingTopics(_ names: [String], timeout: Duration = .seconds(10)) async throws -> [String] {
        let existing = Set(try await self.listTopics(timeout: timeout).map(\.name))
        return names.filter { !existing.contains($0) }
    }

    /// A topic's configuration entries (`rd_kafka_DescribeConfigs`), such as `retention.ms`.
    /// - Parameters:
    ///   - topic: the topic.
    ///   - timeout: how long the brokers may take. Default: 10 s.
    /// - Returns: name → value (sensitive values are empty).
    /// - Throws: ``KafkaError`` `.admin` (the embedded broker does not support this request).
    public func describeConfigs(topic: String, timeout: Duration = .seconds(10)) async throws -> [String: String] {
        let milliseconds = timeout.clampedMilliseconds
        return try await self.run { core in try core.describeConfigs(topic: topic, timeoutMilliseconds: milliseconds) }
    }

    /// A partition's low and high watermarks (oldest retained offset, next offset to be written).
    /// - Parameters:
    ///   - partition: the topic and partition.
    ///   - timeout: how long the brokers may take. Default: 10 s.
    /// - Throws: ``KafkaError`` `.admin`.
    public func watermarks(_ partition: KafkaTopicPartition, timeout: Duration = .seconds(10)) async throws
        -> (low: Int64, high: Int64)
    {
        let milliseconds = timeout.clampedMilliseconds
        return try await self.run { core in try core.watermarks(partition, timeoutMilliseconds: milliseconds) }
    }

    /// The lag of `group` on each partition of `topic`: partition → messages not yet committed.
    ///
    /// Works while the group's members run in other processes: an ingester paces itself on it.
    /// - Parameters:
    ///   - group: the consumer group id.
    ///   - topic: the topic.
    ///   - timeout: how long each request may take. Default: 10 s.
    /// - Throws: ``KafkaError`` `.admin`.
    public func groupLag(group: String, topic: String, timeout: Duration = .seconds(10)) async throws -> [Int32: Int64] {
        let offsets = try await self.groupOffsets(group: group, topics: [topic], timeout: timeout)
        return Dictionary(offsets.map { ($0.topicPartition.partition, $0.lag) }, uniquingKeysWith: { first, _ in first })
    }

    /// A consumer group's committed offsets and lag on every partition of `topics`
    /// (`rd_kafka_ListConsumerGroupOffsets` + watermarks). Works while the group's members run elsewhere,
    /// which is how an ingester in another process paces itself on the processor's lag.
    /// - Parameters:
    ///   - group: the consumer group id.
    ///   - topics: the topics whose partitions to report.
    ///   - timeout: how long each request may take. Default: 10 s.
    /// - Returns: one entry per partition, sorted by topic and partition.
    /// - Throws: ``KafkaError`` `.admin`.
    public func groupOffsets(group: String, topics: [String], timeout: Duration = .seconds(10)) async throws
        -> [KafkaGroupPartitionLag]
    {
        let milliseconds = timeout.clampedMilliseconds
        let wanted = Set(topics)
        return try await self.run { core in
            let partitions = try core.metadata(timeoutMilliseconds: milliseconds)
                .filter { wanted.contains($0.name) }
                .flatMap { topic in topic.partitions.map { KafkaTopicPartition(topic: topic.name, partition: $0.id) } }
                .sorted()
            let committed = try core.committedOffsets(group: group, partitions: partitions, timeoutMilliseconds: milliseconds)
            return try partitions.map { partition in
                let (low, high) = try core.watermarks(partition, timeoutMilliseconds: milliseconds)
                let offset = committed[partition].flatMap { $0 >= 0 ? $0 : nil }
                return KafkaGroupPartitionLag(topicPartition: partition, committed: offset, low: low, high: high)
            }
        }
    }

    /// The total lag of `group` over `topics` (sum of ``KafkaGroupPartitionLag/lag``).
    /// - Parameters:
    ///   - group: the consumer group id.
    ///   - topics: the topics.
    ///   - timeout: how long each request may take. Default: 10 s.
    /// - Throws: ``KafkaError`` `.admin`.
    public func totalLag(group: String, topics: [String], timeout: Duration = .seconds(10)) async throws -> Int64 {
        try await self.groupOffsets(group: group, topics: topics, timeout: timeout).reduce(0) { $0 + $1.lag }
    }

    /// Destroys the client (blocks for a few milliseconds while librdkafka stops its threads; usable in `defer`).
    /// Idempotent; later calls throw `.closed`. Call it once no request is running.
    public func close() {
        let wasClosed = self.closed.withLockedValue { closed -> Bool in
            defer { closed = true }
            return closed
        }
        if wasClosed { return }
        self.core.destroy()
    }

    deinit {
        if !self.closed.withLockedValue({ $0 }) {
            self.core.destroy()
        }
    }
}

extension KafkaAdmin: Service {
    /// Runs until the service group shuts down (or is cancelled), then closes the admin client.
    public func run() async throws {
        try? await gracefulShutdown()
        close()
    }
}
