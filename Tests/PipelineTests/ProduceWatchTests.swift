import Foundation
import Kafka
import Logging
import NIOConcurrencyHelpers
import Pipeline
import RandomUser
import ServiceLifecycle
import TestWaiting
import Testing

/// A produce watch (1 s stall threshold) running over an embedded broker with one partition, and an ingester to
/// start on it; ``shutdown()`` stops them all.
struct ProduceWatchRig {
    let harness: PipelineHarness
    let producer: KafkaProducer
    let counters = PipelineCounters()
    let lines = NIOLockedValueBox<[String]>([])
    let admin: KafkaAdmin
    let group: ServiceGroup
    let watching: Task<Void, any Error>

    init() async throws {
        harness = try await PipelineHarness(partitions: 1)
        producer = try harness.producer()
        admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: harness.broker.bootstrapServers))
        var configuration = ProduceWatch.Configuration()
        configuration.stallAfter = .seconds(1)
        configuration.interval = .milliseconds(100)
        let lines = lines
        let watch = ProduceWatch(
            counters: counters, admin: admin, topic: harness.topic, configuration: configuration,
            logger: Logger(label: "test.watch") { _ in CapturingLogHandler(lines: lines) })
        let group = ServiceGroup(services: [watch], logger: Logger(label: "test.group"))
        self.group = group
        watching = Task { try await group.run() }
    }

    /// Starts producing `count` synthetic users through an ingester sharing the watch's counters.
    func ingest(_ count: Int, seed: String) throws -> Task<Void, any Error> {
        var ingest = Ingester.Configuration()
        ingest.count = count
        ingest.pageSize = count
        let ingester = Ingester(
            source: try SourceSelector.make("synthetic", seed: seed, badFraction: 0), producer: producer,
            flowControl: nil, configuration: ingest, counters: counters)
        return Task { try await ingester.run() }
    }

    /// The log lines that contain `text`.
    func logged(_ text: String) -> [String] {
        lines.withLockedValue { $0 }.filter { $0.contains(text) }
    }

    func shutdown() async throws {
        await group.triggerGracefulShutdown()
        try await watching.value
        admin.close()
        try await producer.close()
        await harness.shutdown()
    }
}

@Suite("A produce the brokers keep refusing is visible at once", .serialized)
struct ProduceWatchTests {
    @Test("NOT_ENOUGH_REPLICAS on every produce: one warning after the stall threshold, the stall in progress, a notice when acknowledgements resume")
    func stallIsReportedAndCleared() async throws {
        let rig = try await ProduceWatchRig()
        let counters = rig.counters
        // The first produces get NOT_ENOUGH_REPLICAS (19), as from a leader whose in-sync replicas fell below
        // min.insync.replicas; librdkafka retries them (every 100 ms) until they go through.
        rig.harness.broker.failRequests(.produce, with: Array(repeating: 19, count: 40))
        let ingesting = try rig.ingest(200, seed: "watch")

        let stalled = await eventually(within: .seconds(30)) {
            counters.produceStall != nil && !rig.logged("acknowledged none of the waiting messages").isEmpty
        }
        #expect(stalled, "the stall was not noticed")
        let warning = rig.logged("acknowledged none of the waiting messages").first
        #expect(warning?.hasPrefix("warning") == true, "\(rig.lines.withLockedValue { $0 })")
        #expect(warning?.contains("delivery_timeout") == true, "the warning names the setting that bounds the retries")
        let progress = ProgressReporter(counters: counters, parts: .ingest, write: { _ in }).progressLine(rate: 0)
        #expect(progress.contains("PRODUCE STALLED for"), "\(progress)")
        #expect(progress.contains("(200 waiting for the brokers)"), "\(progress)")

        try await ingesting.value
        #expect(counters.produced.load(ordering: .relaxed) == 200)
        let resumed = await eventually(within: .seconds(30)) {
            counters.produceStall == nil && !rig.logged("the brokers acknowledge messages again").isEmpty
        }
        #expect(resumed)
        #expect(rig.logged("acknowledged none").count == 1, "one warning per stall")
        try await rig.shutdown()
    }

    @Test("a partition without a leader: the stall names it, from the cluster's metadata, once; acks resume when it has one")
    func leaderlessPartitionIsNamed() async throws {
        let rig = try await ProduceWatchRig()
        // The only partition loses its leader, as when its brokers are down or the controller cannot elect one.
        try rig.harness.broker.moveLeader(topic: rig.harness.topic, partition: 0, to: -1)
        let ingesting = try rig.ingest(50, seed: "leaderless")

        let named = await eventually(within: .seconds(30)) {
            rig.logged("partition cannot take writes now").contains { $0.contains("no leader") }
        }
        #expect(named, "\(rig.lines.withLockedValue { $0 })")
        try rig.harness.broker.moveLeader(topic: rig.harness.topic, partition: 0, to: 1)
        try await ingesting.value
        #expect(rig.counters.produced.load(ordering: .relaxed) == 50)
        let resumed = await eventually(within: .seconds(30)) { rig.counters.produceStall == nil }
        #expect(resumed)
        let lines = rig.logged("partition cannot take writes now")
        #expect(lines.count == 1, "one line per partition and state change: \(lines)")
        try await rig.shutdown()
    }
}
