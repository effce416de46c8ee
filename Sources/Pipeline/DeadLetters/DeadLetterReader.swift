import Kafka
import Logging
import StreamJSON
import UsersContract

/// Reads the pipeline's dead-letter topic from its start to its end as it was when the reader looked, and returns the
/// unique letters (``DeadLetterScan``).
///
/// Reading happens in two steps, which ``read()`` runs one after the other:
/// 1. ``locate()`` asks the brokers for their topics (a bounded wait, ``Configuration/checkTimeout``): brokers that do
///    not answer are an error naming them, a missing topic an error naming it. The topic is never created: the
///    metadata request asks for every topic (so the broker auto-creates none), and only a topic that exists is
///    subscribed to. Then it takes each partition's watermarks: what is there now.
/// 2. ``read(_:)`` consumes the topic from the start with a throw-away consumer group that commits nothing, up to the
///    high watermark of each partition taken in step 1: letters written meanwhile are left out, and the read ends as
///    soon as the last letter that was there is in (no idle timer). An empty topic is not consumed at all.
///
/// The whole read is bounded by ``Configuration/timeout``; past it, ``DeadLetterReaderError/Code/timedOut``.
/// (The Kafka module has no manual assignment, hence the group; it is named `userstream-dlq-reader-<random>` and
/// leaves no committed offset behind.)
public struct DeadLetterReader: Sendable {
    /// How long the reader waits.
    public struct Configuration: Sendable {
        /// The longest wait for each metadata request: the brokers' topics, then each partition's watermarks.
        /// Default: 10 s.
        public var checkTimeout: Duration = .seconds(10)
        /// The longest the whole read may take, the check included. Default: 60 s.
        public var timeout: Duration = .seconds(60)
        /// The most messages one poll returns. Default: 1,000.
        public var maxPollMessages = 1000

        /// The defaults above.
        public init() {}
    }

    /// What the dead-letter topic held when ``locate()`` looked.
    public struct Extent: Sendable, Hashable {
        /// One partition's offsets.
        public struct Partition: Sendable, Hashable {
            /// The partition id.
            public var id: Int32
            /// The oldest offset still retained (low watermark).
            public var low: Int64
            /// The offset the next letter gets (high watermark): the read stops before it.
            public var high: Int64

            /// A partition's offsets.
            /// - Parameters:
            ///   - id: the partition id.
            ///   - low: the low watermark.
            ///   - high: the high watermark.
            public init(id: Int32, low: Int64, high: Int64) {
                self.id = id
                self.low = low
                self.high = high
            }

            /// The messages between the watermarks.
            public var messages: Int64 { max(0, high - low) }
        }

        /// The topic.
        public var topic: String
        /// Its partitions, by id.
        public var partitions: [Partition]

        /// An extent.
        /// - Parameters:
        ///   - topic: the topic.
        ///   - partitions: its partitions' watermarks.
        public init(topic: String, partitions: [Partition]) {
            self.topic = topic
            self.partitions = partitions
        }

        /// The messages in the topic.
        public var messages: Int64 { partitions.reduce(0) { $0 + $1.messages } }
    }

    /// The pipeline whose dead-letter topic, brokers and client settings are used.
    public let builder: PipelineBuilder
    /// How long the reader waits.
    public var configuration: Configuration
    private let logger: Logger

    /// A reader of `builder`'s dead-letter topic on its external brokers (``PipelineBuilder/externalBrokers``).
    /// - Parameters:
    ///   - builder: the pipeline.
    ///   - configuration: how long to wait. Default: ``Configuration/init()``.
    ///   - logger: where the reader and its consumer log.
    public init(
        builder: PipelineBuilder, configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "userstream.dlq")
    ) {
        self.builder = builder
        self.configuration = configuration
        self.logger = logger
    }

    /// The dead-letter topic.
    public var topic: String { builder.configuration.kafka.deadLetterTopic }
    /// The brokers read from.
    public var brokers: String { builder.externalBrokers }

    /// Checks the brokers and the topic, then reads every letter that is there now.
    /// - Returns: the unique letters and the copies dropped.
    /// - Throws: ``DeadLetterReaderError`` (brokers unreachable, topic missing, deadline passed), a ``KafkaError`` for
    ///   a client that cannot be created (a bad setting), `CancellationError`.
    public func read() async throws -> DeadLetterScan {
        let deadline = ContinuousClock.now + configuration.timeout
        let extent = try await locate(deadline: deadline)
        return try await read(extent, deadline: deadline)
    }

    /// Checks that the brokers answer and the topic exists, and takes its watermarks.
    /// - Returns: what the topic holds now.
    /// - Throws: ``DeadLetterReaderError`` `.brokersUnreachable` or `.topicMissing`, a ``KafkaError`` for a bad
    ///   setting.
    public func locate() async throws -> Extent {
        try await locate(deadline: ContinuousClock.now + configuration.timeout)
    }

    /// Reads the letters of `extent`: from each partition's start up to its high watermark there.
    /// - Parameter extent: what ``locate()`` found.
    /// - Returns: the unique letters and the copies dropped.
    /// - Throws: ``DeadLetterReaderError`` `.timedOut`, a ``KafkaError`` for a bad setting, `CancellationError`.
    public func read(_ extent: Extent) async throws -> DeadLetterScan {
        try await read(extent, deadline: ContinuousClock.now + configuration.timeout)
    }

    // MARK: Steps

    private func locate(deadline: ContinuousClock.Instant) async throws -> Extent {
        let admin = try builder.admin(brokers: brokers)
        defer { admin.close() }
        let topics: [KafkaTopicDescription]
        let wait = waitFor(deadline)
        do {
            topics = try await admin.listTopics(timeout: wait)
        } catch let error as KafkaError {
            throw unreachable("cannot reach the brokers \(brokers) within \(DurationText.format(wait))", error)
        }
        guard let description = topics.first(where: { $0.name == topic }) else {
            throw DeadLetterReaderError(
                .topicMissing, brokers: brokers, topic: topic,
                detail: "the dead-letter topic \(topic) does not exist on \(brokers) (nothing was created); check "
                    + "--dlq-topic, or create the topics with: \(builder.createTopicsHint(brokers: brokers))")
        }
        var partitions: [Extent.Partition] = []
        for partition in description.partitions.map(\.id).sorted() {
            let watermarks: (low: Int64, high: Int64)
            do {
                watermarks = try await admin.watermarks(
                    KafkaTopicPartition(topic: topic, partition: partition), timeout: waitFor(deadline))
            } catch let error as KafkaError {
                throw unreachable(
                    "cannot read the offsets of \(topic)[\(partition)] from the brokers \(brokers)", error)
            }
            partitions.append(Extent.Partition(id: partition, low: watermarks.low, high: watermarks.high))
        }
        return Extent(topic: topic, partitions: partitions)
    }

    private func read(_ extent: Extent, deadline: ContinuousClock.Instant) async throws -> DeadLetterScan {
        let wanted = extent.partitions.filter { $0.messages > 0 }
        guard !wanted.isEmpty else { return DeadLetterScan(topic: extent.topic, entries: []) }
        var consumerConfiguration = builder.consumerConfiguration(brokers: brokers)
        consumerConfiguration.groupID = "userstream-dlq-reader-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
        consumerConfiguration.autoOffsetReset = .earliest
        // Retention may have removed the first letters: no gap to report, the reader starts at the low watermark.
        consumerConfiguration.expectOffsetZeroWithoutCommit = false
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, topics: [extent.topic], logger: logger)
        do {
            let scan = try await drain(consumer, extent: extent, partitions: wanted, deadline: deadline)
            try await consumer.close()
            return scan
        } catch {
            try? await consumer.close()
            throw error
        }
    }

    /// Polls until every partition's high watermark is reached, keeping the letters below it.
    private func drain(
        _ consumer: KafkaConsumer, extent: Extent, partitions: [Extent.Partition], deadline: ContinuousClock.Instant
    ) async throws -> DeadLetterScan {
        let high = Dictionary(partitions.map { ($0.id, $0.high) }, uniquingKeysWith: { first, _ in first })
        // Per partition, the next offset to keep: a message before it (read again after a rebalance) is a repeat.
        var next = Dictionary(partitions.map { ($0.id, $0.low) }, uniquingKeysWith: { first, _ in first })
        var open = Set(partitions.map(\.id))
        var entries: [DeadLetterEntry] = []
        var skipped = 0
        var parser = JSONParser()
        var lastError: KafkaError?
        while !open.isEmpty {
            try Task.checkCancellation()
            let left = deadline - ContinuousClock.now
            guard left > .zero else {
                throw timedOut(extent: extent, read: entries.count + skipped, open: open, next: next, lastError)
            }
            let batch = try await consumer.poll(
                maxMessages: configuration.maxPollMessages, timeout: min(.milliseconds(250), left))
            for case .error(let error) in batch.events { lastError = error }
            for message in batch.messages {
                guard message.topic == extent.topic, let end = high[message.partition],
                    let start = next[message.partition], message.offset >= start, message.offset < end
                else { continue }
                next[message.partition] = message.offset + 1
                if message.offset + 1 >= end { open.remove(message.partition) }
                let letter = message.value.withUnsafeBytes { DeadLetter.decode($0, parser: &parser) }
                guard let letter else {
                    skipped += 1
                    logger.warning(
                        "skipping a message that is not a dead letter",
                        metadata: ["partition": "\(message.partition)", "offset": "\(message.offset)"])
                    continue
                }
                entries.append(
                    DeadLetterEntry(
                        partition: message.partition, offset: message.offset, letter: letter,
                        key: letter.key.map { Array($0.utf8) } ?? message.key))
            }
        }
        return DeadLetterScan(topic: extent.topic, entries: entries, skipped: skipped)
    }

    // MARK: Errors

    /// The time left before `deadline`, at most ``Configuration/checkTimeout`` (and at least a millisecond).
    private func waitFor(_ deadline: ContinuousClock.Instant) -> Duration {
        max(.milliseconds(1), min(configuration.checkTimeout, deadline - ContinuousClock.now))
    }

    private func unreachable(_ what: String, _ error: KafkaError) -> DeadLetterReaderError {
        DeadLetterReaderError(
            .brokersUnreachable, brokers: brokers, topic: topic,
            detail: "\(what) (\(error)); check --brokers and that a broker runs there")
    }

    private func timedOut(
        extent: Extent, read: Int, open: Set<Int32>, next: [Int32: Int64], _ lastError: KafkaError?
    ) -> DeadLetterReaderError {
        let behind = extent.partitions.filter { open.contains($0.id) }
            .map { "\(extent.topic)[\($0.id)] at offset \(next[$0.id] ?? $0.low) of \($0.high)" }
        return DeadLetterReaderError(
            .timedOut, brokers: brokers, topic: extent.topic,
            detail: "read \(read) of the \(extent.messages) messages of \(extent.topic) on \(brokers) within "
                + "\(DurationText.format(configuration.timeout)); stopped with \(behind.joined(separator: ", "))"
                + (lastError.map { " (last consumer error: \($0))" } ?? ""))
    }
}
