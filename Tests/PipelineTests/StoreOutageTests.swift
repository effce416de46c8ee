import Foundation
import Kafka
import Pipeline
import Stores
import Synchronization
import TestWaiting
import Testing
import UsersContract

/// A store that fails on cue: transiently (an outage) or for good (a bad schema), then works again.
final class FlakyStore: UserStore {
    struct Outage: Error, CustomStringConvertible {
        var description: String { "the store is down (injected)" }
    }
    struct BadSchema: Error, CustomStringConvertible {
        var description: String { "no such column: user_id (injected)" }
    }
    enum Mode: Sendable {
        case working
        case down
        case broken
    }

    let inner: any UserStore
    private let mode = Mutex(Mode.working)
    /// Writes refused.
    let refused = Atomic<Int>(0)

    init(_ inner: any UserStore) {
        self.inner = inner
    }

    func set(_ mode: Mode) { self.mode.withLock { $0 = mode } }

    func upsert(_ rows: [UserRow]) async throws {
        switch mode.withLock({ $0 }) {
        case .working: try await inner.upsert(rows)
        case .down:
            refused.add(1, ordering: .relaxed)
            throw Outage()
        case .broken:
            refused.add(1, ordering: .relaxed)
            throw BadSchema()
        }
    }

    func isTransient(_ error: any Error) -> Bool { error is Outage || inner.isTransient(error) }
    func prepare() async throws { try await inner.prepare() }
    func get(userID: String) async throws -> UserRow? { try await inner.get(userID: userID) }
    func latest(_ limit: Int) async throws -> [UserRow] { try await inner.latest(limit) }
    func page(after: String?, limit: Int) async throws -> [UserRow] { try await inner.page(after: after, limit: limit) }
    func count() async throws -> Int { try await inner.count() }
    func delete(userID: String) async throws -> Bool { try await inner.delete(userID: userID) }
    func close() async throws {}
}

@Suite("A failing store pauses the processor, which resumes without loss", .serialized)
struct StoreOutageTests {
    /// Runs a processor over `store` in group `group`, configured by `configure`.
    private func processor(
        _ harness: PipelineHarness, store: FlakyStore, group: String, counters: PipelineCounters,
        producer: KafkaProducer, consumer: KafkaConsumer? = nil,
        configure: (inout StreamProcessor.Configuration) -> Void
    ) throws -> ProcessorRun {
        var configuration = StreamProcessor.Configuration()
        configuration.batchSize = 500
        configuration.batchInterval = .milliseconds(100)
        configuration.maxPendingRecords = 1000
        configuration.outageCheckInterval = .milliseconds(200)
        configuration.storeRetryBackoff.cap = .milliseconds(500)
        configure(&configuration)
        let consumer = try consumer ?? harness.consumer(group: group)
        return ProcessorRun(
            consumer: consumer,
            processor: StreamProcessor(
                consumer: consumer, producer: producer, store: store, configuration: configuration, counters: counters))
    }

    @Test("an outage stops consumption, retries with backoff, and resumes: every record once, none skipped")
    func outageThenRecovery() async throws {
        let harness = try await PipelineHarness()
        let producer = try harness.producer()
        try await harness.ingest(count: 3000, seed: "outage", producer: producer)
        let store = FlakyStore(harness.store)
        store.set(.down)
        let counters = PipelineCounters()
        let run = try processor(harness, store: store, group: "g-outage", counters: counters, producer: producer) {
            $0.maxMessages = 3000
        }
        let running = Task { try await run.run() }
        #expect(await eventually(within: .seconds(30)) { counters.storeRetries.load(ordering: .relaxed) >= 3 })
        #expect(counters.storeOutage != nil)
        #expect(counters.handled.load(ordering: .relaxed) == 0)  // nothing committed past an unwritten record
        store.set(.working)
        try await running.value
        #expect(counters.storeOutage == nil)
        #expect(counters.handled.load(ordering: .relaxed) == 3000)
        #expect(try await harness.store.count() == 3000)
        try await producer.close()
        await harness.shutdown()
    }

    @Test("an outage longer than max.poll.interval.ms keeps the group membership: partitions paused, polls go on")
    func longOutageKeepsMembership() async throws {
        let harness = try await PipelineHarness()
        let producer = try harness.producer()
        // More than the writer, its queue and the reader's hand hold: the reader must wait while records remain.
        try await harness.ingest(count: 5000, seed: "long-outage", producer: producer)
        var consumerConfiguration = KafkaConsumerConfiguration(
            common: KafkaConfiguration(brokers: harness.broker.bootstrapServers), groupID: "g-long")
        consumerConfiguration.sessionTimeoutMilliseconds = 6000
        consumerConfiguration.heartbeatIntervalMilliseconds = 500
        consumerConfiguration.maxPollIntervalMilliseconds = 7000
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, topics: [harness.topic])
        let store = FlakyStore(harness.store)
        store.set(.down)
        let counters = PipelineCounters()
        let run = try processor(
            harness, store: store, group: "g-long", counters: counters, producer: producer, consumer: consumer
        ) {
            $0.maxMessages = 5000
            $0.maxRowsPerWrite = 500
        }
        let running = Task { try await run.run() }
        #expect(await eventually(within: .seconds(30)) { counters.storeRetries.load(ordering: .relaxed) > 0 })
        // Longer than max.poll.interval.ms (7 s): a reader blocked on the full queue would be dropped by the group.
        #expect(await eventually(within: .seconds(30), checkingEvery: .milliseconds(100)) {
            (counters.storeOutage ?? .zero) >= .seconds(10)
        })
        #expect(counters.revocations.load(ordering: .relaxed) == 0)
        store.set(.working)
        try await running.value
        #expect(counters.revocations.load(ordering: .relaxed) == 0)
        #expect(counters.handled.load(ordering: .relaxed) == 5000)
        #expect(try await harness.store.count() == 5000)
        try await producer.close()
        await harness.shutdown()
    }

    @Test("partitions lost during an outage (the group dropped the member) are read again once it rejoins: every record once")
    func partitionsLostDuringOutage() async throws {
        let harness = try await PipelineHarness()
        let producer = try harness.producer()
        try await harness.ingest(count: 5000, seed: "lost-in-outage", producer: producer)
        let store = FlakyStore(harness.store)
        store.set(.down)
        let counters = PipelineCounters()
        let run = try processor(harness, store: store, group: "g-lost", counters: counters, producer: producer) {
            $0.maxMessages = 5000
            $0.maxRowsPerWrite = 500
        }
        let running = Task { try await run.run() }
        #expect(await eventually(within: .seconds(60)) { counters.storeRetries.load(ordering: .relaxed) > 2 })
        // What a loaded machine does to a member that misses max.poll.interval.ms, or a coordinator that restarted:
        // the group no longer knows the member, whose partitions are lost while the store is still down.
        harness.broker.failRequests(.heartbeat, with: [25, 25, 25])
        #expect(await eventually(within: .seconds(60)) { counters.revocations.load(ordering: .relaxed) > 0 })
        store.set(.working)
        try await withDeadline(.seconds(120)) { try await running.value }
        #expect(counters.handled.load(ordering: .relaxed) == 5000)
        #expect(try await harness.store.count() == 5000)
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: harness.broker.bootstrapServers))
        defer { admin.close() }
        #expect(try await admin.totalLag(group: "g-lost", topics: [harness.topic]) == 0)
        try await producer.close()
        await harness.shutdown()
    }

    @Test("a write the store refuses for good stops the processor at once, with nothing committed")
    func permanentFailure() async throws {
        let harness = try await PipelineHarness()
        let producer = try harness.producer()
        try await harness.ingest(count: 500, seed: "broken", producer: producer)
        let store = FlakyStore(harness.store)
        store.set(.broken)
        let counters = PipelineCounters()
        let run = try processor(harness, store: store, group: "g-broken", counters: counters, producer: producer) {
            $0.maxMessages = 500
        }
        let started = ContinuousClock.now
        await #expect {
            try await run.run()
        } throws: { error in
            (error as? StoreUnavailable)?.reason == .permanent && "\(error)".contains("no such column")
        }
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(counters.storeRetries.load(ordering: .relaxed) == 0)
        #expect(counters.handled.load(ordering: .relaxed) == 0)
        try await producer.close()
        await harness.shutdown()
    }

    @Test("an outage longer than the allowed wait stops the processor with an error; what was written stays committed")
    func boundedWait() async throws {
        let harness = try await PipelineHarness()
        let producer = try harness.producer()
        try await harness.ingest(count: 1000, seed: "bounded", producer: producer)
        let store = FlakyStore(harness.store)
        store.set(.down)
        let counters = PipelineCounters()
        let run = try processor(harness, store: store, group: "g-bounded", counters: counters, producer: producer) {
            $0.maxMessages = 1000
            $0.maxStoreOutage = .seconds(2)
        }
        await #expect {
            try await run.run()
        } throws: { error in
            if case .tooLong = (error as? StoreUnavailable)?.reason { return true }
            return false
        }
        #expect(counters.storeRetries.load(ordering: .relaxed) > 0)
        #expect(counters.handled.load(ordering: .relaxed) == 0)
        #expect(try await harness.store.count() == 0)
        try await producer.close()
        await harness.shutdown()
    }
}
