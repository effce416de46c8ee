import Kafka
import UsersContract

/// One dead letter as read back from the dead-letter topic, with where it sits there.
public struct DeadLetterEntry: Sendable, Hashable {
    /// Where the rejected record was read from: its topic, partition and offset. Two letters with the same source are
    /// copies (a redelivered batch writes its dead letters again).
    public typealias Source = KafkaTopicPartitionOffset

    /// The letter's partition in the dead-letter topic.
    public var partition: Int32
    /// The letter's offset in that partition (what `dlq list` shows and `dlq replay --offset` takes).
    public var offset: Int64
    /// The letter.
    public var letter: DeadLetter
    /// The Kafka key to replay the record with: the letter's own key, else the dead-letter message's key.
    public var key: [UInt8]?

    /// An entry.
    /// - Parameters:
    ///   - partition: the letter's partition in the dead-letter topic.
    ///   - offset: the letter's offset there.
    ///   - letter: the decoded letter.
    ///   - key: the key to replay with. Default: the letter's key as UTF-8.
    public init(partition: Int32, offset: Int64, letter: DeadLetter, key: [UInt8]? = nil) {
        self.partition = partition
        self.offset = offset
        self.letter = letter
        self.key = key ?? letter.key.map { Array($0.utf8) }
    }

    /// Why the record was rejected.
    public var reason: RejectReason { letter.reason }

    /// Where the record was read from, or nil for a letter without a position (a batch reject).
    public var source: Source? {
        guard let topic = letter.topic, let partition = letter.partition, let offset = letter.offset else { return nil }
        return Source(topic: topic, partition: partition, offset: offset)
    }

    /// The letter's place in the dead-letter topic: `[partition@offset]`.
    public var position: String { "[\(partition)@\(offset)]" }
}
