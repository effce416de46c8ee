/// The result of one ``KafkaConsumer/poll(maxMessages:timeout:)``: messages in the order read, and events.
public struct KafkaBatch: Sendable {
    /// The messages, in the order librdkafka delivered them (ordered within each partition).
    public var messages: [KafkaConsumedMessage]
    /// Assignment changes, gaps and errors seen during the poll, in order.
    public var events: [KafkaConsumerEvent]
    /// The consumer's assignment generation at the end of the poll (it moves on every revocation).
    public var generation: UInt64

    /// Creates a batch.
    /// - Parameters:
    ///   - messages: the messages.
    ///   - events: the events.
    ///   - generation: the assignment generation.
    public init(messages: [KafkaConsumedMessage] = [], events: [KafkaConsumerEvent] = [], generation: UInt64 = 0) {
        self.messages = messages
        self.events = events
        self.generation = generation
    }

    /// Whether the batch holds no message.
    public var isEmpty: Bool { self.messages.isEmpty }

    /// The offsets to commit once all messages are processed: per partition, the highest offset + 1.
    public var commitOffsets: [KafkaTopicPartitionOffset] {
        // A batch spans a handful of partitions: a linear search beats hashing the topic of every message.
        var next: [KafkaTopicPartitionOffset] = []
        for message in self.messages {
            if let index = next.firstIndex(where: { $0.partition == message.partition && $0.topic == message.topic }) {
                next[index].offset = max(next[index].offset, message.offset + 1)
            } else {
                next.append(KafkaTopicPartitionOffset(topic: message.topic, partition: message.partition, offset: message.offset + 1))
            }
        }
        return next.sorted { $0.topicPartition < $1.topicPartition }
    }

    /// The batch's offsets and generation, to commit after its messages are processed (and dropped).
    public var commitPosition: KafkaCommitPosition {
        KafkaCommitPosition(offsets: self.commitOffsets, generation: self.generation, messageCount: self.messages.count)
    }

    /// The gaps reported in this batch.
    public var gaps: [(topic: String, partition: Int32, expected: Int64, got: Int64)] {
        self.events.compactMap {
            if case .gap(let topic, let partition, let expected, let got) = $0 {
                return (topic, partition, expected, got)
            }
            return nil
        }
    }
}
