import Foundation
import Kafka
import ServiceLifecycle
import Logging
import RandomUser
import Stores
import Pipeline
import UsersContract

/// An embedded broker, a SQLite store in a temporary folder, and factories for the pipeline's parts,
/// all on 127.0.0.1. Call ``shutdown()`` at the end.
final class PipelineHarness: Sendable {
    let broker: EmbeddedKafkaBroker
    let folder: URL
    let store: SQLiteUserStore
    let topic = "random_users"
    let dlqTopic = "random_users_dlq"

    init(partitions: Int = 4) async throws {
        broker = try EmbeddedKafkaBroker(
            configuration: .init(topics: [(name: "random_users", partitions: partitions), (name: "random_users_dlq", partitions: 1)])
        )
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("us-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try SQLiteUserStore(configuration: .init(path: folder.appendingPathComponent("users.sqlite").path))
        try await store.prepare()
    }

    func producer() throws -> KafkaProducer {
        try KafkaProducer(configuration: KafkaProducerConfiguration(common: KafkaConfiguration(brokers: broker.bootstrapServers)))
    }

    /// A consumer with a short session timeout: the mock broker completes a rebalance only after about
    /// session.timeout.ms − 1 s.
    func consumer(group: String, topic: String? = nil) throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(
            common: KafkaConfiguration(brokers: broker.bootstrapServers),
            groupID: group
        )
        configuration.sessionTimeoutMilliseconds = 6000
        configuration.heartbeatIntervalMilliseconds = 500
        return try KafkaConsumer(configuration: configuration, topics: [topic ?? self.topic])
    }

    func processor(
        group: String,
        producer: KafkaProducer,
        counters: PipelineCounters,
        configure: (inout StreamProcessor.Configuration) -> Void = { _ in }
    ) throws -> ProcessorRun {
        var configuration = StreamProcessor.Configuration()
        configuration.batchSize = 500
        configuration.batchInterval = .milliseconds(100)
        configure(&configuration)
        let consumer = try consumer(group: group)
        return ProcessorRun(
            consumer: consumer,
            processor: StreamProcessor(
                consumer: consumer, producer: producer, store: store, configuration: configuration, counters: counters
            )
        )
    }

    /// Produces `count` synthetic users (seed `seed`) through the real ingester.
    func ingest(count: Int, seed: String = "harness", badFraction: Double = 0, producer: KafkaProducer) async throws {
        var configuration = Ingester.Configuration()
        configuration.count = count
        configuration.pageSize = 500
        let ingester = Ingester(
            source: try SourceSelector.make("synthetic", seed: seed, badFraction: badFraction),
            producer: producer,
            flowControl: nil,
            configuration: configuration,
            counters: PipelineCounters()
        )
        try await ingester.run()
    }

    /// Reads `topic` from the start with a fresh group until `expected` messages came (or 60 s passed), then
    /// `settle` more to catch any extra (a duplicate would show up there).
    func readAll(topic: String, expected: Int, settle: Duration = .seconds(1)) async throws -> [KafkaConsumedMessage] {
        let consumer = try consumer(group: "reader-\(UUID().uuidString)", topic: topic)
        var messages: [KafkaConsumedMessage] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while messages.count < expected && ContinuousClock.now < deadline {
            messages += try await consumer.poll(maxMessages: 1000, timeout: .milliseconds(200)).messages
        }
        let settleEnd = ContinuousClock.now + settle
        while ContinuousClock.now < settleEnd {
            messages += try await consumer.poll(maxMessages: 1000, timeout: .milliseconds(100)).messages
        }
        try await consumer.close()
        return messages
    }

    func shutdown() async {
        try? await store.close()
        broker.shutdown()
        try? FileManager.default.removeItem(at: folder)
    }
}

/// A processor and its consumer as the pipeline runs them: one service group, the consumer listed first so that
/// it closes (confirming the last commit) after the processor stopped.
struct ProcessorRun: Sendable {
    let consumer: KafkaConsumer
    let processor: StreamProcessor

    /// Runs until the processor stops; rethrows what it threw.
    func run() async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: consumer),
                    .init(service: processor, successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                logger: Logger(label: "test.processor")
            )
        )
        try await group.run()
    }
}

extension PipelineConfiguration {
    /// The pipeline on an embedded broker of a test: its own consumer group and SQLite file (named after `name`),
    /// a 6 s session timeout (the mock settles a rebalance only after about the session timeout − 1 s).
    static func onBroker(_ broker: EmbeddedKafkaBroker, name: String) -> PipelineConfiguration {
        var configuration = PipelineConfiguration()
        configuration.kafka.brokers = broker.bootstrapServers
        configuration.kafka.group = "\(name)-\(UUID().uuidString)"
        configuration.kafka.sessionTimeout = .seconds(6)
        configuration.store.url = "sqlite:" + FileManager.default.temporaryDirectory
            .appendingPathComponent("\(name)-\(UUID().uuidString).sqlite").path
        return configuration
    }
}
