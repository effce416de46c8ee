import Kafka
import UsersPipeline

extension KafkaBorrowedMessage {
    /// The record's version (contract section 2, `fetched_at`): its `fetched_at` header (RFC 3339) when present and
    /// valid, else the message's Kafka timestamp. Read in place.
    var fetchedAtMilliseconds: Int64? {
        headerValue("fetched_at").flatMap { Timestamp.parse($0) } ?? timestampMilliseconds
    }
}
