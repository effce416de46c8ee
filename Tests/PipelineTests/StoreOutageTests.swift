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
    /// `count` users ingested into the harness's topic, and a processor in `group` set to handle them all, over a
    /// store that starts in `mode`.
    struct Rig {
        let harness: PipelineHarness
        let producer: KafkaProducer
        let store: FlakyStore
        let counters: PipelineCounters
        let run: ProcessorRun

        func close() async throws {
            try await producer.close()
            await harness.shutdown()
        }
    }

    /// Builds a ``Rig``; `consumer` replaces the harness's consumer of `group`, `configure` the processor's settings.
    private func rig(
        count: Int, seed: String, group: String, store mode: FlakyStore.Mode,
        consumer: ((PipelineHarness) throws -> KafkaConsumer)? = nil,
        configure: (inout StreamProcessor.Configuration) -> Void = { _ in }
    ) async throws -> Rig {
        let harness = try await PipelineHarness()
        let producer = try harness.producer()
        try await harness.ingest(count: count, seed: seed, producer: producer)
        let store = FlakyStore(harness.store)
        store.set(mode)
        let counters = PipelineCounters()
        var configuration = StreamProcessor.Configuration()
        configuration.batchSize = 500
        configuration.batchInterval = .milliseconds(100)
        configuration.maxPendingRecords = 1000
        configuration.outageCheckInterval = .milliseconds(200)
        configuration.storeRetryBackoff.cap = .milliseconds(500)
        configuration.maxMessages = count
        configure(&configuration)
        let consumer = try consumer?(harness) ?? harness.consumer(group: group)
        let run = ProcessorRun(
            consumer: consumer,
            processor: StreamProcessor(
                consumer: consumer, producer: producer, store: store, configuration: configuration, counters: counters))
        return Rig(harness: harness, producer: producer, store: store, counters: counters, run: run)
    }

    @Test("an outage stops consumption, retries with backoff, and resumes: every record once, none skipped")
    func outageThenRecovery() async throws {
        let rig = try await rig(count: 3000, seed: "outage", group: "g-outage", store: .down)
        let counters = rig.counters
        let running = Task { try await rig.run.run() }
        #expect(await eventually(within: .seconds(30)) { counters.storeRetries.load(ordering: .relaxed) >= 3 })
        #expect(counters.storeOutage != nil)
        #expect(counters.handled.load(ordering: .relaxed) == 0)  // nothing committed past an unwritten record
        rig.store.set(.working)
        try await running.value
        #expect(counters.storeOutage == nil)
        #expect(counters.handled.load(ordering: .relaxed) == 3000)
        #expect(try await rig.harness.store.count() == 3000)
        try await rig.close()
    }

    @Test("an outage longer than max.poll.interval.ms keeps the group membership: partitions paused, polls go on")
    func longOutageKeepsMembership() async throws {
        // More than the writer, its queue and the reader's hand hold: the reader must wait while records remain.
        let rig = try await rig(
            count: 5000, seed: "long-outage", group: "g-long", store: .down,
            consumer: { harness in
                var configuration = KafkaConsumerConfiguration(
                    common: KafkaConfiguration(brokers: harness.broker.bootstrapServers), groupID: "g-long")
                configuration.sessionTimeoutMilliseconds = 6000
                configuration.heartbeatIntervalMilliseconds = 500
                configuration.maxPollIntervalMilliseconds = 7000
                return try KafkaConsumer(configuration: configuration, topics: [harness.topic])
            },
            configure: { $0.maxRowsPerWrite = 500 })
        let counters = rig.counters
        let running = Task { try await rig.run.run() }
        #expect(await eventually(within: .seconds(30)) { counters.storeRetries.load(ordering: .relaxed) > 0 })
        // Longer than max.poll.interval.ms (7 s): a reader blocked on the full queue would be dropped by the group.
        #expect(await eventually(within: .seconds(30), checkingEvery: .milliseconds(100)) {
            (counters.storeOutage ?? .zero) >= .seconds(10)
        })
        #expect(counters.revocations.load(ordering: .relaxed) == 0)
        rig.store.set(.working)
        try await running.value
        #expect(counters.revocations.load(ordering: .relaxed) == 0)
        #expect(counters.handled.load(ordering: .relaxed) == 5000)
        #expect(try await rig.harness.store.count() == 5000)
        try await rig.close()
    }

    @Test("partitions lost during an outage (the group dropped the member) are read again once it rejoins: every record once")
    func partitionsLostDuringOutage() async throws {
        let rig = try await rig(
            count: 5000, seed: "lost-in-outage", group: "g-lost", store: .down, configure: { $0.maxRowsPerWrite = 500 })
        let counters = rig.counters
        let running = Task { try await rig.run.run() }
        #expect(await eventually(within: .seconds(60)) { counters.storeRetries.load(ordering: .relaxed) > 2 })
        // What a loaded machine does to a member that misses max.poll.interval.ms, or a coordinator that restarted:
        // the group no longer knows the member, whose partitions are lost while the store is still down.
        rig.harness.broker.failRequests(.heartbeat, with: [25, 25, 25])
        #expect(await eventually(within: .seconds(60)) { counters.revocations.load(ordering: .relaxed) > 0 })
        rig.store.set(.working)
        try await withDeadline(.seconds(120)) { try await running.value }
        #expect(counters.handled.load(ordering: .relaxed) == 5000)
        #expect(try await rig.harness.store.count() == 5000)
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: rig.harness.broker.bootstrapServers))
        defer { admin.close() }
        #expect(try await admin.totalLag(group: "g-lost", topics: [rig.harness.topic]) == 0)
        try await rig.close()
    }

    @Test("a write the store refuses for good stops the processor at once, with nothing committed")
    func permanentFailure() async throws {
        let rig = try await rig(count: 500, seed: "broken", group: "g-broken", store: .broken)
        let started = ContinuousClock.now
        await #expect {
            try await rig.run.run()
        } throws: { error in
            (error as? StoreUnavailable)?.reason == .permanent && "\(error)".contains("no such column")
        }
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(rig.counters.storeRetries.load(ordering: .relaxed) == 0)
        #expect(rig.counters.handled.load(ordering: .relaxed) == 0)
        try await rig.close()
    }

    @Test("an outage longer than the allowed wait stops the processor with an error; what was written stays committed")
    func boundedWait() async throws {
        let rig = try await rig(
            count: 1000, seed: "bounded", group: "g-bounded", store: .down, configure: { $0.maxStoreOutage = .seconds(2) })
        await #expect {
            try await rig.run.run()
        } throws: { error in
            if case .tooLong = (error as? StoreUnavailable)?.reason { return true }
            return false
        }
        #expect(rig.counters.storeRetries.load(ordering: .relaxed) > 0)
        #expect(rig.counters.handled.load(ordering: .relaxed) == 0)
        #expect(try await rig.harness.store.count() == 0)
        try await rig.close()
    }
}
