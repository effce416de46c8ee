/// A message read by a ``KafkaConsumer``. Its bytes are copied out of librdkafka, so it outlives the poll and the
/// consumer: librdkafka's `rd_kafka_destroy` waits for every message it handed out, so a borrowed message kept after
/// ``KafkaConsumer/close()`` would hang the close. To read messages without the copy, use
/// ``KafkaConsumer/poll(maxMessages:timeout:linger:process:)``, which lends them (``KafkaBorrowedMessage``) for the
/// length of one closure and gives them back to librdkafka when it returns.
public struct KafkaConsumedMessage: Sendable, Hashable {
    /// The topic.
    public var topic: String
    /// The partition.
    public var partition: Int32
    /// The message's offset in its partition.
    public var offset: Int64
    /// The key, or `nil` when the message has none.
    public var key: [UInt8]?
    /// The value (an empty array for a null value).
    public var value: [UInt8]
    /// The record headers, in order.
    public var headers: [KafkaHeader]
    /// The message timestamp in milliseconds since the Unix epoch (create or log-append time), or `nil`.
    public var timestampMilliseconds: Int64?

    /// Creates a message (tests and adapters; the consumer builds them itself).
    /// - Parameters:
    ///   - topic: the topic.
    ///   - partition: the partition.
    ///   - offset: the offset.
    ///   - key: the key.
    ///   - value: the value.
    ///   - headers: the headers.
    ///   - timestampMilliseconds: the timestamp.
    public init(
        topic: String,
        partition: Int32,
        offset: Int64,
        key: [UInt8]?,
        value: [UInt8],
        headers: [KafkaHeader] = [],
        timestampMilliseconds: Int64? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMilliseconds = timestampMilliseconds
    }

    /// The first header named `name`, if any.
    /// - Parameter name: the header name.
    public func header(_ name: String) -> KafkaHeader? {
        self.headers.first { $0.name == name }
    }
}
