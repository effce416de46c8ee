import CRdKafka
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The consumer's state reached from the rebalance callback. Touched only on the consumer's own thread
/// (the callback runs inside `rd_kafka_consumer_poll`/`rd_kafka_consumer_close` on that thread).
final class RDKafkaConsumerContext: RDKafkaCallbackContext, @unchecked Sendable {
    let committedTimeoutMilliseconds: Int32
    let expectOffsetZeroWithoutCommit: Bool
    var detector = OffsetGapDetector()
    var events: [KafkaConsumerEvent] = []
    /// The messages the running poll has kept (handed to an ``RDKafkaHeldMessages`` when it ends).
    var held: [KafkaBorrowedMessage] = []
    /// Moves on every revocation: positions polled in an older generation are not committed.
    var generation: UInt64 = 0
    /// The offsets last committed asynchronously and not yet confirmed by a synchronous commit.
    var unflushed: [KafkaTopicPartition: Int64] = [:]
    /// Commits asked for and not yet known to be stored by the coordinator: their offsets and how many handled
    /// messages they cover. A confirmed offset covers every lower one of its partition.
    var pendingCommits: [(offsets: [KafkaTopicPartition: Int64], messages: Int)] = []
    /// Per partition, the highest offset the coordinator confirmed storing.
    var confirmed: [KafkaTopicPartition: Int64] = [:]
    /// Whether the application paused the assignment: partitions assigned meanwhile are paused too.
    var assignmentPaused = false
    /// Per partition, the highest offset this consumer sent to be committed, in any generation: a message below it
    /// polled later was read again (``KafkaCommitPosition/repeatedMessages``).
    var committedUpTo: [KafkaTopicPartition: Int64] = [:]

    /// Records that the coordinator stored `offsets`, and forgets the commits they cover.
    func confirm(_ offsets: [KafkaTopicPartitionOffset]) {
        for item in offsets {
            confirmed[item.topicPartition] = max(confirmed[item.topicPartition] ?? Int64.min, item.offset)
        }
        pendingCommits.removeAll { pending in
            pending.offsets.allSatisfy { partition, offset in (confirmed[partition] ?? Int64.min) >= offset }
        }
    }

    /// Handled messages whose commit the coordinator never confirmed.
    var unconfirmedMessages: Int { pendingCommits.reduce(0) { $0 + $1.messages } }

    init(configuration: KafkaConsumerConfiguration, logger: Logger) {
        self.committedTimeoutMilliseconds = Int32(clamping: configuration.committedOffsetsTimeoutMilliseconds)
        self.expectOffsetZeroWithoutCommit = configuration.expectOffsetZeroWithoutCommit
            && configuration.autoOffsetReset == .earliest
        super.init(logger: logger)
    }

    func rebalance(
        _ rk: OpaquePointer,
        _ err: rd_kafka_resp_err_t,
        _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
    ) {
        let cooperative = rd_kafka_rebalance_protocol(rk).map { String(cString: $0) } == "COOPERATIVE"
        let list = RDKafkaTopicPartitionList.read(partitions).map { $0.0.topicPartition }
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            self.trackAssigned(rk, partitions)
            if cooperative {
                if let error = rd_kafka_incremental_assign(rk, partitions) {
                    self.report(KafkaError(code: .consume, consuming: error, context: "incremental assign"))
                }
            } else {
                let result = rd_kafka_assign(rk, partitions)
                if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                    self.report(KafkaError(code: .consume, rdKafka: result, context: "assign"))
                }
            }
            self.applyPause(rk, partitions)
            self.events.append(.assigned(list.sorted()))
            self.logger.info("partitions assigned", metadata: ["partitions": "\(list.sorted())"])
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            let lost = rd_kafka_assignment_lost(rk) != 0
            self.generation &+= 1
            self.unflushed.removeAll()
            self.dropCollected(of: Set(list))
            for partition in list { self.detector.revoke(partition) }
            if cooperative {
                if let error = rd_kafka_incremental_unassign(rk, partitions) {
                    self.report(KafkaError(code: .consume, consuming: error, context: "incremental unassign"))
                }
            } else {
                _ = rd_kafka_assign(rk, nil)
            }
            self.events.append(.revoked(list.sorted(), lost: lost))
            self.logger.info("partitions revoked", metadata: ["partitions": "\(list.sorted())", "lost": "\(lost)"])
        default:
            _ = rd_kafka_assign(rk, nil)
            self.report(KafkaError(code: .consume, rdKafka: err, context: "rebalance"))
        }
    }

    /// Gives newly assigned partitions the pause state the application asked for. librdkafka keeps a partition's
    /// pause flag across a revocation: a partition paused, revoked (or lost) and assigned again would otherwise stay
    /// paused, and nothing would be read from it.
    private func applyPause(_ rk: OpaquePointer, _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?) {
        guard let partitions, partitions.pointee.cnt > 0 else { return }
        let paused = self.assignmentPaused
        let result = paused ? rd_kafka_pause_partitions(rk, partitions) : rd_kafka_resume_partitions(rk, partitions)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            self.report(KafkaError(code: .consume, rdKafka: result, context: paused ? "pause" : "resume"))
        }
    }

    /// Sets each new partition's expected offset from the group's committed offset.
    private func trackAssigned(_ rk: OpaquePointer, _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?) {
        guard let partitions, let copy = rd_kafka_topic_partition_list_copy(partitions) else { return }
        defer { rd_kafka_topic_partition_list_destroy(copy) }
        let result = rd_kafka_committed(rk, copy, self.committedTimeoutMilliseconds)
        let committed = RDKafkaTopicPartitionList.read(copy)
        for (item, partitionError) in committed {
            let known = result == RD_KAFKA_RESP_ERR_NO_ERROR && partitionError == RD_KAFKA_RESP_ERR_NO_ERROR
            var next: Int64? = known && item.offset >= 0 ? item.offset : nil
            if next == nil, known, self.expectOffsetZeroWithoutCommit { next = 0 }
            self.detector.assign(item.topicPartition, nextOffset: next)
        }
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            self.logger.warning(
                "committed offsets unknown at assignment; gap detection starts at the first message",
                metadata: ["error": "\(result.name)"]
            )
        }
    }

    /// Removes messages collected in the current poll from revoked partitions, and gives them back to librdkafka.
    private func dropCollected(of revoked: Set<KafkaTopicPartition>) {
        if self.held.isEmpty || revoked.isEmpty { return }
        var dropped: [KafkaTopicPartition: Int] = [:]
        var kept: [KafkaBorrowedMessage] = []
        kept.reserveCapacity(self.held.count)
        for message in self.held {
            let key = KafkaTopicPartition(topic: message.topic, partition: message.partition)
            if revoked.contains(key) {
                dropped[key, default: 0] += 1
                message.destroy()
            } else {
                kept.append(message)
            }
        }
        self.held = kept
        for (partition, count) in dropped.sorted(by: { $0.key < $1.key }) {
            self.events.append(.droppedOnRevoke(partition, count: count))
            self.logger.notice(
                "dropped messages of a revoked partition (its next owner reads them)",
                metadata: ["partition": "\(partition)", "count": "\(count)"]
            )
        }
    }

    func report(_ error: KafkaError) {
        self.events.append(.error(error))
        self.logger.warning("consumer error", metadata: ["error": "\(error)"])
    }
}

/// The consumer's librdkafka side. Every call runs on its own single thread (never the cooperative pool),
/// which also serialises them.
final class RDKafkaConsumerCore: @unchecked Sendable {
    let context: RDKafkaConsumerContext
    private let handle: OpaquePointer
    /// The consumer queue that `rd_kafka_consumer_poll` waits on; yielding it wakes a blocked poll.
    private let queue: Mutex<OpaquePointer?>
    /// Set with a yield when a commit is waiting for the running poll: the poll returns what it has.
    private let wakeRequested = Atomic<Bool>(false)
    private let thread = NIOThreadPool(numberOfThreads: 1)
    private var topicNames: [OpaquePointer: String] = [:]
    /// Set by `closeBlocking`; read only on the consumer thread.
    private var closed = false
    /// Handled messages whose commit was never confirmed, counted when the consumer closed; -1 before.
    let uncommittedAtClose = Atomic<Int>(-1)

    init(configuration: KafkaConsumerConfiguration, topics: [String], logger: Logger) throws(KafkaError) {
        self.context = RDKafkaConsumerContext(configuration: configuration, logger: logger)
        self.handle = try RDKafkaHandle.make(
            type: RD_KAFKA_CONSUMER,
            properties: configuration.properties,
            context: self.context
        ) { conf in
            rd_kafka_conf_set_stats_cb(conf) { rk, json, length, _ in
                guard let rk, let json, let opaque = rd_kafka_opaque(rk) else { return 0 }
                let context = Unmanaged<RDKafkaCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
                context.brokers.observe(
                    statistics: String(decoding: UnsafeRawBufferPointer(start: json, count: length), as: UTF8.self),
                    logger: context.logger)
                return 0  // librdkafka frees the document
            }
            rd_kafka_conf_set_rebalance_cb(conf) { rk, err, partitions, opaque in
                guard let rk, let opaque else { return }
                let context = Unmanaged<RDKafkaCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
                (context as? RDKafkaConsumerContext)?.rebalance(rk, err, partitions)
            }
            rd_kafka_conf_set_offset_commit_cb(conf) { rk, err, offsets, opaque in
                // Served inside poll (or close) on the consumer thread.
                guard let opaque, err != RD_KAFKA_RESP_ERR__NO_OFFSET else { return }
                let context = Unmanaged<RDKafkaCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
                let answered = RDKafkaTopicPartitionList.read(offsets)
                (context as? RDKafkaConsumerContext)?.confirm(
                    answered.filter { $0.1 == RD_KAFKA_RESP_ERR_NO_ERROR }.map(\.0))
                guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
                let partitions = answered.map(\.0)
                (context as? RDKafkaConsumerContext)?.report(
                    KafkaError(code: .commit, rdKafka: err, context: "asynchronous commit of \(partitions)")
                )
            }
        }
        _ = rd_kafka_poll_set_consumer(self.handle)
        self.queue = Mutex(rd_kafka_queue_get_consumer(self.handle))
        let list = RDKafkaTopicPartitionList.make(topics.map { KafkaTopicPartition(topic: $0, partition: -1) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let result = rd_kafka_subscribe(self.handle, list)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            rd_kafka_destroy(self.handle)
            throw KafkaError(code: .consume, rdKafka: result, context: "subscribe to \(topics)")
        }
        self.thread.start()
    }

    /// Runs `body` on the consumer's thread.
    func run<T: Sendable>(_ body: @escaping @Sendable (RDKafkaConsumerCore) throws -> T) async throws -> T {
        do {
            return try await self.thread.runIfActive {
                if self.closed { throw KafkaError(code: .closed, message: "the consumer is closed") }
                return try body(self)
            }
        } catch let error as KafkaError {
            throw error
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            throw KafkaError(code: .closed, message: "the consumer is closed")
        }
    }

    /// Polls and copies the messages out of librdkafka (see ``pollHolding(maxMessages:timeoutMilliseconds:lingerMilliseconds:)``
    /// for the messages themselves).
    func pollBlocking(maxMessages: Int, timeoutMilliseconds: Int32, lingerMilliseconds: Int32? = nil) -> KafkaBatch {
        let held = self.pollHolding(
            maxMessages: maxMessages, timeoutMilliseconds: timeoutMilliseconds, lingerMilliseconds: lingerMilliseconds)
        defer { held.release() }
        return KafkaBatch(messages: held.messages.map { $0.copied() }, events: held.events, generation: held.position.generation)
    }

    /// Polls until `maxMessages` are in, the timeout passes, the linger after the first message passes, or a commit
    /// asks for the thread. Keeps librdkafka's messages (errors and partition ends are reported, not kept); the caller
    /// releases them.
    func pollHolding(maxMessages: Int, timeoutMilliseconds: Int32, lingerMilliseconds: Int32?) -> RDKafkaHeldMessages {
        let context = self.context
        context.held.removeAll(keepingCapacity: true)
        context.held.reserveCapacity(min(maxMessages, 10_000))
        defer {
            context.held.removeAll(keepingCapacity: false)
            context.events.removeAll()
        }
        self.pollLoop(maxMessages: maxMessages, timeoutMilliseconds: timeoutMilliseconds, lingerMilliseconds: lingerMilliseconds)
        var next = KafkaNextOffsets()
        for held in context.held { next.add(topic: held.topic, partition: held.partition, offset: held.offset) }
        let position = KafkaCommitPosition(
            offsets: next.sorted, generation: context.generation, messageCount: context.held.count,
            repeatedMessages: self.repeated(in: next))
        return RDKafkaHeldMessages(messages: context.held, position: position, events: context.events)
    }

    /// How many of the held messages lie below what this consumer already committed on their partition. Only the
    /// partitions whose first message does are scanned: after a normal commit none does.
    private func repeated(in next: KafkaNextOffsets) -> Int {
        let committed = self.context.committedUpTo
        if committed.isEmpty { return 0 }
        var repeated = 0
        for span in next.spans {
            guard let upTo = committed[span.partition], span.first < upTo else { continue }
            repeated += self.context.held.reduce(0) { count, message in
                message.partition == span.partition.partition && message.offset < upTo
                    && message.topic == span.partition.topic ? count + 1 : count
            }
        }
        return repeated
    }

    /// The poll loop of ``pollHolding(maxMessages:timeoutMilliseconds:lingerMilliseconds:)``: keeps each polled
    /// message in `context.held`, or destroys it when it is an error or a partition's end.
    private func pollLoop(maxMessages: Int, timeoutMilliseconds: Int32, lingerMilliseconds: Int32?) {
        let context = self.context
        var deadline = NIODeadline.now() + .milliseconds(Int64(timeoutMilliseconds))
        var remaining = timeoutMilliseconds
        var sinceClockRead = 0
        var lingering = false
        while context.held.count < maxMessages {
            guard let message = rd_kafka_consumer_poll(self.handle, remaining) else {
                // A commit is waiting behind this poll: hand it the thread now.
                if self.wakeRequested.exchange(false, ordering: .acquiringAndReleasing) { break }
                remaining = Self.millisecondsLeft(until: deadline)
                if remaining <= 0 { break }
                continue
            }
            if let borrowed = self.accept(message) {
                context.held.append(borrowed)
            } else {
                rd_kafka_message_destroy(message)
            }
            if let lingerMilliseconds, !lingering, !context.held.isEmpty {
                // The first record is in: close the batch `linger` from now unless it fills sooner.
                lingering = true
                let lingerDeadline = NIODeadline.now() + .milliseconds(Int64(lingerMilliseconds))
                if lingerDeadline < deadline { deadline = lingerDeadline }
                remaining = Self.millisecondsLeft(until: deadline)
                sinceClockRead = 0
                continue
            }
            // Reading the clock for every message is measurable; a few stale milliseconds are not.
            sinceClockRead += 1
            if sinceClockRead < 64 { continue }
            sinceClockRead = 0
            remaining = Self.millisecondsLeft(until: deadline)
            if remaining <= 0 { break }
        }
    }

    private static func millisecondsLeft(until deadline: NIODeadline) -> Int32 {
        let left = deadline - NIODeadline.now()
        return Int32(clamping: max(0, left.nanoseconds / 1_000_000))
    }

    /// Reads one polled message: nil (after reporting it) when it carries an error or a partition's end. Gaps in
    /// offsets are reported as events.
    private func accept(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaBorrowedMessage? {
        let m = message.pointee
        if m.err != RD_KAFKA_RESP_ERR_NO_ERROR {
            if m.err == RD_KAFKA_RESP_ERR__PARTITION_EOF { return nil }
            var text = m.err.text
            if let detail = rd_kafka_message_errstr(message) { text = String(cString: detail) }
            let error = KafkaError(code: .consume, rdKafkaCode: m.err.rawValue, errorName: m.err.name, message: text)
            self.context.report(error)
            return nil
        }
        let topic = self.topicName(m.rkt)
        let partition = KafkaTopicPartition(topic: topic, partition: m.partition)
        if let gap = self.context.detector.observe(partition, offset: m.offset) {
            self.context.events.append(.gap(topic: topic, partition: m.partition, expected: gap.expected, got: gap.got))
            self.context.logger.error(
                "records lost before they were consumed",
                metadata: [
                    "partition": "\(partition)",
                    "expected": "\(gap.expected)",
                    "got": "\(gap.got)",
                    "lost": "\(gap.got - gap.expected)",
                ]
            )
        }
        return KafkaBorrowedMessage(message, topic: topic)
    }

    private func topicName(_ rkt: OpaquePointer?) -> String {
        guard let rkt else { return "" }
        if let name = self.topicNames[rkt] { return name }
        let name = rd_kafka_topic_name(rkt).map { String(cString: $0) } ?? ""
        self.topicNames[rkt] = name
        return name
    }

    /// Commits `offsets`; `async` returns once the request is queued (per-partition results then come to the
    /// offset-commit callback).
    func commitBlocking(_ offsets: [KafkaTopicPartitionOffset], async: Bool = false) throws(KafkaError) {
        if offsets.isEmpty { return }
        let list = RDKafkaTopicPartitionList.make(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let result = rd_kafka_commit(self.handle, list, async ? 1 : 0)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: .commit, rdKafka: result, context: "commit \(offsets)")
        }
        for (item, partitionError) in RDKafkaTopicPartitionList.read(list) where partitionError != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: .commit, rdKafka: partitionError, context: "commit \(item)")
        }
    }

    /// Makes a running (or the next) poll return what it has collected so far, so queued work gets the thread.
    func wakePoll() {
        self.wakeRequested.store(true, ordering: .releasing)
        self.queue.withLock { queue in
            if let queue { rd_kafka_queue_yield(queue) }
        }
    }

    /// Commits the positions polled in the current generation, merged; skips the others.
    func commitBlocking(_ positions: [KafkaCommitPosition], async: Bool) throws(KafkaError) -> KafkaCommitOutcome {
        var outcome = KafkaCommitOutcome(committedMessages: 0, skippedMessages: 0)
        var merged: [KafkaTopicPartition: Int64] = [:]
        for position in positions {
            guard position.generation == self.context.generation else {
                outcome.skippedMessages += position.messageCount
                outcome.skippedRepeatedMessages += position.repeatedMessages
                continue
            }
            outcome.committedMessages += position.messageCount
            outcome.repeatedMessages += position.repeatedMessages
            for item in position.offsets {
                merged[item.topicPartition] = max(merged[item.topicPartition] ?? Int64.min, item.offset)
            }
        }
        if merged.isEmpty { return outcome }
        self.context.pendingCommits.append((offsets: merged, messages: outcome.committedMessages))
        try self.commitBlocking(Self.sortedOffsets(merged), async: async)
        if !async { self.context.confirm(Self.sortedOffsets(merged)) }
        for (partition, offset) in merged {
            self.context.unflushed[partition] = async ? offset : nil
            self.context.committedUpTo[partition] = max(self.context.committedUpTo[partition] ?? Int64.min, offset)
        }
        return outcome
    }

    /// Commits the offsets last committed asynchronously again, synchronously: afterwards they are stored.
    func flushCommitsBlocking() throws(KafkaError) {
        if self.context.unflushed.isEmpty { return }
        try self.commitBlocking(Self.sortedOffsets(self.context.unflushed))
        self.context.confirm(Self.sortedOffsets(self.context.unflushed))
        self.context.unflushed.removeAll()
    }

    private static func sortedOffsets(_ offsets: [KafkaTopicPartition: Int64]) -> [KafkaTopicPartitionOffset] {
        offsets.sorted { $0.key < $1.key }.map {
            KafkaTopicPartitionOffset(topic: $0.key.topic, partition: $0.key.partition, offset: $0.value)
        }
    }

    func assignmentBlocking() throws(KafkaError) -> [KafkaTopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let result = rd_kafka_assignment(self.handle, &list)
        defer { if let list { rd_kafka_topic_partition_list_destroy(list) } }
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: .consume, rdKafka: result, context: "assignment")
        }
        return RDKafkaTopicPartitionList.read(list).map { $0.0.topicPartition }.sorted()
    }

    /// Pauses (or resumes) fetching from every assigned partition. librdkafka drops what it had fetched ahead for
    /// them and, on resume, fetches again from the last message handed to the application.
    /// - Returns: the partitions paused or resumed.
    func setAssignmentPausedBlocking(_ paused: Bool) throws(KafkaError) -> [KafkaTopicPartition] {
        self.context.assignmentPaused = paused
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let result = rd_kafka_assignment(self.handle, &list)
        defer { if let list { rd_kafka_topic_partition_list_destroy(list) } }
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: .consume, rdKafka: result, context: "assignment")
        }
        guard let list, list.pointee.cnt > 0 else { return [] }
        let change = paused ? rd_kafka_pause_partitions(self.handle, list) : rd_kafka_resume_partitions(self.handle, list)
        if change != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: .consume, rdKafka: change, context: paused ? "pause" : "resume")
        }
        return RDKafkaTopicPartitionList.read(list).map { $0.0.topicPartition }.sorted()
    }

    func committedBlocking(_ partitions: [KafkaTopicPartition], timeoutMilliseconds: Int32) throws(KafkaError)
        -> [KafkaTopicPartition: Int64]
    {
        if partitions.isEmpty { return [:] }
        let list = RDKafkaTopicPartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let result = rd_kafka_committed(self.handle, list, timeoutMilliseconds)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: .consume, rdKafka: result, context: "committed offsets")
        }
        var committed: [KafkaTopicPartition: Int64] = [:]
        for (item, _) in RDKafkaTopicPartitionList.read(list) {
            committed[item.topicPartition] = item.offset
        }
        return committed
    }

    func watermarksBlocking(_ partition: KafkaTopicPartition, timeoutMilliseconds: Int32) throws(KafkaError)
        -> (low: Int64, high: Int64)
    {
        var low: Int64 = -1
        var high: Int64 = -1
        let result = rd_kafka_query_watermark_offsets(
            self.handle, partition.topic, partition.partition, &low, &high, timeoutMilliseconds)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: .consume, rdKafka: result, context: "watermarks of \(partition)")
        }
        return (low, high)
    }

    /// Leaves the group (revocation runs the rebalance callback here) and destroys the handle.
    func closeBlocking() {
        do {
            try self.flushCommitsBlocking()
        } catch {
            self.context.logger.warning("last commit before close failed; the next owner reads those records again",
                                        metadata: ["error": "\(error)"])
        }
        self.queue.withLock { queue in
            if let handle = queue { rd_kafka_queue_destroy(handle) }
            queue = nil
        }
        let result = rd_kafka_consumer_close(self.handle)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            self.context.logger.warning("consumer close", metadata: ["error": "\(result.name)"])
        }
        rd_kafka_destroy(self.handle)
        self.uncommittedAtClose.store(self.context.unconfirmedMessages, ordering: .releasing)
        self.closed = true
    }

    /// Whether the client was closed and destroyed (read once no call runs: tests).
    var isDestroyed: Bool { self.closed }

    func shutdownThread() async {
        try? await self.thread.shutdownGracefully()
    }

    /// For a consumer dropped without `close()`: leaves the group and destroys the handle on the calling thread
    /// (nothing else can be using it any more), then stops the consumer thread.
    func closeFromDeinit() {
        if !self.closed {
            self.closeBlocking()
        }
        try? self.thread.syncShutdownGracefully()
    }
}
