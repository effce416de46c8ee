import ServiceLifecycle
import Logging
import NIOConcurrencyHelpers
import NIOPosix

/// Produces messages to Kafka and reports when the brokers have acknowledged them.
///
/// Settings: `acks=all`, `enable.idempotence=true`, `compression.type=lz4` and the Java-compatible
/// `murmur2_random` partitioner (see ``KafkaProducerConfiguration``).
///
/// Delivery reports are served by a dedicated thread that loops on `rd_kafka_poll`; nothing blocks Swift's
/// cooperative pool. Each `send` call keeps one book-keeping object for the whole batch, not one continuation per
/// message.
///
/// ```swift
/// let producer = try KafkaProducer(configuration: .init(common: .init(brokers: broker.bootstrapServers)))
/// let reports = try await producer.send([KafkaOutgoingMessage(topic: "random_users", key: key, value: json)])
/// try await producer.close()
/// ```
public final class KafkaProducer: Sendable {
    private let core: RDKafkaProducerCore
    private let state = NIOLockedValueBox(State())
    private let logger: Logger

    private struct State {
        var closed = false
        var activeSends = 0
    }

    /// Creates a producer and starts its delivery-report thread. It connects to the brokers lazily.
    /// - Parameters:
    ///   - configuration: the producer settings.
    ///   - logger: where the producer and librdkafka log.
    /// - Throws: ``KafkaError`` with code `.configuration` or `.clientCreation`.
    public init(configuration: KafkaProducerConfiguration, logger: Logger = Logger(label: "kafka.producer")) throws {
        self.logger = logger
        self.core = try RDKafkaProducerCore(configuration: configuration, logger: logger)
    }

    /// Sends messages and returns when every one of them was acknowledged by the brokers, or failed.
    ///
    /// All messages are enqueued in order; when librdkafka's local queue is full the call waits for room and
    /// retries (it never drops a message). Messages are "produced" only when the broker acknowledged them.
    /// Cancelling the task ends the wait for room (see ``enqueue(_:)``) and the wait for acknowledgements (see
    /// ``KafkaDeliveryReceipt/reports()``). `try await enqueue(messages).reports()` does the same in two steps.
    ///
    /// - Parameter messages: the messages.
    /// - Returns: one report per message, in the same order, with its partition and offset.
    /// - Throws: ``KafkaError`` `.delivery` listing every failed message (by index) when any failed
    ///   (the others were delivered), `.closed` after ``close()``, or `CancellationError` when the task was cancelled
    ///   before every message had its report.
    @discardableResult
    public func send(_ messages: [KafkaOutgoingMessage]) async throws -> [KafkaDeliveryReport] {
        try await self.enqueue(messages).reports()
    }

    /// Hands messages to librdkafka, in order, and returns once all of them are enqueued, before the brokers
    /// acknowledge them; ``KafkaDeliveryReceipt/reports()`` awaits the acknowledgements.
    ///
    /// librdkafka copies each message, and the receipt keeps none of them: the caller's copies can be freed while
    /// the messages are in flight. When librdkafka's local queue is full the call waits for room and retries.
    ///
    /// The wait for room ends when the task is cancelled (with the brokers down it could otherwise last up to
    /// `message.timeout.ms`, holding up shutdown): the call then throws `CancellationError`. The messages enqueued
    /// before it stay with librdkafka (delivered, or failed when the producer closes); the others are not sent. A
    /// cancelled task whose messages all fit is not interrupted.
    ///
    /// - Parameter messages: the messages.
    /// - Returns: the receipt for their delivery reports.
    /// - Throws: ``KafkaError`` `.closed` after ``close()``, or `CancellationError` when the task was cancelled while
    ///   waiting for room.
    public func enqueue(_ messages: [KafkaOutgoingMessage]) async throws -> KafkaDeliveryReceipt {
        let batch = RDKafkaDeliveryBatch(messages: messages)
        if messages.isEmpty { return KafkaDeliveryReceipt(batch: batch) }
        try self.beginSend()
        defer { self.state.withLockedValue { $0.activeSends -= 1 } }
        // The receipt may be dropped before the reports arrive: the batch keeps itself until the last one.
        batch.retainWhileInFlight()
        var scratch = RDKafkaProducerCore.Scratch()
        var index = 0
        while index < messages.count {
            if self.core.enqueue(messages[index], into: batch, index: index, scratch: &scratch) {
                index += 1
            } else {
                // librdkafka's queue is full: let the poll thread drain some deliveries, then retry.
                do {
                    try await Task.sleep(for: .milliseconds(1))
                } catch {
                    // Cancelled: the messages not enqueued settle as refused, so the batch is freed once the
                    // enqueued ones have their reports.
                    let cancelled = KafkaError(code: .produce, message: "not enqueued: the task was cancelled")
                    for unsent in index..<messages.count {
                        batch.refused(index: unsent, error: cancelled)
                    }
                    throw CancellationError()
                }
            }
        }
        return KafkaDeliveryReceipt(batch: batch)
    }

    /// Sends one message and returns when the brokers acknowledged it.
    /// - Parameter message: the message.
    /// - Returns: its partition and offset.
    /// - Throws: ``KafkaError`` `.delivery` when it failed, `.closed` after ``close()``.
    @discardableResult
    public func send(_ message: KafkaOutgoingMessage) async throws -> KafkaDeliveryReport {
        let reports = try await self.send([message])
        guard let report = reports.first else {
            throw KafkaError(code: .delivery, message: "no delivery report")
        }
        return report
    }

    /// Waits until every enqueued message has a delivery report.
    /// - Parameter timeout: how long to wait at most.
    /// - Throws: ``KafkaError`` `.timedOut` with the number of messages still outstanding.
    public func flush(timeout: Duration) async throws {
        let milliseconds = timeout.clampedMilliseconds
        let core = self.core
        let left = try await NIOThreadPool.singleton.runIfActive {
            core.flushBlocking(timeoutMilliseconds: milliseconds)
        }
        if left > 0 {
            throw KafkaError(code: .timedOut, message: "\(left) messages still outstanding after \(timeout)")
        }
    }

    /// Whether librdkafka's client is destroyed: ``close(timeout:)`` ran to its end.
    var isDestroyed: Bool { self.core.destroyed.withLockedValue { $0 } }

    /// Flushes, then destroys the client. Messages still undelivered after `timeout` fail with `_PURGE_QUEUE`.
    ///
    /// Call it once no `send` is running; later sends throw `.closed`.
    /// - Parameter timeout: how long to wait for outstanding deliveries. Default: 30 s.
    /// - Throws: ``KafkaError`` `.timedOut` when messages were still outstanding (they were failed and the
    ///   producer is closed anyway).
    public func close(timeout: Duration = .seconds(30)) async throws {
        let alreadyClosed = self.state.withLockedValue { state -> Bool in
            defer { state.closed = true }
            return state.closed
        }
        if alreadyClosed { return }
        var flushError: (any Error)?
        do {
            try await self.flush(timeout: timeout)
        } catch {
            flushError = error
            self.logger.error("closing the producer with undelivered messages", metadata: ["error": "\(error)"])
        }
        let core = self.core
        // Destroying runs to its end even when the caller is cancelled: a client left half-destroyed would call
        // back into a freed context.
        try await Task { try await NIOThreadPool.singleton.runIfActive { core.destroyBlocking() } }.value
        if let flushError { throw flushError }
    }

    deinit {
        if !self.state.withLockedValue({ $0.closed }) {
            self.logger.warning("KafkaProducer dropped without close(); undelivered messages are purged")
            self.core.destroyBlocking()
        }
    }

    private func beginSend() throws(KafkaError) {
        let closed = self.state.withLockedValue { state -> Bool in
            if state.closed { return true }
            state.activeSends += 1
            return false
        }
        if closed { throw KafkaError(code: .closed, message: "the producer is closed") }
    }
}

/// The delivery reports to come for one ``KafkaProducer/enqueue(_:)``.
public struct KafkaDeliveryReceipt: Sendable {
    private let batch: RDKafkaDeliveryBatch

    init(batch: RDKafkaDeliveryBatch) {
        self.batch = batch
    }

    /// How many messages the receipt covers.
    public var count: Int { self.batch.count }

    /// Returns when every message was acknowledged by the brokers, or failed. It may be called more than once.
    ///
    /// A cancelled task stops waiting at once (with the brokers down the wait could otherwise last up to
    /// `message.timeout.ms`, holding up shutdown). The messages stay in flight: they are delivered, or failed
    /// when the producer closes; they were not acknowledged to this caller, so it must treat them as not produced.
    /// - Returns: one report per message, in the order enqueued, with its partition and offset.
    /// - Throws: ``KafkaError`` `.delivery` listing every failed message (by index) when any failed;
    ///   `CancellationError` when the task was cancelled before every report arrived.
    public func reports() async throws -> [KafkaDeliveryReport] {
        await self.batch.waitForReports()
        if !self.batch.isSettled { throw CancellationError() }
        return try self.batch.result()
    }
}

extension KafkaProducer: Service {
    /// Runs until the service group shuts down (or is cancelled), then flushes and closes the producer. List it
    /// before the services that produce, so that it closes after them.
    public func run() async throws {
        try? await gracefulShutdown()
        try await close()
        logger.info("producer closed")
    }
}
