import Kafka
import UsersContract

extension KafkaBorrowedMessage {
    /// The record's version (contract section 2, `fetched_at`): its `fetched_at` header (RFC 3339) when present and
    /// valid, else the message's Kafka timestamp. Read in place.
    var fetchedAtMilliseconds: Int64? {
        headerValue(MessageEnvelope.fetchedAtHeader).flatMap(MessageEnvelope.fetchedAt(fromHeader:)) ?? timestampMilliseconds
    }
}
