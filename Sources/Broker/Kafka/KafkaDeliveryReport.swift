/// Where the broker stored a produced message (it acknowledged it with `acks=all`).
public struct KafkaDeliveryReport: Sendable, Hashable {
    /// The topic.
    public var topic: String
    /// The partition the message was written to.
    public var partition: Int32
    /// The message's offset in that partition.
    public var offset: Int64

    /// Creates a report.
    /// - Parameters:
    ///   - topic: the topic.
    ///   - partition: the partition.
    ///   - offset: the offset.
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
