@testable import Kafka
import Logging
import ServiceLifecycle
import Testing

@Suite("Kafka clients as services")
struct ServiceTests {
    @Test("a consumer and a producer cancelled in a service group still close librdkafka completely")
    func cancelledClose() async throws {
        try await KafkaTestSupport.withBroker(topics: [("svc", 1)]) { broker in
            let consumer = try KafkaTestSupport.consumer(broker, group: "svc", topics: ["svc"])
            let producer = try KafkaTestSupport.producer(broker)
            struct Failure: Error {}
            struct Failing: Service {
                func run() async throws { throw Failure() }
            }
            // The failing service cancels the group: the clients' run() sees cancellation, not a graceful stop.
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: consumer), .init(service: producer), .init(service: Failing())],
                    logger: KafkaTestSupport.logger))
            await #expect(throws: Failure.self) { try await group.run() }
            #expect(consumer.isDestroyed)
            #expect(producer.isDestroyed)
        }
    }
}
