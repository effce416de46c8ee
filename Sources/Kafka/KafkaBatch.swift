/// The result of one ``KafkaConsumer/poll(maxMessages:timeout:)``: messages in the order read, and events.
public struct KafkaBatch: Sendable {
    /// The messages, in the order librdkafka delivered them (ordered within each partition).
    public var messages: [KafkaConsumedMessage]
    /// Assignment changes, gaps and errors seen during the poll, in order.
    public var events: [KafkaConsumerEvent]

    /// Creates a batch.
    /// - Parameters:
    ///   - messages: the messages.
    ///   - events: the events.
    public init(messages: [KafkaConsumedMessage] = [], events: [KafkaConsumerEvent] = []) {
        self.messages = messages
        self.events = events
    }

    /// Whether the batch holds no message.
    public var isEmpty: Bool { self.messages.isEmpty }

    /// The offsets to commit once all messages are processed: per partition, the highest offset + 1.
    public var commitOffsets: [KafkaTopicPartitionOffset] {
        var next: [KafkaTopicPartition: Int64] = [:]
        for message in self.messages {
            let key = KafkaTopicPartition(topic: message.topic, partition: message.partition)
            next[key] = max(next[key] ?? Int64.min, message.offset + 1)
        }
        return next.sorted { $0.key < $1.key }.map {
            KafkaTopicPartitionOffset(topic: $0.key.topic, partition: $0.key.partition, offset: $0.value)
        }
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
