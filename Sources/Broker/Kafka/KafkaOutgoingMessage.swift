/// A message to produce with a ``KafkaProducer``.
public struct KafkaOutgoingMessage: Sendable, Hashable {
    /// The topic.
    public var topic: String
    /// The key; messages with the same key land on the same partition (murmur2, as the Java client).
    /// `nil` spreads keyless messages randomly.
    public var key: [UInt8]?
    /// The value (payload).
    public var value: [UInt8]
    /// The record headers, in order.
    public var headers: [KafkaHeader]
    /// An explicit partition, or `nil` to let the partitioner choose from the key.
    public var partition: Int32?

    /// Creates a message.
    /// - Parameters:
    ///   - topic: the topic.
    ///   - key: the key bytes, or `nil`.
    ///   - value: the value bytes.
    ///   - headers: the headers.
    ///   - partition: an explicit partition, or `nil`.
    public init(
        topic: String,
        key: [UInt8]? = nil,
        value: [UInt8],
        headers: [KafkaHeader] = [],
        partition: Int32? = nil
    ) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
        self.partition = partition
    }
}
