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
        var next = KafkaNextOffsets()
        for message in self.messages { next.add(topic: message.topic, partition: message.partition, offset: message.offset) }
        return next.sorted
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

/// Per partition, the offset after the highest one seen: what to commit once the messages are processed.
struct KafkaNextOffsets {
    // A batch spans a handful of partitions: a linear search beats hashing the topic of every message.
    private var next: [KafkaTopicPartitionOffset] = []
    /// Per entry of `next`, the lowest offset seen.
    private var first: [Int64] = []

    mutating func add(topic: String, partition: Int32, offset: Int64) {
        if let index = self.next.firstIndex(where: { $0.partition == partition && $0.topic == topic }) {
            self.next[index].offset = max(self.next[index].offset, offset + 1)
            self.first[index] = min(self.first[index], offset)
        } else {
            self.next.append(KafkaTopicPartitionOffset(topic: topic, partition: partition, offset: offset + 1))
            self.first.append(offset)
        }
    }

    /// Each partition seen with its lowest offset.
    var spans: [(partition: KafkaTopicPartition, first: Int64)] {
        zip(self.next, self.first).map { ($0.topicPartition, $1) }
    }

    /// The offsets, sorted by topic and partition.
    var sorted: [KafkaTopicPartitionOffset] {
        self.next.sorted { $0.topicPartition < $1.topicPartition }
    }
}

/// What ``KafkaConsumer/poll(maxMessages:timeout:linger:process:)`` returns: what `process` made of the messages,
/// where the consumer stands once they are processed, and the events seen during the poll.
public struct KafkaProcessedPoll<Result> {
    /// What `process` returned.
    public var result: Result
    /// The offsets to commit once the result is durable, and the poll's assignment generation.
    public var position: KafkaCommitPosition
    /// Assignment changes, gaps and errors seen during the poll, in order.
    public var events: [KafkaConsumerEvent]

    /// How many messages were lent to `process`.
    public var messageCount: Int { self.position.messageCount }
}

extension KafkaProcessedPoll: Sendable where Result: Sendable {}
