/// Something that happened to a ``KafkaConsumer`` during a poll, for logs and metrics.
public enum KafkaConsumerEvent: Sendable, Hashable {
    /// The group gave these partitions to this consumer.
    case assigned([KafkaTopicPartition])
    /// These partitions were taken away. `lost` is true when they were lost (session expiry) rather than
    /// handed over cleanly.
    case revoked([KafkaTopicPartition], lost: Bool)
    /// Messages collected in the current poll from a partition revoked during that poll were dropped
    /// (not returned, not committed: the partition's next owner reads them).
    case droppedOnRevoke(KafkaTopicPartition, count: Int)
    /// Records were skipped: the consumer expected offset `expected` but the next available was `got`,
    /// so the range `expected..<got` was lost (for example removed by retention before it was read).
    case gap(topic: String, partition: Int32, expected: Int64, got: Int64)
    /// A non-fatal error reported by librdkafka (the consumer keeps going).
    case error(KafkaError)
}
