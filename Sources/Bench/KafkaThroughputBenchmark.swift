import Pipeline
import UsersContract
import Foundation
import Kafka
import RandomUser

/// Producer and consumer throughput against the embedded broker (librdkafka's mock cluster), with synthetic
/// users of about 1.08 KB as message values, the ingester's headers, lz4 and `linger.ms` 5 — the kcat anchors'
/// settings.
public struct KafkaThroughputBenchmark: Sendable {
    /// What to send and how.
    public struct Configuration: Sendable {
        /// Messages. Default: 1,000,000.
        public var count = 1_000_000
        /// Partitions of the topic. Default: 6.
        public var partitions = 6
        /// Messages handed to the producer at once. Default: 10,000.
        public var chunk = 10_000
        /// Chunks awaiting acknowledgements at once. Default: 4.
        public var chunksInFlight = 4
        /// Distinct users cycled through (generating is not what is measured). Default: 10,000.
        public var distinctUsers = 10_000
        /// The generator's seed. Default: `bench`.
        public var seed = "bench"
        /// The producer's `linger.ms`. Default: 5.
        public var lingerMilliseconds = 5
        /// Consume only: the most messages produced but not yet consumed (the mock keeps ~5 MiB per partition and
        /// drops older data). Default: 3,000 per partition.
        public var maxLagPerPartition = 3000
        /// Consume only: extra librdkafka properties of the consumer. Default: `fetch.wait.max.ms=5` (with
        /// librdkafka's 500 ms the mock broker holds each fetch that finds the partition drained).
        public var consumerProperties: [String: String] = ["fetch.wait.max.ms": "5"]
        /// Consume only: messages per poll. Default: 10,000.
        public var pollMessages = 10_000

        /// The defaults above.
        public init() {}
    }

    /// What was measured.
    public struct Result: Sendable, Hashable {
        /// Messages produced (acknowledged) or consumed.
        public var messages: Int
        /// Bytes of their values.
        public var bytes: Int
        /// Seconds from the first send (produce) or the first message received (consume) to the last.
        public var seconds: Double
        /// Consume only: messages the broker dropped before they were read.
        public var lost: Int
        /// Consume only: the median time of one synchronous offset commit, in milliseconds (0 for produce).
        public var commitP50Milliseconds: Double = 0
        /// Consume only: the slowest offset commit, in milliseconds (0 for produce).
        public var commitMaxMilliseconds: Double = 0

        /// Messages per second.
        public var messagesPerSecond: Double { seconds > 0 ? Double(messages) / seconds : 0 }
        /// Value megabytes (10⁶ bytes) per second.
        public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / 1e6 / seconds : 0 }
    }

    /// The consumer did not receive every message in time.
    public struct TimeoutError: Error, CustomStringConvertible {
        /// Always `consume_timeout`.
        public var code = "consume_timeout"
        /// Messages received.
        public var received: Int
        public var description: String { "\(code): only \(received) messages arrived" }
    }

    /// The configuration.
    public var configuration: Configuration

    /// Creates the benchmark.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    static let topic = "bench_users"

    /// The distinct messages, as the ingester makes them.
    func makePool() -> [KafkaOutgoingMessage] {
        let generator = SyntheticUserGenerator(configuration: .init(seed: configuration.seed))
        let fetched = UserPage(
            users: generator.users(page: 1, count: max(1, min(configuration.distinctUsers, configuration.count))),
            fetchedAt: WallClock.milliseconds(), page: 1)
        let headers = MessageEnvelope.kafkaHeaders(source: "synthetic", fetchedAt: fetched.fetchedAt)
        return fetched.users.map {
            KafkaOutgoingMessage(topic: Self.topic, key: $0.key, value: $0.value, headers: headers)
        }
    }

    func chunk(_ index: Int, pool: [KafkaOutgoingMessage]) -> [KafkaOutgoingMessage] {
        let start = index * configuration.chunk
        let end = min(configuration.count, start + configuration.chunk)
        return (start..<end).map { pool[$0 % pool.count] }
    }

    func makeProducer(_ broker: EmbeddedKafkaBroker) throws -> KafkaProducer {
        try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                common: KafkaConfiguration(brokers: broker.bootstrapServers, clientID: "userstream-bench"),
                lingerMilliseconds: configuration.lingerMilliseconds))
    }

    /// Produces ``Configuration/count`` messages as fast as acknowledgements come back.
    public func produce() async throws -> Result {
        let broker = try EmbeddedKafkaBroker(configuration: .init(topics: [(Self.topic, configuration.partitions)]))
        defer { broker.shutdown() }
        let producer = try makeProducer(broker)
        let pool = makePool()
        let chunks = (configuration.count + configuration.chunk - 1) / max(1, configuration.chunk)
        let started = ContinuousClock.now
        let bytes = try await withThrowingTaskGroup(of: Int.self) { group in
            var total = 0
            for index in 0..<chunks {
                let messages = chunk(index, pool: pool)
                if index >= configuration.chunksInFlight, let done = try await group.next() { total += done }
                group.addTask {
                    _ = try await producer.send(messages)
                    return messages.reduce(0) { $0 + $1.value.count }
                }
            }
            for try await done in group { total += done }
            return total
        }
        let seconds = (ContinuousClock.now - started).seconds
        try await producer.close()
        return Result(messages: configuration.count, bytes: bytes, seconds: seconds, lost: 0)
    }

    /// Produces ``Configuration/count`` messages while one consumer (a group member, committing each poll) reads
    /// them; the producer never runs more than the allowed lag ahead.
    public func consume() async throws -> Result {
        let broker = try EmbeddedKafkaBroker(configuration: .init(topics: [(Self.topic, configuration.partitions)]))
        defer { broker.shutdown() }
        let producer = try makeProducer(broker)
        var consumerCommon = KafkaConfiguration(brokers: broker.bootstrapServers, clientID: "userstream-bench")
        consumerCommon.extra = configuration.consumerProperties
        var consumerConfiguration = KafkaConsumerConfiguration(
            common: consumerCommon,
            groupID: "bench-\(UInt32.random(in: 0...UInt32.max))")
        consumerConfiguration.sessionTimeoutMilliseconds = 6000
        consumerConfiguration.heartbeatIntervalMilliseconds = 500
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, topics: [Self.topic])
        let pool = makePool()
        let counters = PipelineCounters()
        let chunks = (configuration.count + configuration.chunk - 1) / max(1, configuration.chunk)
        let maxLag = configuration.maxLagPerPartition * configuration.partitions
        let total = configuration.count
        let chunkSize = configuration.chunk
        let produced = Task {
            for index in 0..<chunks {
                let messages = chunk(index, pool: pool)
                while counters.produced.load(ordering: .relaxed) - counters.handled.load(ordering: .relaxed)
                    + messages.count > max(maxLag, chunkSize)
                {
                    try await Task.sleep(for: .milliseconds(1))
                }
                _ = try await producer.send(messages)
                counters.produced.add(messages.count, ordering: .relaxed)
            }
        }
        defer { produced.cancel() }
        var received = 0
        var lost = 0
        var bytes = 0
        var first: ContinuousClock.Instant?
        var last = ContinuousClock.now
        var idleSince = ContinuousClock.now
        var commitTimes: [Double] = []
        while received + lost < total {
            let batch = try await consumer.poll(maxMessages: configuration.pollMessages, timeout: .milliseconds(100))
            for case .gap(_, _, let expected, let got) in batch.events { lost += Int(got - expected) }
            if batch.messages.isEmpty {
                if ContinuousClock.now - idleSince > .seconds(30) { throw TimeoutError(received: received) }
                continue
            }
            if first == nil { first = .now }
            idleSince = .now
            received += batch.messages.count
            for message in batch.messages { bytes += message.value.count }
            let commitStarted = ContinuousClock.now
            try await consumer.commit(batch)
            commitTimes.append((ContinuousClock.now - commitStarted).seconds * 1000)
            counters.handled.add(batch.messages.count, ordering: .relaxed)
            last = .now
        }
        try await produced.value
        try await consumer.close()
        try await producer.close()
        let seconds = first.map { (last - $0).seconds } ?? 0
        commitTimes.sort()
        return Result(
            messages: received, bytes: bytes, seconds: seconds, lost: lost,
            commitP50Milliseconds: commitTimes.isEmpty ? 0 : commitTimes[(commitTimes.count - 1) / 2],
            commitMaxMilliseconds: commitTimes.last ?? 0)
    }

    /// Runs ``produce()`` and reports the figures with the kcat anchor.
    public func produceReport() async throws -> BenchReport {
        let result = try await produce()
        return BenchReport(
            scenario: "produce",
            figures: [
                BenchFigure("throughput", result.messagesPerSecond, unit: "msgs/s", anchor: BenchTargets.produceAnchor),
                BenchFigure("bandwidth", result.megabytesPerSecond, unit: "MB/s"),
            ],
            setup: [
                "\(result.messages) messages (\(BenchFormat.number(Double(result.bytes) / Double(max(result.messages, 1)))) bytes values), "
                    + "\(configuration.partitions) partitions, lz4, linger \(configuration.lingerMilliseconds) ms, acks=all, "
                    + "\(configuration.chunk) per send, \(configuration.chunksInFlight) sends in flight, into the embedded broker"
            ]
        )
    }

    /// Runs ``consume()`` and reports the figures with the kcat anchor.
    public func consumeReport() async throws -> BenchReport {
        let result = try await consume()
        return BenchReport(
            scenario: "consume",
            figures: [
                BenchFigure("throughput", result.messagesPerSecond, unit: "msgs/s", anchor: BenchTargets.consumeAnchor),
                BenchFigure("bandwidth", result.megabytesPerSecond, unit: "MB/s"),
                BenchFigure("offset commit p50", result.commitP50Milliseconds, unit: "ms", direction: .lowerIsBetter),
                BenchFigure("offset commit max", result.commitMaxMilliseconds, unit: "ms", direction: .lowerIsBetter),
            ],
            setup: [
                "\(result.messages) messages consumed while produced (lag ≤ \(configuration.maxLagPerPartition * configuration.partitions)), "
                    + "\(configuration.partitions) partitions, polls of \(configuration.pollMessages), a commit after every poll",
                "consumer properties: " + configuration.consumerProperties.sorted { $0.key < $1.key }
                    .map { "\($0.key)=\($0.value)" }.joined(separator: ", "),
            ],
            notes: result.lost > 0 ? ["the broker dropped \(result.lost) messages before they were read"] : []
        )
    }
}
