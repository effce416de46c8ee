/// Where a consumer stands after processing one or more polled batches: per partition, the next offset to read,
/// and the assignment generation the batches were polled in.
///
/// Taken with ``KafkaBatch/commitPosition`` right after a poll, it lets the caller drop the messages early and
/// commit later (``KafkaConsumer/commit(_:mode:)``). The generation makes a late commit safe: a position polled
/// before a rebalance revoked partitions is not committed, so it never races the partitions' new owner.
public struct KafkaCommitPosition: Sendable, Hashable {
    /// Per partition, the highest offset read + 1, sorted by topic and partition.
    public var offsets: [KafkaTopicPartitionOffset]
    /// The consumer's assignment generation when the batch was polled (it moves on every revocation).
    public var generation: UInt64
    /// How many messages the position covers.
    public var messageCount: Int
    /// Of ``messageCount``, the messages at offsets this consumer had already committed (or sent to be committed):
    /// read again because the group lost that commit (the member was dropped, or the commit refused) and the
    /// partition came back. Counted once already.
    public var repeatedMessages: Int

    /// Creates a position.
    /// - Parameters:
    ///   - offsets: per partition, the next offset to read.
    ///   - generation: the assignment generation of the poll.
    ///   - messageCount: the messages covered.
    ///   - repeatedMessages: of those, the messages read again after their commit was lost. Default: 0.
    public init(offsets: [KafkaTopicPartitionOffset], generation: UInt64, messageCount: Int, repeatedMessages: Int = 0) {
        self.offsets = offsets
        self.generation = generation
        self.messageCount = messageCount
        self.repeatedMessages = repeatedMessages
    }
}

/// What ``KafkaConsumer/commit(_:mode:)`` did with the positions it was given.
public struct KafkaCommitOutcome: Sendable, Hashable {
    /// Messages whose offsets were committed (or, for an asynchronous commit, sent to be committed).
    public var committedMessages: Int
    /// Messages not committed because partitions were revoked after they were polled: their new owner reads
    /// them again.
    public var skippedMessages: Int
    /// Of ``committedMessages``, those committed before already (``KafkaCommitPosition/repeatedMessages``).
    public var repeatedMessages: Int
    /// Of ``skippedMessages``, those committed before already.
    public var skippedRepeatedMessages: Int

    /// Creates an outcome.
    public init(committedMessages: Int, skippedMessages: Int, repeatedMessages: Int = 0, skippedRepeatedMessages: Int = 0) {
        self.committedMessages = committedMessages
        self.skippedMessages = skippedMessages
        self.repeatedMessages = repeatedMessages
        self.skippedRepeatedMessages = skippedRepeatedMessages
    }
}

/// How ``KafkaConsumer/commit(_:mode:)`` waits.
public struct KafkaCommitMode: Sendable, Hashable, CustomStringConvertible {
    private enum Value: String { case sync, async }
    private let value: Value
    private init(_ value: Value) { self.value = value }
    /// Returns once the group coordinator stored the offsets (one round trip).
    public static let sync = KafkaCommitMode(.sync)
    /// Returns once the commit request is queued; a failure is logged and reported as an `.error` event of a later
    /// poll. ``KafkaConsumer/close()`` commits the last asynchronously committed offsets again, synchronously,
    /// so a clean stop never leaves them behind.
    public static let async = KafkaCommitMode(.async)
    public var description: String { self.value.rawValue }
    var isAsync: Bool { self.value == .async }
}
