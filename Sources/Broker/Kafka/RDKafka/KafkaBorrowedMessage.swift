import CRdKafka

/// A message read by ``KafkaConsumer/poll(maxMessages:timeout:linger:process:)`` and lent by librdkafka: its key,
/// value and headers are librdkafka's own buffers, not copies.
///
/// It is valid only while the `process` closure it was given to runs: the consumer destroys the message as soon as
/// `process` returns, so nothing may keep it, its buffers or pointers into them. Copy what must last longer
/// (``copied()``, or the bytes themselves). Never read it from another thread.
public struct KafkaBorrowedMessage {
    /// The topic.
    public let topic: String
    /// The partition.
    public let partition: Int32
    /// The message's offset in its partition.
    public let offset: Int64
    /// The key, or nil when the message has none.
    public let key: UnsafeRawBufferPointer?
    /// The value (empty for a null value).
    public let value: UnsafeRawBufferPointer
    /// The message timestamp in milliseconds since the Unix epoch (create or log-append time), or nil.
    public let timestampMilliseconds: Int64?
    private let message: UnsafeMutablePointer<rd_kafka_message_t>

    /// Reads what a message carries; `message` must be a message, not an error.
    init(_ message: UnsafeMutablePointer<rd_kafka_message_t>, topic: String) {
        let m = message.pointee
        self.message = message
        self.topic = topic
        self.partition = m.partition
        self.offset = m.offset
        self.key = m.key.map { UnsafeRawBufferPointer(start: $0, count: m.key_len) }
        self.value = UnsafeRawBufferPointer(start: m.payload, count: m.payload == nil ? 0 : m.len)
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &timestampType)
        self.timestampMilliseconds = timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp
    }

    /// The value of the first header named `name` (as ``KafkaConsumedMessage/header(_:)``); nil when there is no
    /// such header or its value is null.
    public func headerValue(_ name: String) -> UnsafeRawBufferPointer? {
        var headers: OpaquePointer?
        guard rd_kafka_message_headers(self.message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR, let headers else {
            return nil
        }
        var pointer: UnsafeRawPointer?
        var size = 0
        guard rd_kafka_header_get(headers, 0, name, &pointer, &size) == RD_KAFKA_RESP_ERR_NO_ERROR, let pointer else {
            return nil
        }
        return UnsafeRawBufferPointer(start: pointer, count: size)
    }

    /// The headers, in order, copied.
    public var headers: [KafkaHeader] {
        var headers: OpaquePointer?
        guard rd_kafka_message_headers(self.message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR, let headers else {
            return []
        }
        var copies: [KafkaHeader] = []
        copies.reserveCapacity(rd_kafka_header_cnt(headers))
        var index = 0
        var name: UnsafePointer<CChar>?
        var pointer: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(headers, index, &name, &pointer, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            let value: [UInt8]? = pointer.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: size)) }
            copies.append(KafkaHeader(name: name.map { String(cString: $0) } ?? "", value: value))
            index += 1
        }
        return copies
    }

    /// An owned copy: key, value and headers copied out of librdkafka.
    public func copied() -> KafkaConsumedMessage {
        KafkaConsumedMessage(
            topic: self.topic,
            partition: self.partition,
            offset: self.offset,
            key: self.key.map { [UInt8]($0) },
            value: [UInt8](self.value),
            headers: self.headers,
            timestampMilliseconds: self.timestampMilliseconds
        )
    }

    /// Gives the message back to librdkafka (the consumer does, once `process` returns).
    func destroy() {
        rd_kafka_message_destroy(self.message)
    }
}

/// The messages of one holding poll, until ``release()`` gives them back to librdkafka (at the latest when the object
/// goes away: `rd_kafka_destroy` waits for every message it handed out).
final class RDKafkaHeldMessages: @unchecked Sendable {
    // Read by one task at a time: the poll that made it, then the caller it returns to.
    private(set) var messages: [KafkaBorrowedMessage]
    let position: KafkaCommitPosition
    let events: [KafkaConsumerEvent]

    init(messages: [KafkaBorrowedMessage], position: KafkaCommitPosition, events: [KafkaConsumerEvent]) {
        self.messages = messages
        self.position = position
        self.events = events
    }

    /// Destroys the messages (once).
    func release() {
        for message in self.messages { message.destroy() }
        self.messages = []
    }

    deinit {
        self.release()
    }
}
