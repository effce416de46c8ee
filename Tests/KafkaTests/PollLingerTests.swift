import Kafka
import Testing

@Suite("Poll linger")
struct PollLingerTests {
    @Test("with a linger, a poll returns the records that are there instead of waiting the whole timeout to fill")
    func lingerClosesTheBatchEarly() async throws {
        let topic = "linger"
        try await KafkaTestSupport.withBroker(topics: [(topic, 1)]) { broker in
            let consumer = try KafkaTestSupport.consumer(broker, group: "linger", topics: [topic])
            _ = try await KafkaTestSupport.pollUntilAssigned(consumer, extra: .milliseconds(200))
            let producer = try KafkaTestSupport.producer(broker)
            try await producer.send((0..<10).map { KafkaOutgoingMessage(topic: topic, value: Array("\($0)".utf8)) })
            try await producer.close()

            // Far fewer than maxMessages are available: without a linger this poll would sit out its 120 s timeout.
            let started = ContinuousClock.now
            var messages: [KafkaConsumedMessage] = []
            while messages.count < 10, ContinuousClock.now - started < .seconds(120) {
                messages += try await consumer.poll(maxMessages: 100_000, timeout: .seconds(120), linger: .milliseconds(20)).messages
            }
            #expect(messages.count == 10)
            #expect(ContinuousClock.now - started < .seconds(60), "the poll waited for the full timeout")
            try await consumer.close()
        }
    }
}
