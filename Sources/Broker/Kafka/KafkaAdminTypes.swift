/// A topic to create with ``KafkaAdmin/createTopics(_:ifNotExists:timeout:)``.
public struct KafkaTopicSpecification: Sendable, Hashable {
    /// The topic name.
    public var name: String
    /// The number of partitions.
    public var partitions: Int
    /// The replication factor.
    public var replicationFactor: Int
    /// Topic configuration, for example `["retention.ms": "604800000"]`. Default: empty.
    public var config: [String: String]

    /// Creates a topic specification.
    /// - Parameters:
    ///   - name: the topic name.
    ///   - partitions: the number of partitions.
    ///   - replicationFactor: the replication factor.
    ///   - config: topic configuration entries.
    public init(name: String, partitions: Int, replicationFactor: Int = 1, config: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.config = config
    }
}

/// A topic as the cluster's metadata describes it.
public struct KafkaTopicDescription: Sendable, Hashable, CustomStringConvertible {
    /// One partition of the topic.
    public struct Partition: Sendable, Hashable {
        /// The partition id.
        public var id: Int32
        /// The leader broker id (−1 without a leader).
        public var leader: Int32
        /// The replica broker ids.
        public var replicas: [Int32]
        /// The in-sync replica broker ids.
        public var isr: [Int32]
    }

    /// The topic name.
    public var name: String
    /// The partitions, by id.
    public var partitions: [Partition]

    /// `name: N partitions` and one line per partition with its leader, replicas and ISR.
    public var description: String {
        var lines = ["\(self.name): \(self.partitions.count) partitions"]
        for partition in self.partitions {
            lines.append(
                "  partition \(partition.id): leader \(partition.leader), replicas \(partition.replicas), isr \(partition.isr)"
            )
        }
        return lines.joined(separator: "\n")
    }
}

/// A consumer group's position on one partition, with the partition's watermarks.
public struct KafkaGroupPartitionLag: Sendable, Hashable {
    /// The topic and partition.
    public var topicPartition: KafkaTopicPartition
    /// The group's committed next-offset, or `nil` when the group never committed on this partition.
    public var committed: Int64?
    /// The oldest offset still retained (low watermark).
    public var low: Int64
    /// The offset the next produced message gets (high watermark).
    public var high: Int64

    /// Messages not yet committed: `high − committed`, or `high − low` without a commit.
    public var lag: Int64 { max(0, self.high - (self.committed ?? self.low)) }
}
