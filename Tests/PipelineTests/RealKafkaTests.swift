import Foundation
import Kafka
import RandomUser
import Testing
import Stores
import Pipeline

/// The same ingester and processor against a real Kafka, when `KAFKA_BROKERS` names one (host:port,...).
@Suite("Pipeline against a real Kafka (KAFKA_BROKERS)", .serialized)
struct RealKafkaTests {
    static let brokers = ProcessInfo.processInfo.environment["KAFKA_BROKERS"]

    @Test(
        "topics created through the admin API; N users in, N rows stored",
        .enabled(if: brokers != nil, "KAFKA_BROKERS is not set: no Kafka server to test against")
    )
    func usersThroughRealKafka() async throws {
        let brokers = try #require(Self.brokers)
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let topic = "userstream_test_\(suffix)", dlq = "userstream_test_dlq_\(suffix)"
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: brokers, clientID: "userstream-test"))
        defer { admin.close() }
        try await admin.createTopics([
            KafkaTopicSpecification(name: topic, partitions: 3),
            KafkaTopicSpecification(name: dlq, partitions: 1),
        ])
        #expect(try await admin.missingTopics([topic, dlq]).isEmpty)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("us-kafka-\(suffix)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteUserStore(configuration: .init(path: folder.appendingPathComponent("u.sqlite").path))
        try await store.prepare()
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(common: KafkaConfiguration(brokers: brokers)))

        var ingest = Ingester.Configuration()
        ingest.topic = topic
        ingest.count = 500
        ingest.pageSize = 250
        try await Ingester(
            source: try SourceSelector.make("synthetic", seed: "real-kafka", badFraction: 0.02),
            producer: producer, flowControl: nil, configuration: ingest, counters: PipelineCounters()
        ).run()

        var consumerConfiguration = KafkaConsumerConfiguration(
            common: KafkaConfiguration(brokers: brokers), groupID: "userstream-test-\(suffix)"
        )
        consumerConfiguration.sessionTimeoutMilliseconds = 10_000
        var processing = StreamProcessor.Configuration()
        processing.topic = topic
        processing.deadLetterTopic = dlq
        processing.maxMessages = 500
        let counters = PipelineCounters()
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, topics: [topic])
        let processor = StreamProcessor(
            consumer: consumer, producer: producer, store: store, configuration: processing, counters: counters
        )
        try await ProcessorRun(consumer: consumer, processor: processor).run()

        #expect(counters.handled.load(ordering: .relaxed) == 500)
        #expect(try await store.count() + counters.rejected.load(ordering: .relaxed) == 500)
        try await producer.close()
        try await store.close()
    }
}
