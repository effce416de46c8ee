import Kafka
import Logging

/// Shared helpers for the Kafka tests: an embedded broker per test, short group timeouts, poll loops.
enum KafkaTestSupport {
    static let logger: Logger = {
        var logger = Logger(label: "kafka.tests")
        logger.logLevel = .warning
        return logger
    }()

    /// Runs `body` with a fresh embedded broker holding `topics`, then shuts it down.
    static func withBroker<T>(
        topics: [(name: String, partitions: Int)],
        port: Int? = nil,
        _ body: (EmbeddedKafkaBroker) async throws -> T
    ) async throws -> T {
        let broker = try EmbeddedKafkaBroker(configuration: .init(port: port, topics: topics), logger: self.logger)
        do {
            let result = try await body(broker)
            broker.shutdown()
            return result
        } catch {
            broker.shutdown()
            throw error
        }
    }

    static func producer(_ broker: EmbeddedKafkaBroker) throws -> KafkaProducer {
        try KafkaProducer(
            configuration: KafkaProducerConfiguration(common: KafkaConfiguration(brokers: broker.bootstrapServers)),
            logger: self.logger
        )
    }

    /// A consumer with short session timeouts (the mock completes a rebalance after about session − 1 s).
    static func consumer(
        _ broker: EmbeddedKafkaBroker,
        group: String,
        topics: [String],
        strategy: KafkaConsumerConfiguration.AssignmentStrategy = .rangeRoundRobin
    ) throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(
            common: KafkaConfiguration(brokers: broker.bootstrapServers),
            groupID: group
        )
        configuration.sessionTimeoutMilliseconds = 6_000
        configuration.heartbeatIntervalMilliseconds = 500
        configuration.assignmentStrategy = strategy
        return try KafkaConsumer(configuration: configuration, topics: topics, logger: self.logger)
    }

    /// Polls until `count` messages arrived or `limit` passed; returns the messages and all events.
    static func consume(
        _ consumer: KafkaConsumer,
        count: Int,
        limit: Duration = .seconds(40),
        commit: Bool
    ) async throws -> (messages: [KafkaConsumedMessage], events: [KafkaConsumerEvent]) {
        var messages: [KafkaConsumedMessage] = []
        var events: [KafkaConsumerEvent] = []
        let deadline = ContinuousClock.now + limit
        while messages.count < count, ContinuousClock.now < deadline {
            let batch = try await consumer.poll(maxMessages: 1_000, timeout: .milliseconds(200))
            messages += batch.messages
            events += batch.events
            if commit { try await consumer.commit(batch) }
        }
        return (messages, events)
    }

    /// Polls until the consumer has been assigned a non-empty set of partitions, then `extra` longer; returns what
    /// it read.
    static func pollUntilAssigned(
        _ consumer: KafkaConsumer,
        extra: Duration = .seconds(2),
        limit: Duration = .seconds(30)
    ) async throws -> (messages: [KafkaConsumedMessage], events: [KafkaConsumerEvent]) {
        var messages: [KafkaConsumedMessage] = []
        var events: [KafkaConsumerEvent] = []
        let deadline = ContinuousClock.now + limit
        var assignedAt: ContinuousClock.Instant?
        while ContinuousClock.now < deadline {
            let batch = try await consumer.poll(maxMessages: 1_000, timeout: .milliseconds(200))
            messages += batch.messages
            events += batch.events
            if assignedAt == nil, batch.events.contains(where: { if case .assigned(let list) = $0 { !list.isEmpty } else { false } }) {
                assignedAt = .now
            }
            if let assignedAt, ContinuousClock.now - assignedAt >= extra { break }
        }
        return (messages, events)
    }

    /// A deterministic pseudo-random byte generator (xorshift), so payloads do not compress.
    struct Noise {
        var state: UInt64
        mutating func bytes(_ count: Int) -> [UInt8] {
            var result = [UInt8]()
            result.reserveCapacity(count)
            while result.count < count {
                self.state ^= self.state << 13
                self.state ^= self.state >> 7
                self.state ^= self.state << 17
                withUnsafeBytes(of: self.state) { result.append(contentsOf: $0.prefix(count - result.count)) }
            }
            return result
        }
    }
}

/// Kafka's Java `murmur2` (as in `org.apache.kafka.common.utils.Utils`), written from the algorithm's definition:
/// MurmurHash2, 32-bit, seed 0x9747b28c, little-endian 4-byte blocks, Java's signed arithmetic.
enum JavaMurmur2 {
    static func hash(_ data: [UInt8]) -> Int32 {
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        let length = data.count
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        let blocks = length / 4
        for block in 0..<blocks {
            let i = block * 4
            var k = UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24
            k = k &* m
            k ^= k >> r
            k = k &* m
            h = h &* m
            h ^= k
        }
        let tail = blocks * 4
        let rest = length % 4
        if rest >= 3 { h ^= UInt32(data[tail + 2]) << 16 }
        if rest >= 2 { h ^= UInt32(data[tail + 1]) << 8 }
        if rest >= 1 {
            h ^= UInt32(data[tail])
            h = h &* m
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }

    /// The Java client's default partition of a keyed record: `toPositive(murmur2(key)) % partitions`.
    static func partition(key: [UInt8], partitions: Int32) -> Int32 {
        (hash(key) & 0x7fff_ffff) % partitions
    }
}
