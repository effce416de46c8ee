import Kafka
import UsersPipeline

extension KafkaConsumedMessage {
    /// The record's version (contract section 2, `fetched_at`): its `fetched_at` header (RFC 3339) when present and
    /// valid, else the message's Kafka timestamp.
    var fetchedAtMilliseconds: Int64? {
        if let milliseconds = withHeaderValue(named: "fetched_at", { $0.flatMap(Timestamp.parse) }) {
            return milliseconds
        }
        return timestampMilliseconds
    }
}
