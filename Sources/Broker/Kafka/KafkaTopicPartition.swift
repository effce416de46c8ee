/// A topic and one of its partitions.
public struct KafkaTopicPartition: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The topic.
    public var topic: String
    /// The partition.
    public var partition: Int32

    /// Creates a topic-partition.
    /// - Parameters:
    ///   - topic: the topic.
    ///   - partition: the partition.
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    /// Orders by topic, then partition.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }

    /// `topic[partition]`.
    public var description: String { "\(self.topic)[\(self.partition)]" }
}

/// A topic-partition and an offset: for commits, the *next* offset to read (last processed + 1).
public struct KafkaTopicPartitionOffset: Sendable, Hashable, CustomStringConvertible {
    /// The topic.
    public var topic: String
    /// The partition.
    public var partition: Int32
    /// The offset.
    public var offset: Int64

    /// Creates a topic-partition-offset.
    /// - Parameters:
    ///   - topic: the topic.
    ///   - partition: the partition.
    ///   - offset: the offset (for a commit: the next offset to read).
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    /// The topic-partition.
    public var topicPartition: KafkaTopicPartition { KafkaTopicPartition(topic: self.topic, partition: self.partition) }

    /// `topic[partition]@offset`.
    public var description: String { "\(self.topic)[\(self.partition)]@\(self.offset)" }
}
