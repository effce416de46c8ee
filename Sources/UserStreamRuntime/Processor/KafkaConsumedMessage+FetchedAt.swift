import Kafka
import UsersPipeline

extension KafkaConsumedMessage {
    /// The record's version (contract section 2, `fetched_at`): its `fetched_at` header (RFC 3339) when present and
    /// valid, else the message's Kafka timestamp.
    var fetchedAtMilliseconds: Int64? {
        if let header = header("fetched_at"), let value = header.value,
           let milliseconds = value.withUnsafeBytes({ Timestamp.parse($0) })
        {
            return milliseconds
        }
        return timestampMilliseconds
    }
}
