import Backoff
import Kafka
import Logging
import ServiceLifecycle
import Synchronization
import Tracing
import Stores
import UsersContract

/// Consumes `random_users`, applies the contract, writes rows to the store and dead letters to
/// `random_users_dlq`, then commits the offsets — in that order.
///
/// Three stages run side by side: the reader polls micro-batches and transforms them; the writer takes every batch
/// waiting and writes their rows as one store transaction while their dead letters are sent (group commit: a busy
/// store gets fewer, larger transactions; an idle one gets each batch at once); the committer commits their offsets
/// once the dead letters are acknowledged.
///
/// Delivery guarantee: at least once into the store, exactly once in effect. A record's offset is committed only
/// after its row is durable in the store (``UserStore/upsert(_:)`` returned) or its dead letter was acknowledged by
/// the broker. A crash between the write and the commit replays the uncommitted batches; the upsert by `user_id`
/// with the `fetched_at` version makes the replay a no-op apart from `processed_at`. A batch polled before a
/// rebalance revoked partitions is written but not committed (``KafkaConsumer/commit(_:mode:)`` checks the
/// assignment generation on the consumer's thread), so a late commit never races the partitions' new owner; the
/// new owner writes those records again, harmlessly.
///
/// Scaling out is running more processors with the same group id: Kafka shares the partitions among them.
public final class StreamProcessor: Service {
    /// What the processor reads, how it batches, and when it stops.
    public struct Configuration: Sendable {
        /// The input topic. Default: the pipeline's, `random_users`.
        public var topic = PipelineConfiguration.Kafka().topic
        /// The dead-letter topic. Default: `random_users_dlq`.
        public var deadLetterTopic = PipelineConfiguration.Kafka().deadLetterTopic
        /// Most records in one micro-batch. Default: 5,000.
        public var batchSize = 5000
        /// Longest wait for a micro-batch to fill. Default: 200 ms.
        public var batchInterval: Duration = .milliseconds(200)
        /// Once a batch has its first record, how much longer to wait for more before processing it: small keeps
        /// the latency of a trickle low, while a flood still fills whole batches. Default: 5 ms.
        public var batchLinger: Duration = .milliseconds(5)
        /// Stop after this many input messages have been handled and committed. Default: nil (run until stopped).
        public var maxMessages: Int?
        /// Stop (after committing) when no record arrived for this long. Default: nil (never).
        public var idleExit: Duration?
        /// Messages over this size are rejected as `too_large` unparsed. Default: 1 MiB.
        public var maxMessageBytes = 1 << 20
        /// Stop with an error when the consumer finds a gap (records the broker dropped). Default: false (log an
        /// error with the lost range, count it in `lost`, and go on).
        public var failOnGap = false
        /// On graceful shutdown, keep processing while this says there is more to do (in `run`: records produced
        /// but not yet handled), for at most ``drainTimeout``. Default: nil (stop after the current batch).
        public var drainOnShutdown: (@Sendable () -> Bool)?
        /// The longest drain on shutdown. Default: 10 s.
        public var drainTimeout: Duration = .seconds(10)
        /// Most transformed records waiting for the writer; the reader stops polling while more wait. Default: 20,000.
        public var maxPendingRecords = 20_000
        /// Most records written in one store transaction: batches waiting together are written together up to
        /// this (one batch is never split). Default: 20,000.
        public var maxRowsPerWrite = 20_000
        /// How long a failing store is waited for (its writes retried with ``storeRetryBackoff``, consumption
        /// paused) before the processor stops with ``StoreUnavailable``; nil for as long as the outage lasts.
        /// Default: nil.
        public var maxStoreOutage: Duration?
        /// Trace consumed batches and store writes (``PipelineTracing``): each message's `traceparent` header is read.
        /// Default: false.
        public var tracing = false
        /// The waits between retries of a store write that failed transiently: capped exponential with full jitter.
        /// Default: 100 ms doubling up to 10 s.
        public var storeRetryBackoff = Backoff(base: .milliseconds(100), cap: .seconds(10), jitter: .full)
        /// How long the reader waits for room in the writer's queue before it checks for a store outage (and then
        /// pauses its partitions and keeps polling, so the group keeps it). Default: 1 s.
        public var outageCheckInterval: Duration = .seconds(1)
        /// Called after the store write and the dead letters, before the offset commit (fault-injection tests).
        public var afterWriteBeforeCommit: (@Sendable () async throws -> Void)?

        /// The defaults above.
        public init() {}
    }

    private let consumer: KafkaConsumer
    private let producer: KafkaProducer
    private let store: any UserStore
    private let configuration: Configuration
    private let counters: PipelineCounters
    private let clock: @Sendable () -> Int64
    private let logger: Logger

    /// A processor over an already-subscribed consumer.
    /// - Parameters:
    ///   - consumer: subscribed to ``Configuration/topic``, auto commit off. Close it after the processor stopped
    ///     (as a service listed before the processor): closing confirms the last commit.
    ///   - producer: for dead letters; shared, not closed by the processor.
    ///   - clock: UTC milliseconds now (`processed_at`, `received_at`).
    public init(
        consumer: KafkaConsumer,
        producer: KafkaProducer,
        store: any UserStore,
        configuration: Configuration,
        counters: PipelineCounters,
        clock: @escaping @Sendable () -> Int64 = WallClock.milliseconds,
        logger: Logger = Logger(label: "userstream.processor")
    ) {
        self.consumer = consumer
        self.producer = producer
        self.store = store
        self.configuration = configuration
        self.counters = counters
        self.clock = clock
        self.logger = logger
    }

    /// The processor found records the broker no longer has.
    public struct GapError: Error, CustomStringConvertible {
        public var topic: String
        public var partition: Int32
        public var expected: Int64
        public var got: Int64
        public var description: String {
            "records lost on \(topic)[\(partition)]: offsets \(expected)..<\(got) (\(got - expected) records) were "
                + "dropped by the broker before they were processed"
        }
    }

    public func run() async throws {
        let runStartedAt = clock()
        var transformer = UserTransformer(
            options: TransformOptions(maxMessageBytes: configuration.maxMessageBytes, runStartedAt: runStartedAt)
        )
        let progress = Progress()
        // The consumer is a service of its own, listed before the processor: it closes (confirming the last
        // asynchronous commit synchronously) once the processor has stopped.
        try await consume(transformer: &transformer, progress: progress)
        let repeated = progress.repeated.load(ordering: .relaxed)
        var metadata: Logger.Metadata = ["handled": "\(progress.committed.load(ordering: .relaxed) - repeated)"]
        if repeated > 0 { metadata["read_again"] = "\(repeated)" }
        logger.info("processor stopped", metadata: metadata)
    }

    /// One transformed micro-batch: what to write, and what to commit once it is written. The Kafka messages are
    /// gone by then; only their position is kept.
    private struct PreparedBatch: Sendable {
        var position: KafkaCommitPosition
        var rows: [UserRow]
        var deadLetters: [KafkaOutgoingMessage]
        var duplicates: Int
        var stats: TransformStats
        /// The consumed batch's span context, when tracing.
        var trace: ServiceContext?
    }

    /// Where this processor's reader and committer stand, for the reader's stop rule (the shared counters may sum
    /// several processors).
    private final class Progress: Sendable {
        /// Messages committed.
        let committed = Atomic<Int>(0)
        /// Messages polled but not committed because their partitions were revoked meanwhile (read again later).
        let skipped = Atomic<Int>(0)
        /// Of ``skipped``, those not already committed once (see ``KafkaCommitPosition/repeatedMessages``).
        let skippedNew = Atomic<Int>(0)
        /// Of ``committed``, those committed once before (read again after the group lost their commit).
        let repeated = Atomic<Int>(0)
    }

    /// Three stages: the reader (this task) polls and transforms; the writer takes every batch waiting and writes
    /// their rows as one store transaction while their dead letters are sent; the committer waits for those dead
    /// letters' acknowledgements, then commits the offsets. Commits stay in poll order and no offset is committed
    /// before its rows and dead letters are durable; the next store write does not wait for the acknowledgements.
    private func consume(transformer: inout UserTransformer, progress: Progress) async throws {
        let queue = PreparedBatchQueue<PreparedBatch>(maxRecords: configuration.maxPendingRecords)
        // Written batches wait for their dead letters' acknowledgements and their commit in a bounded queue that
        // holds only what the commit needs: a slow dead-letter topic holds the writer back instead of memory growing.
        let written = PreparedBatchQueue<WrittenBatches>(maxRecords: configuration.maxPendingRecords)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                // The committer still commits what was written before a failure.
                defer { written.finish() }
                do {
                    try await writeLoop(queue: queue, written: written)
                } catch {
                    queue.fail()
                    throw error
                }
            }
            group.addTask { [self] in
                do {
                    try await commitLoop(written, progress: progress)
                } catch {
                    queue.fail()
                    written.fail()
                    throw error
                }
            }
            var failure: (any Error)?
            do {
                try await readLoop(queue: queue, transformer: &transformer, progress: progress)
            } catch is PipelineFailed {
                // A later stage failed: its own error is the one to report.
            } catch {
                failure = error
                queue.fail()
                group.cancelAll()
            }
            queue.finish()
            // Report the first real error: the other stages stop with `PipelineFailed` once one failed.
            while let result = await group.nextResult() {
                if case .failure(let error) = result, failure == nil || failure is PipelineFailed {
                    failure = error
                }
            }
            if let failure { throw failure }
        }
    }

    /// Polls and transforms until stopped, handing batches to the writer.
    private func readLoop(
        queue: PreparedBatchQueue<PreparedBatch>, transformer: inout UserTransformer, progress: Progress
    ) async throws {
        var drainDeadline: ContinuousClock.Instant?
        var lastRecordAt = ContinuousClock.now
        var polled = 0
        // Polled records not committed before by this processor: a record read again after the group lost its
        // commit counts once.
        var polledNew = 0
        var lostTotal = 0
        while !Task.isCancelled {
            if queue.hasFailed { throw PipelineFailed() }
            if Task.isShuttingDownGracefully {
                guard let more = configuration.drainOnShutdown, more() else { break }
                if drainDeadline == nil {
                    drainDeadline = .now + configuration.drainTimeout
                    logger.info("draining before shutdown")
                }
                if let drainDeadline, ContinuousClock.now >= drainDeadline {
                    logger.warning("drain timed out; the rest stays uncommitted in Kafka for the next run")
                    break
                }
            }
            var limit = configuration.batchSize
            if let maxMessages = configuration.maxMessages {
                // Records the broker lost (reported as gaps) will never arrive: they count as done, so a run for
                // N records still ends. Records skipped at commit after a revocation are read again; records read
                // again after their commit was lost count once.
                let done = polledNew - progress.skippedNew.load(ordering: .relaxed) + lostTotal
                if done >= maxMessages {
                    if polled - progress.skipped.load(ordering: .relaxed) == progress.committed.load(ordering: .relaxed) {
                        break
                    }
                    // Wait for the writer: a commit skipped after a revocation means more to read.
                    try await Task.sleep(for: .milliseconds(2))
                    continue
                }
                limit = min(limit, maxMessages - done)
            }
            let pollStarted = ContinuousClock.now
            // The transform reads librdkafka's own buffers (no copy of a message), which are freed when it returns.
            let poll = try await consumer.poll(
                maxMessages: limit, timeout: configuration.batchInterval, linger: configuration.batchLinger
            ) { messages -> PreparedBatch? in
                guard !messages.isEmpty else { return nil }
                counters.stageNanoseconds.add(.poll, since: pollStarted)
                _ = counters.firstBatchNanos.compareExchange(
                    expected: 0, desired: WallClock.monotonicNanoseconds(), ordering: .relaxed
                )
                return transform(messages, transformer: &transformer)
            }
            lostTotal += try handle(events: poll.events)
            guard var prepared = poll.result else {
                if let idle = configuration.idleExit, ContinuousClock.now - lastRecordAt >= idle,
                    queue.waitingRecords == 0
                {
                    // The idle clock counts only while partitions are assigned and all they hold is read and
                    // committed: not before the first assignment, not while a rebalance or another member holds them.
                    let lag = try await consumer.lag()
                    if !lag.isEmpty, lag.values.allSatisfy({ $0 == 0 }) {
                        logger.info(
                            "no record for \(idle) with every assigned partition read; stopping",
                            metadata: ["polled": "\(polled)", "partitions": "\(lag.count)"])
                        break
                    }
                    logger.debug(
                        lag.isEmpty ? "idle, but no partition is assigned: waiting" : "idle, but records are left",
                        metadata: ["left": "\(lag.values.reduce(0, +))"])
                    lastRecordAt = .now
                }
                continue
            }
            prepared.position = poll.position
            lastRecordAt = .now
            polled += poll.messageCount
            polledNew += poll.messageCount - poll.position.repeatedMessages
            counters.polled.add(poll.messageCount, ordering: .relaxed)
            let more = try await push(prepared, to: queue, transformer: &transformer)
            polled += more.messages
            polledNew += more.messages - more.repeated
            lostTotal += try await resumeIfPaused()
        }
    }

    /// Whether the reader paused its partitions for a store outage.
    private let paused = Atomic<Bool>(false)

    /// Hands `batch` to the writer. While the writer's queue stays full because the store is failing, the reader
    /// pauses its partitions and keeps polling, so that the group keeps this member however long the outage lasts
    /// (no `max.poll.interval.ms` expiry, no rebalance, no re-delivery to other members). A record that still
    /// arrives meanwhile (from a partition assigned by a rebalance before it was paused) is queued behind `batch`.
    /// - Returns: how many records arrived while paused (already handed to the writer), and how many of them were
    ///   read again after their commit was lost.
    private func push(
        _ batch: PreparedBatch, to queue: PreparedBatchQueue<PreparedBatch>, transformer: inout UserTransformer
    ) async throws -> (messages: Int, repeated: Int) {
        var backlog = [batch]
        var arrived = 0
        var repeated = 0
        while let next = backlog.first {
            if try await queue.push(next, records: next.position.messageCount, within: configuration.outageCheckInterval) {
                backlog.removeFirst()
                continue
            }
            guard counters.storeOutage != nil else { continue }
            if !paused.exchange(true, ordering: .relaxed) {
                logger.warning("store unavailable: partitions paused; polling on to stay in the group")
            }
            try await consumer.pauseAssignment()
            let poll = try await consumer.poll(
                maxMessages: configuration.batchSize, timeout: .milliseconds(200), linger: nil
            ) { messages -> PreparedBatch? in
                messages.isEmpty ? nil : transform(messages, transformer: &transformer)
            }
            _ = try handle(events: poll.events)
            if var late = poll.result {
                late.position = poll.position
                arrived += poll.messageCount
                repeated += poll.position.repeatedMessages
                counters.polled.add(poll.messageCount, ordering: .relaxed)
                backlog.append(late)
            }
        }
        return (arrived, repeated)
    }

    /// Resumes the partitions paused for a store outage once the store works again.
    /// - Returns: records lost in gaps found meanwhile (none: resuming polls nothing).
    private func resumeIfPaused() async throws -> Int {
        guard paused.load(ordering: .relaxed), counters.storeOutage == nil else { return 0 }
        paused.store(false, ordering: .relaxed)
        let partitions = try await consumer.resumeAssignment()
        logger.notice("store available again: partitions resumed", metadata: ["partitions": "\(partitions.count)"])
        return 0
    }

    /// Writes `rows`, trying again with ``Configuration/storeRetryBackoff`` while the store fails transiently, for
    /// at most ``Configuration/maxStoreOutage``. Nothing is committed meanwhile: the committer waits for this write.
    /// - Throws: ``StoreUnavailable`` for an error the store does not call transient (at once), an outage longer
    ///   than allowed, or a graceful stop during the outage.
    private func upsertRetrying(_ rows: [UserRow]) async throws {
        var attempt = 0
        while true {
            do {
                try await store.upsert(rows)
                if attempt > 0, let outage = counters.storeOutage {
                    counters.storeOutageSince.store(0, ordering: .relaxed)
                    logger.notice(
                        "store writes succeed again; resuming",
                        metadata: ["outage": "\(DurationText.format(outage))", "retries": "\(attempt)"])
                }
                return
            } catch {
                counters.storeWriteErrors.add(1, ordering: .relaxed)
                guard store.isTransient(error) else {
                    throw StoreUnavailable(reason: .permanent, rows: rows.count, outage: nil, underlying: error)
                }
                attempt += 1
                counters.storeRetries.add(1, ordering: .relaxed)
                if attempt == 1 {
                    _ = counters.storeOutageSince.compareExchange(
                        expected: 0, desired: WallClock.monotonicNanoseconds(), ordering: .relaxed)
                    logger.warning(
                        "store write failed; consumption paused, retrying with backoff until it succeeds",
                        metadata: ["error": "\(error)", "rows": "\(rows.count)"])
                } else if attempt % 10 == 0 {
                    logger.warning(
                        "store still failing", metadata: ["error": "\(error)", "retries": "\(attempt)"])
                }
                let outage = counters.storeOutage ?? .zero
                if let limit = configuration.maxStoreOutage, outage >= limit {
                    throw StoreUnavailable(reason: .tooLong(limit), rows: rows.count, outage: outage, underlying: error)
                }
                let backoff = configuration.storeRetryBackoff.delay(forAttempt: attempt)
                let delay = configuration.maxStoreOutage.map { min(backoff, max(.zero, $0 - outage)) } ?? backoff
                do {
                    // Every wait ends on a signal: a graceful stop ends the outage's wait too.
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
                } catch {
                    throw StoreUnavailable(reason: .stopped, rows: rows.count, outage: counters.storeOutage, underlying: nil)
                }
                if Task.isShuttingDownGracefully {
                    throw StoreUnavailable(reason: .stopped, rows: rows.count, outage: counters.storeOutage, underlying: nil)
                }
            }
        }
    }

    /// Batches written to the store, waiting for their dead letters' acknowledgements and their commit.
    private struct WrittenBatches: Sendable {
        /// Where each batch ends, per partition: what the commit needs.
        var positions: [KafkaCommitPosition]
        /// The batches' contract statistics and in-batch duplicates, recorded once they are committed.
        var stats: [TransformStats]
        var duplicates: Int
        var rows: Int
        var deadLetters: Int
        /// Sending the dead letters (nil when there are none).
        var letters: Task<Void, any Error>?
    }

    /// Writes what the reader prepared, as few transactions as the store's pace allows, and hands each write to
    /// the committer.
    private func writeLoop(
        queue: PreparedBatchQueue<PreparedBatch>, written: PreparedBatchQueue<WrittenBatches>
    ) async throws {
        while let batches = try await queue.take(maxRecords: configuration.maxRowsPerWrite) {
            let started = ContinuousClock.now
            var rows: [UserRow]
            var deadLetters: [KafkaOutgoingMessage]
            if batches.count == 1 {
                rows = batches[0].rows
                deadLetters = batches[0].deadLetters
            } else {
                // Later batches come later in the transaction, so a newer version of a user still wins.
                rows = []
                rows.reserveCapacity(batches.reduce(0) { $0 + $1.rows.count })
                deadLetters = []
                for batch in batches {
                    rows += batch.rows
                    deadLetters += batch.deadLetters
                }
            }
            let span = configuration.tracing
                ? PipelineTracing.storeSpan(rows: rows.count, consumed: batches.compactMap(\.trace)) : nil
            defer { span?.end() }
            var letters: Task<Void, any Error>?
            if !deadLetters.isEmpty {
                letters = Task { [producer, deadLetters] in try await Self.send(deadLetters, with: producer) }
            }
            do {
                try await upsertRetrying(rows)
            } catch {
                letters?.cancel()
                span?.recordError(error)
                throw error
            }
            counters.stageNanoseconds.add(.write, since: started)
            counters.endToEndLatency.record(now: clock(), starts: Self.fetchedAts(rows))
            counters.histograms.recordWrite(records: rows.count + deadLetters.count, duration: ContinuousClock.now - started)
            counters.storedUsers.note(rows)
            let write = WrittenBatches(
                positions: batches.map(\.position), stats: batches.map(\.stats),
                duplicates: batches.reduce(0) { $0 + $1.duplicates }, rows: rows.count,
                deadLetters: deadLetters.count, letters: letters)
            try await written.push(write, records: batches.reduce(0) { $0 + $1.position.messageCount })
        }
    }

    /// Commits written batches in order, each once its dead letters are acknowledged.
    private func commitLoop(_ written: PreparedBatchQueue<WrittenBatches>, progress: Progress) async throws {
        while let writes = try await written.take(maxRecords: 1) {
            for write in writes { try await commit(write, progress: progress) }
        }
    }

    /// Commits one write's offsets once its dead letters are acknowledged, then counts it.
    private func commit(_ write: WrittenBatches, progress: Progress) async throws {
        try Task.checkCancellation()
        let started = ContinuousClock.now
        try await write.letters?.value
        if let hook = configuration.afterWriteBeforeCommit { try await hook() }
        let outcome = try await consumer.commit(write.positions, mode: .async)
        counters.stageNanoseconds.add(.commit, since: started)
        if outcome.skippedMessages > 0 {
            logger.info(
                "partitions were revoked before these records were committed; their new owners read them again",
                metadata: ["messages": "\(outcome.skippedMessages)"]
            )
        }
        if outcome.repeatedMessages > 0 {
            logger.info(
                "records read again after the group lost their commit were stored again (the upsert keeps one row each)",
                metadata: ["messages": "\(outcome.repeatedMessages)"]
            )
        }
        for stats in write.stats { counters.record(stats) }
        counters.duplicates.add(write.duplicates, ordering: .relaxed)
        counters.stored.add(write.rows, ordering: .relaxed)
        counters.rejected.add(write.deadLetters, ordering: .relaxed)
        // A record read again after the group lost its commit was counted the first time.
        counters.handled.add(outcome.committedMessages - outcome.repeatedMessages, ordering: .relaxed)
        counters.batches.add(write.positions.count, ordering: .relaxed)
        counters.writes.add(1, ordering: .relaxed)
        counters.lastCommitNanos.store(WallClock.monotonicNanoseconds(), ordering: .relaxed)
        progress.skipped.add(outcome.skippedMessages, ordering: .relaxed)
        progress.skippedNew.add(outcome.skippedMessages - outcome.skippedRepeatedMessages, ordering: .relaxed)
        // Skipped records are read again by the partitions' next owner: they are unread once more. Repeated ones
        // were counted when first polled.
        counters.polled.subtract(outcome.skippedMessages + outcome.repeatedMessages, ordering: .relaxed)
        progress.committed.add(outcome.committedMessages, ordering: .relaxed)
        progress.repeated.add(outcome.repeatedMessages, ordering: .relaxed)
    }

    /// Applies the contract to every message of a poll, read in place. The position is the caller's to set.
    private func transform(_ messages: [KafkaBorrowedMessage], transformer: inout UserTransformer) -> PreparedBatch {
        let started = ContinuousClock.now
        let processedAt = clock()
        var rows: [UserRow] = []
        rows.reserveCapacity(messages.count)
        var deadLetters: [KafkaOutgoingMessage] = []
        var letterBytes: [UInt8] = []
        var traceparents: Set<String> = []
        for message in messages {
            if configuration.tracing, let traceparent = message.headerValue(PipelineTracing.header) {
                traceparents.insert(String(decoding: traceparent, as: UTF8.self))
            }
            let key = message.key.map { [UInt8]($0) }
            let context = RecordContext(
                topic: message.topic,
                partition: message.partition,
                offset: message.offset,
                key: key,
                fetchedAt: message.fetchedAtMilliseconds,
                receivedAt: processedAt
            )
            transformer.transform(message.value, context: context, processedAt: processedAt) { outcome in
                // The outcome is ours: its row moves into the batch without copying its strings.
                switch consume outcome {
                case .row(let row):
                    rows.append(row)
                case .reject(let letter):
                    letterBytes.removeAll(keepingCapacity: true)
                    letter.encodeJSON(into: &letterBytes)
                    deadLetters.append(
                        KafkaOutgoingMessage(
                            topic: configuration.deadLetterTopic,
                            key: key,
                            value: letterBytes,
                            headers: [KafkaHeader(name: "reason", string: letter.reason.code)]
                        )
                    )
                }
            }
        }
        counters.consumeLatency.record(now: processedAt, starts: Self.fetchedAts(rows))
        let unique = deduplicate(rows)
        let stats = transformer.stats
        transformer.stats = TransformStats()
        counters.stageNanoseconds.add(.transform, since: started)
        var trace: ServiceContext?
        if configuration.tracing {
            let span = PipelineTracing.consumeSpan(messages: messages.count, traceparents: traceparents)
            span.attributes["userstream.rows"] = unique.count
            span.attributes["userstream.dead_letters"] = deadLetters.count
            span.end()
            trace = span.context
        }
        return PreparedBatch(
            position: KafkaCommitPosition(offsets: [], generation: 0, messageCount: messages.count),
            rows: unique, deadLetters: deadLetters,
            duplicates: rows.count - unique.count, stats: stats, trace: trace
        )
    }

    /// The rows' `fetched_at` values, read in place (iterating the rows themselves copies each one, retaining every
    /// string in it).
    private static func fetchedAts(_ rows: [UserRow]) -> [Int64] {
        var starts: [Int64] = []
        starts.reserveCapacity(rows.count)
        for index in rows.indices {
            if let fetchedAt = rows[index].fetchedAt { starts.append(fetchedAt) }
        }
        return starts
    }

    private static func send(_ letters: [KafkaOutgoingMessage], with producer: KafkaProducer) async throws {
        _ = try await producer.send(letters)
    }

    /// Logs the consumer's events; returns how many records gaps say were lost.
    private func handle(events: [KafkaConsumerEvent]) throws -> Int {
        var lost = 0
        for event in events {
            switch event {
            case .gap(let topic, let partition, let expected, let got):
                let gap = GapError(topic: topic, partition: partition, expected: expected, got: got)
                counters.lost.add(Int(got - expected), ordering: .relaxed)
                lost += Int(got - expected)
                logger.error("\(gap)")
                if configuration.failOnGap { throw gap }
            case .revoked:
                counters.revocations.add(1, ordering: .relaxed)
                logger.debug("\(event)")
            case .error(let error) where error.isFatalForGroup:
                // Retrying cannot help (the broker refuses a setting or an authorization): stop, do not loop.
                throw GroupError(underlying: error, group: consumer.groupID)
            default:
                logger.debug("\(event)")
            }
        }
        return lost
    }
}

/// The processor stopped because the store could not take its writes. Nothing past the last successful write was
/// committed: the records it could not write are read again at the next start.
public struct StoreUnavailable: Error, CustomStringConvertible {
    /// Why the processor gave up.
    public enum Reason: Sendable, Equatable {
        /// The store refused the write for good (a bad schema, rejected credentials): retrying cannot help.
        case permanent
        /// The outage lasted longer than `store.max-outage`.
        case tooLong(Duration)
        /// A graceful stop came during the outage.
        case stopped
    }

    public var reason: Reason
    /// The rows of the write that failed.
    public var rows: Int
    /// How long the store had been failing.
    public var outage: Duration?
    /// The store's last error.
    public var underlying: (any Error)?

    public var description: String {
        let cause = underlying.map { ": \($0)" } ?? ""
        switch reason {
        case .permanent:
            return "the store refused a write of \(rows) rows and retrying cannot help (fix it, then start again; "
                + "nothing past the last write was committed)\(cause)"
        case .tooLong(let limit):
            return "the store failed for longer than --max-store-outage \(DurationText.format(limit)); stopped with "
                + "\(rows) rows unwritten and uncommitted, read again at the next start\(cause)"
        case .stopped:
            return "stopped while the store was failing (for \(outage.map(DurationText.format) ?? "a moment")): "
                + "\(rows) rows unwritten and uncommitted, read again at the next start"
        }
    }
}

/// The consumer group refused this member for good (a setting the broker does not accept, a missing authorization).
public struct GroupError: Error, CustomStringConvertible {
    /// The broker's error.
    public var underlying: KafkaError
    /// The group.
    public var group: String

    public var description: String {
        let hint: String
        switch underlying.rdKafkaCode {
        case 26: hint = "the brokers refuse the session timeout: set --session-timeout within their "
            + "group.min.session.timeout.ms and group.max.session.timeout.ms (6s to 30m by default)"
        case 29, 30, 31: hint = "grant this client's principal access to the group and the topics"
        default: hint = "check the consumer settings and the credentials"
        }
        return "consumer group \(group) refused this member (\(underlying.errorName)): \(hint)"
    }
}
