import Kafka
import Testing

@Suite("Failed deliveries say what they left in the topic", .serialized)
struct DeliveryPersistenceTests {
    private func producer(_ broker: EmbeddedKafkaBroker, timeout milliseconds: Int) throws -> KafkaProducer {
        var configuration = KafkaProducerConfiguration(common: KafkaConfiguration(brokers: broker.bootstrapServers))
        configuration.messageTimeoutMilliseconds = milliseconds
        return try KafkaProducer(configuration: configuration, logger: KafkaTestSupport.logger)
    }

    @Test("the broker gone before sending: every failed message is 'not persisted', and the error says a resend writes each once")
    func notPersisted() async throws {
        let broker = try EmbeddedKafkaBroker(
            configuration: .init(topics: [("persist-none", 1)]), logger: KafkaTestSupport.logger)
        let producer = try producer(broker, timeout: 1500)
        try await producer.send(KafkaOutgoingMessage(topic: "persist-none", value: [0]))
        broker.shutdown()
        let error = try await #require(throws: KafkaError.self) {
            try await producer.send((0..<10).map { KafkaOutgoingMessage(topic: "persist-none", key: [UInt8($0)], value: [1]) })
        }
        #expect(error.code == .delivery)
        #expect(error.failures.count == 10)
        #expect(error.failures.allSatisfy { $0.persistence == .notPersisted })
        #expect(error.message.contains("none reached the topic"), "\(error.message)")
        try? await producer.close(timeout: .milliseconds(200))
    }

    @Test("sent, then the broker times out every answer: the messages are 'possibly persisted', and the error says a resend may write them twice")
    func possiblyPersisted() async throws {
        let broker = try EmbeddedKafkaBroker(
            configuration: .init(topics: [("persist-maybe", 1)]), logger: KafkaTestSupport.logger)
        defer { broker.shutdown() }
        let producer = try producer(broker, timeout: 2000)
        try await producer.send(KafkaOutgoingMessage(topic: "persist-maybe", value: [0]))
        // REQUEST_TIMED_OUT (7): the broker got the batch and could not say whether its replicas have it.
        broker.failRequests(.produce, with: Array(repeating: 7, count: 1000))
        let error = try await #require(throws: KafkaError.self) {
            try await producer.send((0..<10).map { KafkaOutgoingMessage(topic: "persist-maybe", key: [UInt8($0)], value: [1]) })
        }
        #expect(error.failures.count == 10)
        #expect(error.failures.allSatisfy { $0.persistence == .possiblyPersisted }, "\(error.failures.map(\.persistence))")
        #expect(error.message.contains("10 possibly persisted"), "\(error.message)")
        #expect(error.message.contains("may write them twice"))
        try? await producer.close(timeout: .milliseconds(200))
    }
}
