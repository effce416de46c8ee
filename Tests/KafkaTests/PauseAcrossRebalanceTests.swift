import Kafka
import Testing

@Suite("Pause and resume across a rebalance")
struct PauseAcrossRebalanceTests {
    @Test("partitions paused, lost and assigned again after a resume are read (librdkafka keeps a pause flag across a revocation)")
    func pausedThenLostThenReassigned() async throws {
        let topic = "pause-lost"
        try await KafkaTestSupport.withBroker(topics: [(topic, 2)]) { broker in
            let consumer = try KafkaTestSupport.consumer(broker, group: "pause-lost", topics: [topic])
            _ = try await KafkaTestSupport.pollUntilAssigned(consumer, extra: .milliseconds(200))
            #expect(try await consumer.pauseAssignment().count == 2)
            // The group drops the member: its paused partitions are lost, while paused.
            broker.failRequests(.heartbeat, with: [25])
            var lost = false
            let deadline = ContinuousClock.now + .seconds(60)
            while !lost, ContinuousClock.now < deadline {
                let poll = try await consumer.poll(maxMessages: 10, timeout: .milliseconds(200))
                lost = poll.events.contains { if case .revoked(_, lost: true) = $0 { true } else { false } }
            }
            #expect(lost)
            // Resumed while nothing is assigned; the partitions come back at the next assignment.
            #expect(try await consumer.resumeAssignment().isEmpty)
            let producer = try KafkaTestSupport.producer(broker)
            try await producer.send((0..<20).map { KafkaOutgoingMessage(topic: topic, key: [UInt8($0)], value: [1]) })
            try await producer.close()
            let messages = try await KafkaTestSupport.consume(consumer, count: 20, limit: .seconds(60), commit: false).messages
            #expect(messages.count == 20, "the partitions assigned again stayed paused")
            try await consumer.close()
        }
    }

    @Test("while the assignment is paused, partitions assigned by a rebalance are paused too")
    func assignedWhilePaused() async throws {
        let topic = "pause-assigned"
        try await KafkaTestSupport.withBroker(topics: [(topic, 2)]) { broker in
            let producer = try KafkaTestSupport.producer(broker)
            try await producer.send((0..<20).map { KafkaOutgoingMessage(topic: topic, key: [UInt8($0)], value: [1]) })
            try await producer.close()
            let consumer = try KafkaTestSupport.consumer(broker, group: "pause-assigned", topics: [topic])
            // Paused before the first assignment: nothing is assigned yet, and what is assigned later is paused.
            #expect(try await consumer.pauseAssignment().isEmpty)
            let first = try await KafkaTestSupport.pollUntilAssigned(consumer, extra: .seconds(1))
            #expect(first.messages.isEmpty)
            #expect(try await consumer.assignment().count == 2)
            _ = try await consumer.resumeAssignment()
            let messages = try await KafkaTestSupport.consume(consumer, count: 20, limit: .seconds(60), commit: false).messages
            #expect(messages.count == 20)
            try await consumer.close()
        }
    }
}
