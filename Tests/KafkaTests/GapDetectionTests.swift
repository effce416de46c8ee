@testable import Kafka
import Testing

@Suite("Gap detection")
struct GapDetectionTests {
    private let partition = KafkaTopicPartition(topic: "t", partition: 0)

    @Test("consecutive offsets after the committed one are not a gap")
    func noGap() {
        var detector = OffsetGapDetector()
        detector.assign(self.partition, nextOffset: 10)
        for offset in Int64(10)..<20 {
            #expect(detector.observe(self.partition, offset: offset) == nil)
        }
        #expect(detector.expectedOffset(self.partition) == 20)
    }

    @Test("a jump past the expected offset reports the lost range")
    func gapAfterCommit() {
        var detector = OffsetGapDetector()
        detector.assign(self.partition, nextOffset: 100)
        let gap = detector.observe(self.partition, offset: 150)
        #expect(gap == OffsetGapDetector.Gap(topicPartition: self.partition, expected: 100, got: 150))
        #expect(detector.observe(self.partition, offset: 151) == nil)
    }

    @Test("without a known start the first message sets it; a re-delivery below is not a gap")
    func unknownStartAndRewind() {
        var detector = OffsetGapDetector()
        detector.assign(self.partition, nextOffset: nil)
        #expect(detector.observe(self.partition, offset: 42) == nil)
        #expect(detector.observe(self.partition, offset: 40) == nil)
        #expect(detector.observe(self.partition, offset: 41) == nil)
        #expect(detector.observe(self.partition, offset: 45)?.expected == 42)
    }

    @Test("revoking forgets the partition")
    func revokeForgets() {
        var detector = OffsetGapDetector()
        detector.assign(self.partition, nextOffset: 5)
        detector.revoke(self.partition)
        #expect(detector.expectedOffset(self.partition) == nil)
        #expect(detector.observe(self.partition, offset: 99) == nil)
    }

    @Test("records the embedded broker dropped before they were read are reported as a gap")
    func mockTruncationIsReported() async throws {
        let topic = "truncated"
        try await KafkaTestSupport.withBroker(topics: [(topic, 1)]) { broker in
            let producer = try KafkaTestSupport.producer(broker)
            var noise = KafkaTestSupport.Noise(state: 0x1234_5678_9abc_def1)
            // About 8 MiB of incompressible values on one partition: more than the mock's 5 MiB.
            for _ in 0..<8 {
                let messages = (0..<1_024).map { _ in KafkaOutgoingMessage(topic: topic, value: noise.bytes(1_024)) }
                try await producer.send(messages)
            }
            try await producer.close()
            let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.bootstrapServers))
            let (low, high) = try await admin.watermarks(KafkaTopicPartition(topic: topic, partition: 0))
            admin.close()
            #expect(high == 8 * 1_024)
            #expect(low > 0, "the mock dropped the oldest records")

            let consumer = try KafkaTestSupport.consumer(broker, group: "gap", topics: [topic])
            let (messages, events) = try await KafkaTestSupport.consume(consumer, count: Int(high - low), commit: true)
            try await consumer.close()
            #expect(messages.count == Int(high - low))
            #expect(messages.first?.offset == low)
            let gaps = events.compactMap { event -> (Int64, Int64)? in
                if case .gap(_, _, let expected, let got) = event { return (expected, got) }
                return nil
            }
            #expect(gaps.count == 1)
            #expect(gaps.first?.0 == 0)
            #expect(gaps.first?.1 == low)
        }
    }

    @Test("records dropped after the group's last commit are reported from the committed offset")
    func truncationAfterCommitIsReported() async throws {
        let topic = "truncated-after-commit"
        try await KafkaTestSupport.withBroker(topics: [(topic, 1)]) { broker in
            let producer = try KafkaTestSupport.producer(broker)
            try await producer.send((0..<100).map { KafkaOutgoingMessage(topic: topic, value: Array("\($0)".utf8)) })
            let first = try KafkaTestSupport.consumer(broker, group: "gap-commit", topics: [topic])
            let (read, _) = try await KafkaTestSupport.consume(first, count: 100, commit: true)
            #expect(read.count == 100)
            try await first.close()

            // While the group is away, more than the mock keeps arrives.
            var noise = KafkaTestSupport.Noise(state: 0x0fed_cba9_8765_4321)
            for _ in 0..<8 {
                try await producer.send((0..<1_024).map { _ in KafkaOutgoingMessage(topic: topic, value: noise.bytes(1_024)) })
            }
            try await producer.close()
            let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.bootstrapServers))
            defer { admin.close() }
            let (low, high) = try await admin.watermarks(KafkaTopicPartition(topic: topic, partition: 0))
            #expect(low > 100)

            let second = try KafkaTestSupport.consumer(broker, group: "gap-commit", topics: [topic])
            let (messages, events) = try await KafkaTestSupport.consume(second, count: Int(high - low), commit: true)
            try await second.close()
            #expect(messages.first?.offset == low)
            #expect(events.contains(.gap(topic: topic, partition: 0, expected: 100, got: low)))
        }
    }
}
