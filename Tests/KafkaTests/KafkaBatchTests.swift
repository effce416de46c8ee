import Kafka
import Testing

@Suite("Batch commit offsets")
struct KafkaBatchTests {
    private func message(_ partition: Int32, _ offset: Int64, topic: String = "t") -> KafkaConsumedMessage {
        KafkaConsumedMessage(topic: topic, partition: partition, offset: offset, key: nil, value: [])
    }

    @Test("commit offsets are the highest offset + 1 of each partition, sorted")
    func commitOffsets() {
        let batch = KafkaBatch(messages: [
            self.message(1, 10), self.message(0, 5), self.message(1, 12), self.message(1, 11),
            self.message(0, 7, topic: "u"), self.message(0, 6),
        ])
        #expect(
            batch.commitOffsets == [
                KafkaTopicPartitionOffset(topic: "t", partition: 0, offset: 7),
                KafkaTopicPartitionOffset(topic: "t", partition: 1, offset: 13),
                KafkaTopicPartitionOffset(topic: "u", partition: 0, offset: 8),
            ]
        )
    }

    @Test("an empty batch commits nothing")
    func emptyBatch() {
        #expect(KafkaBatch().commitOffsets.isEmpty)
        #expect(KafkaBatch().isEmpty)
    }

    @Test("gaps are listed from the events")
    func gapsFromEvents() {
        let batch = KafkaBatch(events: [
            .assigned([KafkaTopicPartition(topic: "t", partition: 0)]),
            .gap(topic: "t", partition: 0, expected: 3, got: 9),
        ])
        #expect(batch.gaps.count == 1)
        #expect(batch.gaps.first?.expected == 3)
        #expect(batch.gaps.first?.got == 9)
    }
}
