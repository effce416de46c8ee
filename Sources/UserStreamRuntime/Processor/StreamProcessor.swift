import Kafka
import Logging
import ServiceLifecycle
import Synchronization
import UserStore
import UsersPipeline

/// Consumes `random_users`, applies the contract, writes rows to the store and dead letters to
/// `random_users_dlq`, then commits the offsets — in that order, one micro-batch at a time.
///
/// Delivery guarantee: at least once into the store, exactly once in effect. A record's offset is committed only
/// after its row is durable in the store (``UserStore/upsert(_:)`` returned) or its dead letter was acknowledged by
/// the broker. A crash between the write and the commit replays the batch; the upsert by `user_id` with the
/// `fetched_at` version makes the replay a no-op apart from `processed_at`. Revocation happens only inside `poll`,
/// when everything returned before has been committed, so a rebalance never loses or doubles work.
///
/// Scaling out is running more processors with the same group id: Kafka shares the partitions among them.
public final class StreamProcessor: Service {
    /// What the processor reads, how it batches, and when it stops.
    public struct Configuration: Sendable {
        /// The input topic. Default: `random_users`.
        public var topic = "random_users"
        /// The dead-letter topic. Default: `random_users_dlq`.
        public var deadLetterTopic = "random_users_dlq"
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
    ///   - consumer: subscribed to ``Configuration/topic``, auto commit off. The processor closes it when it stops.
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
        var handledTotal = 0
        do {
            try await consume(transformer: &transformer, handledTotal: &handledTotal)
        } catch {
            try? await consumer.close()
            throw error
        }
        try await consumer.close()
        logger.info("processor stopped", metadata: ["handled": "\(handledTotal)"])
    }

    /// One transformed micro-batch: what to write, and what to commit once it is written.
    private struct PreparedBatch: Sendable {
        var batch: KafkaBatch
        var rows: [UserRow]
        var deadLetters: [KafkaOutgoingMessage]
        var duplicates: Int
        var stats: TransformStats
    }

    /// The loop: poll and transform batch N+1 while batch N is being written, then commit N. At most one batch is
    /// written at a time and commits stay in order; no offset is committed before its batch is written.
    private func consume(transformer: inout UserTransformer, handledTotal: inout Int) async throws {
        var drainDeadline: ContinuousClock.Instant?
        var lastRecordAt = ContinuousClock.now
        var pending: (prepared: PreparedBatch, write: Task<Void, any Error>)?
        var lostTotal = 0
        defer { pending?.write.cancel() }
        while !Task.isCancelled {
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
                let inFlight = pending?.prepared.batch.messages.count ?? 0
                // Records the broker lost (reported as gaps) will never arrive: they count as done, so a run for
                // N records still ends.
                let done = handledTotal + lostTotal + inFlight
                if done >= maxMessages { break }
                limit = min(limit, maxMessages - done)
            }
            let pollStarted = ContinuousClock.now
            let batch = try await consumer.poll(
                maxMessages: limit, timeout: configuration.batchInterval, linger: configuration.batchLinger
            )
            lostTotal += try handle(events: batch.events)
            let revoked = batch.events.contains { if case .revoked = $0 { true } else { false } }
            if batch.messages.isEmpty {
                if let done = pending {
                    pending = nil
                    handledTotal += try await finish(done.prepared, write: done.write, revokedMeanwhile: revoked)
                }
                if let idle = configuration.idleExit, ContinuousClock.now - lastRecordAt >= idle {
                    logger.info("no record for \(idle); stopping", metadata: ["handled": "\(handledTotal)"])
                    break
                }
                continue
            }
            counters.stageNanoseconds.add(.poll, since: pollStarted)
            _ = counters.firstBatchNanos.compareExchange(
                expected: 0, desired: WallClock.monotonicNanoseconds(), ordering: .relaxed
            )
            lastRecordAt = .now
            let prepared = transform(batch, transformer: &transformer)
            if let done = pending {
                pending = nil
                handledTotal += try await finish(done.prepared, write: done.write, revokedMeanwhile: revoked)
            }
            pending = (prepared, startWrite(prepared))
        }
        if let done = pending {
            pending = nil
            handledTotal += try await finish(done.prepared, write: done.write, revokedMeanwhile: false)
        }
    }

    /// Applies the contract to every message of the batch.
    private func transform(_ batch: KafkaBatch, transformer: inout UserTransformer) -> PreparedBatch {
        let started = ContinuousClock.now
        let processedAt = clock()
        var rows: [UserRow] = []
        rows.reserveCapacity(batch.messages.count)
        var deadLetters: [KafkaOutgoingMessage] = []
        var letterBytes: [UInt8] = []
        for message in batch.messages {
            let context = RecordContext(
                topic: message.topic,
                partition: message.partition,
                offset: message.offset,
                key: message.key,
                fetchedAt: message.fetchedAtMilliseconds,
                receivedAt: processedAt
            )
            message.value.withUnsafeBytes { bytes in
                transformer.transform(bytes, context: context, processedAt: processedAt) { outcome in
                    switch outcome {
                    case .row(let row):
                        rows.append(row)
                    case .reject(let letter):
                        letterBytes.removeAll(keepingCapacity: true)
                        letter.encodeJSON(into: &letterBytes)
                        deadLetters.append(
                            KafkaOutgoingMessage(
                                topic: configuration.deadLetterTopic,
                                key: message.key,
                                value: letterBytes,
                                headers: [KafkaHeader(name: "reason", string: letter.reason.code)]
                            )
                        )
                    }
                }
            }
        }
        let unique = deduplicate(rows)
        let stats = transformer.stats
        transformer.stats = TransformStats()
        counters.stageNanoseconds.add(.transform, since: started)
        return PreparedBatch(
            batch: batch, rows: unique, deadLetters: deadLetters, duplicates: rows.count - unique.count, stats: stats
        )
    }

    /// Writes the rows to the store and the dead letters to Kafka, concurrently, in a task of its own.
    private func startWrite(_ prepared: PreparedBatch) -> Task<Void, any Error> {
        Task { [store, producer, counters] in
            let started = ContinuousClock.now
            async let letters: Void = prepared.deadLetters.isEmpty ? () : Self.send(prepared.deadLetters, with: producer)
            try await store.upsert(prepared.rows)
            try await letters
            counters.stageNanoseconds.add(.write, since: started)
        }
    }

    /// Waits for the batch's write, then commits its offsets — unless a rebalance revoked partitions since it was
    /// polled: then nothing is committed and the partitions' new owners read those records again (the upsert makes
    /// that harmless), so a commit never races the new owner's. Returns the messages committed.
    private func finish(
        _ prepared: PreparedBatch, write: Task<Void, any Error>, revokedMeanwhile: Bool
    ) async throws -> Int {
        try await write.value
        if let hook = configuration.afterWriteBeforeCommit { try await hook() }
        let batch = prepared.batch
        if revokedMeanwhile {
            logger.info(
                "partitions were revoked before this batch was committed; their new owners read it again",
                metadata: ["messages": "\(batch.messages.count)"]
            )
            return 0
        }
        let started = ContinuousClock.now
        try await consumer.commit(batch)
        counters.stageNanoseconds.add(.commit, since: started)
        counters.endToEndLatency.record(now: clock(), starts: prepared.rows.lazy.compactMap(\.fetchedAt))
        counters.record(prepared.stats)
        counters.handled.add(batch.messages.count, ordering: .relaxed)
        counters.stored.add(prepared.rows.count, ordering: .relaxed)
        counters.duplicates.add(prepared.duplicates, ordering: .relaxed)
        counters.rejected.add(prepared.deadLetters.count, ordering: .relaxed)
        counters.batches.add(1, ordering: .relaxed)
        counters.lastCommitNanos.store(WallClock.monotonicNanoseconds(), ordering: .relaxed)
        return batch.messages.count
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
            default:
                logger.debug("\(event)")
            }
        }
        return lost
    }
}
