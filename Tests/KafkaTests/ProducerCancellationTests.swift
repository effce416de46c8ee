import Kafka
import Synchronization
import TestWaiting
import Testing

@Suite("Producer enqueue and cancellation")
struct ProducerCancellationTests {
    /// The task's result once it finishes, or nil when it is still running at `limit` (the task is left running:
    /// a wait that ignores cancellation must fail the test, not hang it).
    private func result<T: Sendable>(
        of task: Task<T, any Error>,
        within limit: Duration
    ) async throws -> Result<T, any Error>? {
        let finished = Mutex<Result<T, any Error>?>(nil)
        Task {
            let result = await task.result
            finished.withLock { $0 = result }
        }
        _ = await eventually(within: limit) { finished.withLock { $0 != nil } }
        return finished.withLock { $0 }
    }

    @Test("with the broker down and the local queue full, cancelling the task ends enqueue with CancellationError")
    func cancelWhileQueueFull() async throws {
        let broker = try EmbeddedKafkaBroker(
            configuration: .init(topics: [("cancel-queue", 1)]), logger: KafkaTestSupport.logger)
        var configuration = KafkaProducerConfiguration(common: KafkaConfiguration(brokers: broker.bootstrapServers))
        configuration.queueBufferingMaxMessages = 10
        // Without cancellation, enqueue would wait this long for the queued messages to time out.
        configuration.messageTimeoutMilliseconds = 120_000
        let producer = try KafkaProducer(configuration: configuration, logger: KafkaTestSupport.logger)
        // The topic's metadata is known, then the broker goes away: nothing queued can leave.
        try await producer.send(KafkaOutgoingMessage(topic: "cancel-queue", value: [0]))
        broker.shutdown()

        let messages = (0..<100).map { KafkaOutgoingMessage(topic: "cancel-queue", key: [UInt8($0)], value: [1]) }
        let started = Atomic<Bool>(false)
        let task = Task {
            started.store(true, ordering: .releasing)
            return try await producer.enqueue(messages).count
        }
        _ = await eventually(within: .seconds(30), checkingEvery: .milliseconds(5)) { started.load(ordering: .acquiring) }
        let running = started.load(ordering: .acquiring)
        #expect(running)
        task.cancel()

        let outcome = try #require(try await self.result(of: task, within: .seconds(30)), "enqueue ignored cancellation")
        #expect(throws: CancellationError.self) { try outcome.get() }
        // What was enqueued fails when the producer closes; closing does not hang on the messages never enqueued.
        await #expect(throws: KafkaError.self) { try await producer.close(timeout: .milliseconds(200)) }
    }

    @Test("with the broker down, cancelling the task ends the wait for delivery reports with CancellationError")
    func cancelWhileAwaitingReports() async throws {
        let broker = try EmbeddedKafkaBroker(
            configuration: .init(topics: [("cancel-reports", 1)]), logger: KafkaTestSupport.logger)
        var configuration = KafkaProducerConfiguration(common: KafkaConfiguration(brokers: broker.bootstrapServers))
        // Without cancellation, send would wait this long for the reports (the messages fit in the queue).
        configuration.messageTimeoutMilliseconds = 120_000
        let producer = try KafkaProducer(configuration: configuration, logger: KafkaTestSupport.logger)
        try await producer.send(KafkaOutgoingMessage(topic: "cancel-reports", value: [0]))
        broker.shutdown()

        let enqueued = Atomic<Bool>(false)
        let task = Task {
            let receipt = try await producer.enqueue([KafkaOutgoingMessage(topic: "cancel-reports", value: [1])])
            enqueued.store(true, ordering: .releasing)
            return try await receipt.reports().count
        }
        _ = await eventually(within: .seconds(30), checkingEvery: .milliseconds(5)) { enqueued.load(ordering: .acquiring) }
        let wasEnqueued = enqueued.load(ordering: .acquiring)
        #expect(wasEnqueued)
        task.cancel()

        let outcome = try #require(try await self.result(of: task, within: .seconds(30)), "reports() ignored cancellation")
        #expect(throws: CancellationError.self) { try outcome.get() }
        await #expect(throws: KafkaError.self) { try await producer.close(timeout: .milliseconds(200)) }
    }

    @Test("a cancelled task whose messages fit in the queue still enqueues them all, and they are delivered")
    func cancelledTaskWithRoom() async throws {
        try await KafkaTestSupport.withBroker(topics: [("cancel-room", 1)]) { broker in
            let producer = try KafkaTestSupport.producer(broker)
            let messages = (0..<20).map { KafkaOutgoingMessage(topic: "cancel-room", key: [UInt8($0)], value: [2]) }
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await producer.enqueue(messages)
            }
            let receipt = try await task.value
            #expect(receipt.count == 20)
            #expect(try await receipt.reports().count == 20)
            try await producer.close()
        }
    }
}
