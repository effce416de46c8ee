import CRdKafka
import Logging
import NIOConcurrencyHelpers
import NIOPosix

/// The book-keeping of one `enqueue` call: one retained object per batch, one small slot per message.
///
/// Each message's librdkafka opaque points at its slot (`index` + the batch), so a delivery report finds its
/// batch without any per-message allocation or continuation. Waiters resume when the last report arrives. The batch keeps the messages' topics, not the messages: librdkafka has its
/// own copy of each once it is enqueued, so the caller's can be freed before the acknowledgements arrive.
final class RDKafkaDeliveryBatch: @unchecked Sendable {
    struct Slot {
        var batch: Unmanaged<RDKafkaDeliveryBatch>
        var index: Int
    }

    /// The topic of every message: one name when they share it (the common case), else one per message.
    private enum Topics {
        case one(String)
        case each([String])

        subscript(index: Int) -> String {
            switch self {
            case .one(let topic): topic
            case .each(let topics): topics[index]
            }
        }
    }

    let count: Int
    private let topics: Topics
    let slots: UnsafeMutablePointer<Slot>
    private let lock = NIOLock()
    // Guarded by `lock`.
    private var partitions: [Int32]
    private var offsets: [Int64]
    private var failures: [KafkaError.MessageFailure] = []
    /// Messages without a report (or refusal) yet; the waiters resume when it reaches zero.
    private var messagesLeft: Int
    /// Waiters by id, so that a cancelled one can be taken out and resumed early.
    private var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    private var nextWaiter: UInt64 = 0
    /// The batch's reference to itself while messages are in flight: each message's librdkafka opaque points into
    /// `slots`, so the batch must outlive its last report even when no one keeps the receipt.
    private var inFlight: Unmanaged<RDKafkaDeliveryBatch>?

    init(messages: [KafkaOutgoingMessage]) {
        self.count = messages.count
        let first = messages.first?.topic ?? ""
        self.topics = messages.allSatisfy { $0.topic == first } ? .one(first) : .each(messages.map(\.topic))
        self.partitions = Array(repeating: -1, count: messages.count)
        self.offsets = Array(repeating: -1, count: messages.count)
        self.messagesLeft = messages.count
        self.slots = .allocate(capacity: max(messages.count, 1))
        let unmanaged = Unmanaged.passUnretained(self)
        for index in messages.indices {
            (self.slots + index).initialize(to: Slot(batch: unmanaged, index: index))
        }
    }

    deinit {
        self.slots.deinitialize(count: self.count)
        self.slots.deallocate()
    }

    /// Keeps the batch alive until every message has its report or refusal; call it before enqueueing any.
    func retainWhileInFlight() {
        self.lock.withLock {
            if self.messagesLeft > 0 && self.inFlight == nil { self.inFlight = Unmanaged.passRetained(self) }
        }
    }

    /// Counts one message's report or refusal. When it was the last: the waiters to resume, and the self-reference
    /// to release (by the caller, after it is done with `self`).
    private func settle() -> (waiters: [CheckedContinuation<Void, Never>], inFlight: Unmanaged<RDKafkaDeliveryBatch>?) {
        self.messagesLeft -= 1
        guard self.messagesLeft == 0 else { return ([], nil) }
        defer {
            self.waiters = [:]
            self.inFlight = nil
        }
        return (Array(self.waiters.values), self.inFlight)
    }

    /// Resumes the waiters, then releases the self-reference: last, as it may free the batch (the caller still holds
    /// `self` for its call).
    private static func finish(_ settled: (waiters: [CheckedContinuation<Void, Never>], inFlight: Unmanaged<RDKafkaDeliveryBatch>?)) {
        settled.waiters.forEach { $0.resume() }
        settled.inFlight?.release()
    }

    /// Records a delivery report (from librdkafka's poll thread).
    func delivered(
        index: Int, partition: Int32, offset: Int64, error: rd_kafka_resp_err_t,
        persistence: KafkaError.Persistence = .notPersisted
    ) {
        let settled = self.lock.withLock {
            if error == RD_KAFKA_RESP_ERR_NO_ERROR {
                self.partitions[index] = partition
                self.offsets[index] = offset
            } else {
                self.failures.append(
                    KafkaError.MessageFailure(
                        index: index,
                        topic: self.topics[index],
                        rdKafkaCode: error.rawValue,
                        errorName: error.name,
                        message: error.text,
                        persistence: persistence
                    )
                )
            }
            return self.settle()
        }
        Self.finish(settled)
    }

    /// Records a message that librdkafka refused to enqueue (it will get no report).
    func refused(index: Int, error: KafkaError) {
        let settled = self.lock.withLock {
            self.failures.append(
                KafkaError.MessageFailure(
                    index: index,
                    topic: self.topics[index],
                    rdKafkaCode: error.rdKafkaCode ?? -1,
                    errorName: error.errorName,
                    message: error.message
                )
            )
            return self.settle()
        }
        Self.finish(settled)
    }

    /// Waits for every report (at once when there is none left). Any number of calls may wait. A cancelled wait
    /// returns early (the messages stay in flight); ``isSettled`` tells which happened.
    func waitForReports() async {
        let id = self.lock.withLock {
            defer { self.nextWaiter += 1 }
            return self.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let done = self.lock.withLock {
                    if self.messagesLeft == 0 || Task.isCancelled { return true }
                    self.waiters[id] = continuation
                    return false
                }
                if done { continuation.resume() }
            }
        } onCancel: {
            let waiter = self.lock.withLock { self.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }

    /// Whether every message has its report or refusal.
    var isSettled: Bool { self.lock.withLock { self.messagesLeft == 0 } }

    /// The reports, or the delivery error naming every failed message.
    func result() throws(KafkaError) -> [KafkaDeliveryReport] {
        let (partitions, offsets, failures) = self.lock.withLock { (self.partitions, self.offsets, self.failures) }
        if !failures.isEmpty {
            let sorted = failures.sorted { $0.index < $1.index }
            let possibly = sorted.filter { $0.persistence == .possiblyPersisted }.count
            var message = "\(sorted.count) of \(self.count) messages were not acknowledged"
            if possibly == 0 {
                message += " (none reached the topic: sending them again writes each once)"
            } else {
                message += ": \(sorted.count - possibly) not persisted, \(possibly) possibly persisted (sent, but no "
                    + "answer came before the timeout: they may be in the topic, and sending them again may write them "
                    + "twice; the store's upsert keeps one row per user)"
            }
            throw KafkaError(
                code: .delivery,
                rdKafkaCode: sorted[0].rdKafkaCode,
                errorName: sorted[0].errorName,
                message: message,
                failures: sorted
            )
        }
        var reports: [KafkaDeliveryReport] = []
        reports.reserveCapacity(self.count)
        for index in 0..<self.count {
            reports.append(
                KafkaDeliveryReport(topic: self.topics[index], partition: partitions[index], offset: offsets[index])
            )
        }
        return reports
    }
}

/// The producer's librdkafka side: the handle, the topic-handle cache and the delivery-report poll thread.
final class RDKafkaProducerCore: @unchecked Sendable {
    private let context: RDKafkaCallbackContext
    private let handle: OpaquePointer
    private let topics = NIOLockedValueBox<[String: OpaquePointer]>([:])
    private let running = NIOLockedValueBox(true)
    private let pollThread = NIOThreadPool(numberOfThreads: 1)
    private let pollFinished = NIOLockedValueBox<Bool>(false)

    init(configuration: KafkaProducerConfiguration, logger: Logger) throws(KafkaError) {
        self.context = RDKafkaCallbackContext(logger: logger)
        self.handle = try RDKafkaHandle.make(
            type: RD_KAFKA_PRODUCER,
            properties: configuration.properties,
            context: self.context
        ) { conf in
            rd_kafka_conf_set_stats_cb(conf) { rk, json, length, _ in
                guard let rk, let json, let opaque = rd_kafka_opaque(rk) else { return 0 }
                let context = Unmanaged<RDKafkaCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
                let text = String(decoding: UnsafeRawBufferPointer(start: json, count: length), as: UTF8.self)
                context.brokers.observe(statistics: text, logger: context.logger)
                return 0  // librdkafka frees the document
            }
            rd_kafka_conf_set_dr_msg_cb(conf) { _, message, _ in
                guard let message, let opaque = message.pointee._private else { return }
                let slot = opaque.assumingMemoryBound(to: RDKafkaDeliveryBatch.Slot.self).pointee
                slot.batch.takeUnretainedValue().delivered(
                    index: slot.index,
                    partition: message.pointee.partition,
                    offset: message.pointee.offset,
                    error: message.pointee.err,
                    persistence: rd_kafka_message_status(message) == RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED
                        ? .possiblyPersisted : .notPersisted
                )
            }
        }
        self.startPollThread()
    }

    private func startPollThread() {
        let handle = self.handle
        self.pollThread.start()
        let running = self.running
        let finished = self.pollFinished
        nonisolated(unsafe) let rk = handle
        self.pollThread.submit { _ in
            while running.withLockedValue({ $0 }) {
                rd_kafka_poll(rk, 100)
            }
            finished.withLockedValue { $0 = true }
        }
    }

    /// The cached topic handle for `name` (created once; destroyed at `destroy`).
    private func topicHandle(_ name: String) throws(KafkaError) -> OpaquePointer {
        let handle = self.handle
        if let cached = self.topics.withLockedValue({ $0[name] }) { return cached }
        let result: OpaquePointer? = self.topics.withLockedValue { topics in
            if let cached = topics[name] { return cached }
            guard let created = rd_kafka_topic_new(handle, name, nil) else { return nil }
            topics[name] = created
            return created
        }
        guard let result else {
            throw KafkaError(code: .produce, rdKafka: rd_kafka_last_error(), context: "topic \(name)")
        }
        return result
    }

    /// Reusable per-`enqueue` buffers, so enqueueing allocates nothing per message.
    struct Scratch {
        var bytes: [UInt8] = []
        var headers: [(name: Int, value: Int, size: Int)] = []
        /// The last topic's handle, to skip the shared cache's lock for runs of one topic.
        var lastTopic: (name: String, handle: OpaquePointer)?
    }

    /// Enqueues `message` as message `index` of `batch`. Returns false when librdkafka's queue is full (nothing
    /// enqueued).
    func enqueue(
        _ message: KafkaOutgoingMessage, into batch: RDKafkaDeliveryBatch, index: Int, scratch: inout Scratch
    ) -> Bool {
        let handle = self.handle
        let topic: OpaquePointer
        if let last = scratch.lastTopic, last.name == message.topic {
            topic = last.handle
        } else {
            do {
                topic = try self.topicHandle(message.topic)
                scratch.lastTopic = (message.topic, topic)
            } catch {
                batch.refused(index: index, error: error)
                return true
            }
        }
        // Header names and values go into one scratch buffer (librdkafka copies them).
        scratch.bytes.removeAll(keepingCapacity: true)
        scratch.headers.removeAll(keepingCapacity: true)
        for header in message.headers {
            let nameStart = scratch.bytes.count
            scratch.bytes.append(contentsOf: header.name.utf8)
            scratch.bytes.append(0)
            let valueStart = scratch.bytes.count
            if let value = header.value {
                scratch.bytes.append(contentsOf: value)
                scratch.headers.append((nameStart, valueStart, value.count))
            } else {
                scratch.headers.append((nameStart, valueStart, -1))
            }
        }
        let headerOffsets = scratch.headers
        let opaque = UnsafeMutableRawPointer(batch.slots + index)
        let count = 5 + (message.key == nil ? 0 : 1) + message.headers.count
        let error: OpaquePointer? = message.value.withUnsafeBytes { value in
            scratch.bytes.withUnsafeBytes { scratchBytes in
                withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: count) { vus in
                    var n = 0
                    func add(_ vtype: rd_kafka_vtype_t, _ fill: (inout rd_kafka_vu_t) -> Void) {
                        var vu = rd_kafka_vu_t()
                        vu.vtype = vtype
                        fill(&vu)
                        (vus.baseAddress! + n).initialize(to: vu)
                        n += 1
                    }
                    add(RD_KAFKA_VTYPE_RKT) { $0.u.rkt = topic }
                    add(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = message.partition ?? -1 }
                    add(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY }
                    add(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = opaque }
                    add(RD_KAFKA_VTYPE_VALUE) {
                        $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress)
                        $0.u.mem.size = value.count
                    }
                    let base = scratchBytes.baseAddress
                    for header in headerOffsets {
                        add(RD_KAFKA_VTYPE_HEADER) {
                            $0.u.header.name = base.map { ($0 + header.name).assumingMemoryBound(to: CChar.self) }
                            $0.u.header.val = header.size < 0 ? nil : base.map { UnsafeRawPointer($0 + header.value) }
                            $0.u.header.size = header.size
                        }
                    }
                    let produce = { () -> OpaquePointer? in
                        rd_kafka_produceva(handle, vus.baseAddress, n)
                    }
                    if let key = message.key {
                        return key.withUnsafeBytes { keyBytes in
                            add(RD_KAFKA_VTYPE_KEY) {
                                $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: keyBytes.baseAddress)
                                $0.u.mem.size = keyBytes.count
                            }
                            return produce()
                        }
                    }
                    return produce()
                }
            }
        }
        guard let error else { return true }
        if rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__QUEUE_FULL {
            rd_kafka_error_destroy(error)
            return false
        }
        batch.refused(index: index, error: KafkaError(code: .produce, consuming: error, context: "enqueue"))
        return true
    }

    /// Blocks until every queued message has a report, or the timeout passes. Returns what is left.
    func flushBlocking(timeoutMilliseconds: Int32) -> Int32 {
        let handle = self.handle
        _ = rd_kafka_flush(handle, timeoutMilliseconds)
        return rd_kafka_outq_len(handle)
    }

    /// Fails what is still queued (their senders get `_PURGE_QUEUE` reports), stops the poll thread and
    /// destroys the handle. Blocking; call once, after the last `enqueue`.
    func destroyBlocking() {
        let handle = self.handle
        _ = rd_kafka_purge(handle, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)
        // Serve the purge reports before the poll thread stops.
        _ = rd_kafka_flush(handle, 1_000)
        self.running.withLockedValue { $0 = false }
        while !self.pollFinished.withLockedValue({ $0 }) {
            rd_kafka_poll(handle, 10)
        }
        try? self.pollThread.syncShutdownGracefully()
        for topic in self.topics.withLockedValue({ $0.values }) {
            rd_kafka_topic_destroy(topic)
        }
        self.topics.withLockedValue { $0.removeAll() }
        rd_kafka_destroy(handle)
        self.destroyed.withLockedValue { $0 = true }
    }

    /// Whether ``destroyBlocking()`` ran to its end.
    let destroyed = NIOLockedValueBox(false)

    /// Messages waiting in librdkafka (queued or in flight).
    var outstandingCount: Int {
        return Int(rd_kafka_outq_len(handle))
    }
}
