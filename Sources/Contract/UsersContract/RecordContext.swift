/// Where a message came from and when: what the transformer needs besides its bytes.
///
/// In batch mode (a file) `topic`, `partition`, `offset`, `key` and `fetchedAt` are nil.
public struct RecordContext: Sendable, Hashable {
    /// The Kafka topic, or nil in batch mode.
    public var topic: String?
    /// The Kafka partition, or nil in batch mode.
    public var partition: Int32?
    /// The Kafka offset, or nil in batch mode.
    public var offset: Int64?
    /// The Kafka message key (UTF-8 `login.uuid` by the producer's convention), or nil.
    public var key: [UInt8]?
    /// UTC milliseconds: the message's `fetched_at` header, else its Kafka timestamp; nil in batch mode.
    public var fetchedAt: Int64?
    /// UTC milliseconds: when the processor received the message (a dead letter's `received_at`).
    public var receivedAt: Int64

    /// Creates a context. Default: batch mode (no Kafka coordinates).
    public init(
        topic: String? = nil,
        partition: Int32? = nil,
        offset: Int64? = nil,
        key: [UInt8]? = nil,
        fetchedAt: Int64? = nil,
        receivedAt: Int64
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.fetchedAt = fetchedAt
        self.receivedAt = receivedAt
    }
}
