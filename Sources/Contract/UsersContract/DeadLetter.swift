import StreamJSON

/// A rejected record (contract section 4), with its secrets already removed.
public struct DeadLetter: Sendable, Hashable {
    /// What a dead letter carries of the record.
    public enum Payload: Sendable, Hashable {
        /// The record as compact JSON, without the fields of section 3.
        case json([UInt8])
        /// Text that is not JSON (or was not parsed), cut to 64 KiB and scrubbed (section 7 item 15).
        case text(String)
    }

    /// The reason code.
    public var reason: RejectReason
    /// Human text saying what rule failed. Never quotes a value of the record.
    public var detail: String
    /// The Kafka key; in batch mode `login.uuid` exactly as in the input when it is a string; else nil.
    public var key: String?
    /// The Kafka topic the record was read from (nil in batch mode).
    public var topic: String?
    /// The Kafka partition (nil in batch mode).
    public var partition: Int32?
    /// The Kafka offset (nil in batch mode).
    public var offset: Int64?
    /// UTC milliseconds: when the processor received the record.
    public var receivedAt: Int64
    /// The scrubbed record.
    public var payload: Payload

    /// Creates a dead letter. `payload` must already be scrubbed.
    public init(
        reason: RejectReason, detail: String, key: String? = nil, topic: String? = nil, partition: Int32? = nil,
        offset: Int64? = nil, receivedAt: Int64, payload: Payload
    ) {
        self.reason = reason
        self.detail = detail
        self.key = key
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.receivedAt = receivedAt
        self.payload = payload
    }

    /// Appends the section 4 object, compact, without a newline:
    /// `{"reason","detail","topic","partition","offset","key","received_at","payload"}`.
    ///
    /// - Parameter includeSource: write `topic`, `partition` and `offset` (the stream form). The batch
    ///   form (section 6) passes false. Nil values are left out either way. `received_at` is RFC 3339
    ///   UTC with milliseconds; `payload` is the JSON value, or a string for text.
    public func encodeJSON(into out: inout [UInt8], includeSource: Bool = true) {
        out.append(UInt8(ascii: "{"))
        JSONWriter.writeKey("reason", into: &out)
        JSONWriter.writeString(reason.code, into: &out)
        out.append(UInt8(ascii: ","))
        JSONWriter.writeKey("detail", into: &out)
        JSONWriter.writeString(detail, into: &out)
        if includeSource {
            if let topic {
                out.append(UInt8(ascii: ","))
                JSONWriter.writeKey("topic", into: &out)
                JSONWriter.writeString(topic, into: &out)
            }
            if let partition {
                out.append(UInt8(ascii: ","))
                JSONWriter.writeKey("partition", into: &out)
                JSONWriter.writeInt(Int64(partition), into: &out)
            }
            if let offset {
                out.append(UInt8(ascii: ","))
                JSONWriter.writeKey("offset", into: &out)
                JSONWriter.writeInt(offset, into: &out)
            }
        }
        if let key {
            out.append(UInt8(ascii: ","))
            JSONWriter.writeKey("key", into: &out)
            JSONWriter.writeString(key, into: &out)
        }
        out.append(UInt8(ascii: ","))
        JSONWriter.writeKey("received_at", into: &out)
        out.append(UInt8(ascii: "\""))
        Timestamp.writeRFC3339(receivedAt, into: &out)
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ","))
        JSONWriter.writeKey("payload", into: &out)
        switch payload {
        case .json(let bytes): out.append(contentsOf: bytes)
        case .text(let text): JSONWriter.writeString(text, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The section 4 object as bytes; see ``encodeJSON(into:includeSource:)``.
    public func jsonBytes(includeSource: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        encodeJSON(into: &out, includeSource: includeSource)
        return out
    }
}
