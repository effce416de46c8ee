import ServiceLifecycle
import Logging
import NIOConcurrencyHelpers

/// Reads messages as a member of a consumer group and commits what the caller has processed.
///
/// The expected loop is poll → process → commit → poll:
/// ```swift
/// let consumer = try KafkaConsumer(configuration: configuration, topics: ["random_users"])
/// while running {
///     let batch = try await consumer.poll(maxMessages: 500, timeout: .milliseconds(200))
///     try process(batch.messages)
///     try await consumer.commit(batch)
/// }
/// try await consumer.close()
/// ```
/// Nothing is committed automatically (`enable.auto.commit=false`, `enable.auto.offset.store=false`).
///
/// **Rebalances** are handled inside ``poll(maxMessages:timeout:)`` (librdkafka calls the rebalance callback
/// there). Because of the loop above, everything returned by earlier polls is committed when a revocation
/// happens. Messages *collected during the current poll* from a revoked partition are dropped (not returned, so
/// not processed or committed): the partition's next owner reads them. Assignment changes are reported in
/// ``KafkaBatch/events``.
///
/// **Gaps** are never skipped silently: the consumer tracks each assigned partition's next expected offset
/// (the committed offset at assignment, or 0 for a group without a commit and `auto.offset.reset=earliest`,
/// else the first message) and reports `.gap(topic, partition, expected, got)` when a message arrives past it,
/// for example after retention or the embedded broker's size cap removed unread records (the consumer then
/// resets to the earliest offset). Gaps are also logged as errors. Transactional topics (control records)
/// can show harmless gaps; UserStream does not use transactions.
///
/// All librdkafka calls of one consumer run on its own thread, never on Swift's cooperative pool, and are
/// serialised: a `commit` or `lag` waits for a running `poll`.
public final class KafkaConsumer: Sendable {
    private let core: RDKafkaConsumerCore
    private let closed = NIOLockedValueBox(false)
    private let lagTimeoutMilliseconds: Int32 = 10_000

    /// Creates a consumer and subscribes it to `topics`; it joins the group during the first polls.
    /// - Parameters:
    ///   - configuration: the consumer settings (group, offsets reset, session timeout, assignment strategy).
    ///   - topics: the topics to subscribe to.
    ///   - logger: where the consumer and librdkafka log.
    /// - Throws: ``KafkaError`` `.configuration`, `.clientCreation` or `.consume` (subscription refused).
    public init(
        configuration: KafkaConsumerConfiguration,
        topics: [String],
        logger: Logger = Logger(label: "kafka.consumer")
    ) throws {
        self.core = try RDKafkaConsumerCore(configuration: configuration, topics: topics, logger: logger)
        self.groupID = configuration.groupID
    }

    /// The consumer group this consumer belongs to.
    public let groupID: String

    /// Returns up to `maxMessages` messages, waiting at most `timeout` for them.
    ///
    /// It collects until `maxMessages` are read or the timeout passes, then returns what it has (possibly
    /// nothing). With a `linger`, the wait shortens once the first message is in: the batch closes `linger` after
    /// it (or at once, for zero, when no more are queued locally), so a trickle of records is not held back for the
    /// whole timeout while a flood still fills whole batches. Rebalances and errors that happen meanwhile are in the batch's `events`. Keep the timeout short
    /// (for example 100–500 ms): the call is not interrupted by task cancellation, and `commit`, `lag` and `close`
    /// wait for it.
    /// - Parameters:
    ///   - maxMessages: the most messages to return (at least 1).
    ///   - timeout: how long to wait at most.
    ///   - linger: once a message is in, how much longer to wait for more. Default: nil (the whole timeout).
    /// - Returns: the messages and events.
    /// - Throws: ``KafkaError`` `.closed` after ``close()``.
    public func poll(maxMessages: Int, timeout: Duration, linger: Duration? = nil) async throws -> KafkaBatch {
        let limit = max(1, maxMessages)
        let milliseconds = timeout.clampedMilliseconds
        let lingerMilliseconds = linger.map { min($0.clampedMilliseconds, milliseconds) }
        return try await self.core.run { core in
            core.pollBlocking(maxMessages: limit, timeoutMilliseconds: milliseconds, lingerMilliseconds: lingerMilliseconds)
        }
    }

    /// Polls like ``poll(maxMessages:timeout:linger:)`` and lends the messages to `process` without copying them out
    /// of librdkafka: zero-copy for whatever `process` turns them into.
    ///
    /// `process` runs in the caller's task, after the poll, while the consumer's thread is free for commits. The
    /// messages are destroyed when it returns, so it must keep nothing of them (``KafkaBorrowedMessage``); its result
    /// is `Sendable`, which keeps the messages and their buffers out of it.
    ///
    /// - Parameters:
    ///   - maxMessages: the most messages to lend.
    ///   - timeout: the longest wait for them.
    ///   - linger: once the first message is in, how much longer to wait for more.
    ///   - process: what to make of the messages (also called with none when the poll found nothing).
    /// - Returns: `process`'s result, the position to commit once it is durable, and the poll's events.
    /// - Throws: ``KafkaError`` `.closed` after ``close()``.
    public func poll<Result: Sendable>(
        maxMessages: Int, timeout: Duration, linger: Duration? = nil,
        process: ([KafkaBorrowedMessage]) -> Result
    ) async throws -> KafkaProcessedPoll<Result> {
        let limit = max(1, maxMessages)
        let milliseconds = timeout.clampedMilliseconds
        let lingerMilliseconds = linger.map { min($0.clampedMilliseconds, milliseconds) }
        let held = try await self.core.run { core in
            core.pollHolding(maxMessages: limit, timeoutMilliseconds: milliseconds, lingerMilliseconds: lingerMilliseconds)
        }
        defer { held.release() }
        let result = process(held.messages)
        return KafkaProcessedPoll(result: result, position: held.position, events: held.events)
    }

    /// Commits next-offsets (last processed + 1) synchronously: returns once the group coordinator stored them.
    /// - Parameter offsets: per partition, the next offset to read.
    /// - Throws: ``KafkaError`` `.commit` (for example when the partition was revoked meanwhile), `.closed`.
    public func commit(_ offsets: [KafkaTopicPartitionOffset]) async throws {
        if offsets.isEmpty { return }
        try await self.core.run { core in try core.commitBlocking(offsets) }
    }

    /// Commits a processed batch: per partition, its highest offset + 1. Does nothing for an empty batch.
    /// - Parameter batch: a batch returned by ``poll(maxMessages:timeout:)`` whose messages are processed.
    /// - Throws: ``KafkaError`` `.commit`, `.closed`.
    public func commit(_ batch: KafkaBatch) async throws {
        try await self.commit(batch.commitOffsets)
    }

    /// Commits positions taken from earlier polls (``KafkaBatch/commitPosition``), merged into one commit.
    ///
    /// A position polled before a revocation is skipped, not committed: the partition's new owner reads those
    /// messages again, and a late commit never races its commits. A running poll is woken so the commit does not
    /// wait for its timeout.
    /// - Parameters:
    ///   - positions: the processed positions, in any order.
    ///   - mode: `.sync` waits for the coordinator; `.async` returns once the request is queued (``close()``
    ///     confirms the last one synchronously).
    /// - Returns: how many messages were committed and how many were skipped.
    /// - Throws: ``KafkaError`` `.commit`, `.closed`.
    @discardableResult
    public func commit(_ positions: [KafkaCommitPosition], mode: KafkaCommitMode) async throws -> KafkaCommitOutcome {
        if positions.isEmpty { return KafkaCommitOutcome(committedMessages: 0, skippedMessages: 0) }
        self.core.wakePoll()
        return try await self.core.run { core in try core.commitBlocking(positions, async: mode.isAsync) }
    }

    /// The partitions currently assigned to this consumer.
    /// - Throws: ``KafkaError`` `.consume`, `.closed`.
    public func assignment() async throws -> [KafkaTopicPartition] {
        try await self.core.run { core in try core.assignmentBlocking() }
    }

    /// Stops fetching from every partition assigned now, while polls go on: the group keeps this member (polls
    /// within `max.poll.interval.ms` and rebalances are served) but no message arrives. What librdkafka had fetched
    /// ahead is dropped and fetched again on ``resumeAssignment()``. Partitions assigned later, until then, are paused
    /// as they are assigned. This is how a consumer waits for a slow sink without leaving its group.
    /// - Returns: the partitions paused.
    /// - Throws: ``KafkaError`` `.consume`, `.closed`.
    @discardableResult
    public func pauseAssignment() async throws -> [KafkaTopicPartition] {
        try await self.core.run { core in try core.setAssignmentPausedBlocking(true) }
    }

    /// Fetches again from every assigned partition, from the message after the last one polled; partitions assigned
    /// later are not paused (also those that were paused before a revocation: librdkafka would keep them paused).
    /// - Returns: the partitions resumed.
    /// - Throws: ``KafkaError`` `.consume`, `.closed`.
    @discardableResult
    public func resumeAssignment() async throws -> [KafkaTopicPartition] {
        try await self.core.run { core in try core.setAssignmentPausedBlocking(false) }
    }

    /// The lag of each assigned partition: high watermark − committed offset (− low watermark when the group has
    /// no commit yet). For monitoring; it queries the brokers.
    /// - Returns: messages not yet committed, per assigned partition.
    /// - Throws: ``KafkaError`` `.consume` (for example a broker timeout), `.closed`.
    public func lag() async throws -> [KafkaTopicPartition: Int64] {
        let timeout = self.lagTimeoutMilliseconds
        return try await self.core.run { core in
            let partitions = try core.assignmentBlocking()
            let committed = try core.committedBlocking(partitions, timeoutMilliseconds: timeout)
            var lag: [KafkaTopicPartition: Int64] = [:]
            for partition in partitions {
                let (low, high) = try core.watermarksBlocking(partition, timeoutMilliseconds: timeout)
                let start = committed[partition].flatMap { $0 >= 0 ? $0 : nil } ?? low
                lag[partition] = max(0, high - start)
            }
            return lag
        }
    }

    /// After ``close()``: the messages handed to ``commit(_:mode:)`` whose offsets the group coordinator never
    /// confirmed storing (an asynchronous commit that failed, then the partition was revoked or the last synchronous
    /// commit failed too). They are stored but will be delivered again. Nil before the close.
    public var uncommittedMessages: Int? {
        let value = self.core.uncommittedAtClose.load(ordering: .acquiring)
        return value < 0 ? nil : value
    }

    /// Whether librdkafka's client is destroyed: ``close()`` ran to its end.
    var isDestroyed: Bool { self.core.isDestroyed }

    /// Leaves the group cleanly (`rd_kafka_consumer_close`) and destroys the client. Idempotent.
    /// Offsets committed asynchronously are committed again synchronously first.
    ///
    /// Commit what you processed before closing: uncommitted messages are read again by the next owner.
    /// Later calls throw `.closed`.
    public func close() async throws {
        let wasClosed = self.closed.withLockedValue { closed -> Bool in
            defer { closed = true }
            return closed
        }
        if wasClosed { return }
        self.core.wakePoll()
        // Closing runs to its end even when the caller is cancelled (a service group cancelled by a failure): a
        // close given up half-way would leave librdkafka's threads calling back into a freed context.
        let core = self.core
        try await Task {
            try await core.run { core in core.closeBlocking() }
            await core.shutdownThread()
        }.value
    }

    deinit {
        if !self.closed.withLockedValue({ $0 }) {
            self.core.context.logger.warning("KafkaConsumer dropped without close(); closing it now")
            self.core.closeFromDeinit()
        }
    }
}

extension KafkaConsumer: Service {
    /// Runs until the service group shuts down (or is cancelled), then closes the consumer: the last asynchronous
    /// commit is confirmed and the group is left. List it before the service that polls it, so that it closes after.
    public func run() async throws {
        try? await gracefulShutdown()
        try await close()
        core.context.logger.info("consumer closed")
    }
}
