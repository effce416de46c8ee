import Kafka
import Testing

@Suite("Commit positions: asynchronous commits, the generation check, and a blocked poll woken for a commit")
struct CommitPositionTests {
    @Test("positions polled before a revocation are skipped; later ones are committed; close confirms async commits")
    func generationCheck() async throws {
        let topic = "commit-positions"
        try await KafkaTestSupport.withBroker(topics: [(topic, 2)]) { broker in
            let producer = try KafkaTestSupport.producer(broker)
            let sent = (0..<40).map { KafkaOutgoingMessage(topic: topic, key: Array("k\($0)".utf8), value: Array("v\($0)".utf8)) }
            try await producer.send(sent)
            try await producer.close()

            let consumer = try KafkaTestSupport.consumer(broker, group: "positions", topics: [topic])
            let (read, _) = try await KafkaTestSupport.consume(consumer, count: sent.count, commit: false)
            #expect(read.count == sent.count)
            let current = try await consumer.poll(maxMessages: 1, timeout: .milliseconds(1))
            // A position from another generation (polled before a revocation) is not committed.
            var stale = KafkaBatch(messages: Array(read.prefix(10))).commitPosition
            stale.generation = current.generation &+ 1
            let fresh = KafkaBatch(messages: read, generation: current.generation).commitPosition
            let skipped = try await consumer.commit([stale], mode: .async)
            #expect(skipped == KafkaCommitOutcome(committedMessages: 0, skippedMessages: 10))
            let committed = try await consumer.commit([stale, fresh], mode: .async)
            #expect(committed == KafkaCommitOutcome(committedMessages: read.count, skippedMessages: 10))
            try await consumer.close()

            let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.bootstrapServers))
            defer { admin.close() }
            #expect(try await admin.totalLag(group: "positions", topics: [topic]) == 0)
        }
    }

    @Test("positions merge per partition to the highest next offset")
    func merge() {
        let messages = [
            KafkaConsumedMessage(topic: "t", partition: 1, offset: 7, key: nil, value: []),
            KafkaConsumedMessage(topic: "t", partition: 0, offset: 3, key: nil, value: []),
            KafkaConsumedMessage(topic: "t", partition: 1, offset: 9, key: nil, value: []),
            KafkaConsumedMessage(topic: "u", partition: 1, offset: 2, key: nil, value: []),
        ]
        let position = KafkaBatch(messages: messages, generation: 4).commitPosition
        #expect(position.generation == 4)
        #expect(position.messageCount == 4)
        #expect(position.offsets == [
            KafkaTopicPartitionOffset(topic: "t", partition: 0, offset: 4),
            KafkaTopicPartitionOffset(topic: "t", partition: 1, offset: 10),
            KafkaTopicPartitionOffset(topic: "u", partition: 1, offset: 3),
        ])
    }

    @Test("a commit does not wait for the timeout of a poll that finds nothing")
    func commitWakesPoll() async throws {
        let topic = "commit-wakes-poll"
        try await KafkaTestSupport.withBroker(topics: [(topic, 1)]) { broker in
            let producer = try KafkaTestSupport.producer(broker)
            try await producer.send([KafkaOutgoingMessage(topic: topic, key: nil, value: Array("x".utf8))])
            try await producer.close()
            let consumer = try KafkaTestSupport.consumer(broker, group: "wake", topics: [topic])
            let (read, _) = try await KafkaTestSupport.consume(consumer, count: 1, commit: false)
            let batch = try await consumer.poll(maxMessages: 1, timeout: .milliseconds(1))
            let position = KafkaBatch(messages: read, generation: batch.generation).commitPosition

            let started = ContinuousClock.now
            async let idlePoll = consumer.poll(maxMessages: 10, timeout: .seconds(120))
            try await Task.sleep(for: .milliseconds(300))
            let outcome = try await consumer.commit([position], mode: .sync)
            let waited = ContinuousClock.now - started
            _ = try await idlePoll
            #expect(outcome.committedMessages == 1)
            #expect(waited < .seconds(60), "the commit waited \(waited) for a 120 s poll")
            try await consumer.close()
        }
    }
}
