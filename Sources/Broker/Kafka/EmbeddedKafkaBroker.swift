import ServiceLifecycle
import Logging
import NIOConcurrencyHelpers

/// An in-process Kafka broker for tests, demos and single-binary runs: librdkafka's mock cluster.
///
/// It speaks the Kafka protocol on 127.0.0.1, so real clients (this module's, or any other) connect to
/// ``bootstrapServers``. Limits of the mock in librdkafka 2.0.2 (`rdkafka_mock.c`) to keep in mind:
/// - **Bounded retention**: each partition keeps about 5 MiB of record batches; older data is dropped
///   silently (the log start offset moves). ``KafkaConsumer`` reports such loss as a `.gap` event.
/// - **No CreateTopics / DescribeConfigs**: create topics with ``createTopic(name:partitions:)`` (or the
///   `topics` of the configuration) *before* clients use them; otherwise the mock auto-creates a topic on
///   first use with its default partition count.
/// - **Nothing on disk**: all data is gone after ``shutdown()``.
/// - **Slow rebalances**: after a consumer joins a group, the next rebalance completes only after about
///   `session.timeout.ms` − 1 s; use short session timeouts (≈ 6 s) in tests.
/// - The mock binds its brokers to ephemeral ports. With a fixed ``Configuration/port`` this type listens on
///   127.0.0.1:port itself and forwards bytes to the mock's first broker; the metadata still advertises the
///   mock's real ports, so clients must reach 127.0.0.1 directly (the fixed port is only a bootstrap address).
public final class EmbeddedKafkaBroker: Sendable {
    /// How to start the embedded broker.
    public struct Configuration: Sendable {
        /// How many brokers the mock cluster runs. Default: 1.
        public var brokers: Int
        /// A fixed bootstrap port on 127.0.0.1, or `nil` to use the mock's ephemeral port. Default: `nil`.
        /// `0` runs the forwarder on a port the system picks (see ``EmbeddedKafkaBroker/bootstrapServers``).
        public var port: Int?
        /// Topics created at start, as (name, partitions). Default: none.
        public var topics: [(name: String, partitions: Int)]

        /// Creates a configuration.
        /// - Parameters:
        ///   - brokers: the number of brokers.
        ///   - port: a fixed bootstrap port, or `nil`.
        ///   - topics: topics to create at start.
        public init(brokers: Int = 1, port: Int? = nil, topics: [(name: String, partitions: Int)] = []) {
            self.brokers = brokers
            self.port = port
            self.topics = topics
        }
    }

    private let cluster: RDKafkaMockCluster
    private let forwarder: PortForwarder?
    private let replicationFactor: Int
    private let stopped = NIOLockedValueBox(false)
    private let logger: Logger

    /// The port a standalone embedded broker (`userstream broker`) listens on unless told otherwise: Kafka's own.
    public static let standalonePort = 9092

    /// The address clients bootstrap from: `127.0.0.1:<port>` with a fixed port, else the mock's own list.
    public let bootstrapServers: String

    /// Starts the mock cluster (and the fixed-port forwarder if a port is set) and creates the configured topics.
    /// - Parameters:
    ///   - configuration: brokers, port and topics.
    ///   - logger: where the mock's librdkafka logs go.
    /// - Throws: ``KafkaError`` `.mockCluster` or `.forwarder` (for example when the port is taken).
    public init(
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "kafka.embedded-broker")
    ) throws {
        self.logger = logger
        let cluster = try RDKafkaMockCluster(brokers: max(1, configuration.brokers), logger: logger)
        self.cluster = cluster
        self.replicationFactor = max(1, configuration.brokers)
        do {
            for topic in configuration.topics {
                try cluster.createTopic(topic.name, partitions: topic.partitions, replicationFactor: self.replicationFactor)
            }
            if let port = configuration.port {
                let first = cluster.bootstraps.split(separator: ",").first.map(String.init) ?? cluster.bootstraps
                guard let colon = first.lastIndex(of: ":"), let upstreamPort = Int(first[first.index(after: colon)...]) else {
                    throw KafkaError(code: .forwarder, message: "cannot parse the mock's bootstrap address \(first)")
                }
                let upstreamHost = String(first[..<colon])
                let forwarder = try PortForwarder(
                    listenPort: port,
                    upstreamHost: upstreamHost,
                    upstreamPort: upstreamPort,
                    logger: logger
                )
                self.forwarder = forwarder
                self.bootstrapServers = "127.0.0.1:\(forwarder.port ?? port)"
            } else {
                self.forwarder = nil
                self.bootstrapServers = cluster.bootstraps
            }
        } catch {
            cluster.destroy()
            throw error
        }
        logger.info("embedded Kafka broker started", metadata: ["bootstrap": "\(self.bootstrapServers)"])
    }

    /// Creates a topic on the mock cluster (replication factor = number of brokers).
    ///
    /// Call it before any client uses the topic. Creating an existing topic throws.
    /// - Parameters:
    ///   - name: the topic name.
    ///   - partitions: the number of partitions.
    /// - Throws: ``KafkaError`` `.mockCluster` (for example `TOPIC_ALREADY_EXISTS`), or `.closed`.
    public func createTopic(name: String, partitions: Int) throws {
        if self.stopped.withLockedValue({ $0 }) {
            throw KafkaError(code: .closed, message: "the embedded broker is shut down")
        }
        try self.cluster.createTopic(name, partitions: partitions, replicationFactor: self.replicationFactor)
    }

    /// A Kafka protocol request type whose answers ``failRequests(_:with:)`` can replace with errors.
    public struct Request: Sendable, Hashable {
        let apiKey: Int16
        /// Produce (API key 0).
        public static let produce = Request(apiKey: 0)
        /// Fetch (1).
        public static let fetch = Request(apiKey: 1)
        /// OffsetCommit (8).
        public static let offsetCommit = Request(apiKey: 8)
        /// JoinGroup (11).
        public static let joinGroup = Request(apiKey: 11)
        /// Heartbeat (12).
        public static let heartbeat = Request(apiKey: 12)
        /// SyncGroup (14).
        public static let syncGroup = Request(apiKey: 14)
    }

    /// Fault injection: the broker answers the next `errors.count` requests of type `request` with these Kafka
    /// error codes, in order (for example `26`, INVALID_SESSION_TIMEOUT, to a JoinGroup); `-195` (librdkafka's
    /// `_TRANSPORT`) drops the connection instead.
    public func failRequests(_ request: Request, with errors: [Int32]) {
        if self.stopped.withLockedValue({ $0 }) { return }
        self.cluster.failRequests(apiKey: request.apiKey, codes: errors)
    }

    /// Fault injection: takes broker `id` (1…``Configuration-swift.struct/brokers``) down, as if it died: its
    /// connections close and it accepts none, so the partitions it leads are unavailable until ``setBroker(_:up:)``
    /// brings it back. Its data is kept.
    /// - Throws: ``KafkaError`` `.mockCluster` for an unknown broker.
    public func setBroker(_ id: Int32, up: Bool) throws {
        try self.cluster.setBroker(id, up: up)
    }

    /// Fault injection: moves the leadership of `topic`'s `partition` to broker `id`, as a controller does after a
    /// failure or a reassignment. Clients find the new leader through NOT_LEADER answers and fresh metadata.
    /// - Throws: ``KafkaError`` `.mockCluster` for an unknown topic, partition or broker.
    public func moveLeader(topic: String, partition: Int32, to id: Int32) throws {
        try self.cluster.setLeader(topic: topic, partition: partition, broker: id)
    }

    /// Stops the forwarder and destroys the mock cluster; its data is gone. Close clients first. Idempotent.
    public func shutdown() {
        let wasStopped = self.stopped.withLockedValue { stopped -> Bool in
            defer { stopped = true }
            return stopped
        }
        if wasStopped { return }
        self.forwarder?.close()
        self.cluster.destroy()
    }

    deinit {
        self.shutdown()
    }
}

extension EmbeddedKafkaBroker: Service {
    /// Runs until the service group shuts down (or is cancelled), then shuts the broker down. List it first, so
    /// that it stops after every client.
    public func run() async throws {
        try? await gracefulShutdown()
        shutdown()
        logger.info("embedded broker stopped")
    }
}
