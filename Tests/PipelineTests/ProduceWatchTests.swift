import Foundation
import Kafka
import Logging
import NIOConcurrencyHelpers
import Pipeline
import RandomUser
import ServiceLifecycle
import TestWaiting
import Testing

@Suite("A produce the brokers keep refusing is visible at once", .serialized)
struct ProduceWatchTests {
    @Test("NOT_ENOUGH_REPLICAS on every produce: one warning after the stall threshold, the stall in progress, a notice when acknowledgements resume")
    func stallIsReportedAndCleared() async throws {
        let harness = try await PipelineHarness(partitions: 1)
        let producer = try harness.producer()
        let counters = PipelineCounters()
        let lines = NIOLockedValueBox<[String]>([])
        let logger = Logger(label: "test.watch") { _ in CapturingLogHandler(lines: lines) }
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: harness.broker.bootstrapServers))
        var configuration = ProduceWatch.Configuration()
        configuration.stallAfter = .seconds(1)
        configuration.interval = .milliseconds(100)
        let watch = ProduceWatch(counters: counters, admin: admin, topic: harness.topic, configuration: configuration, logger: logger)
        let group = ServiceGroup(services: [watch], logger: Logger(label: "test.group"))
        let watching = Task { try await group.run() }

        // The first produces get NOT_ENOUGH_REPLICAS (19), as from a leader whose in-sync replicas fell below
        // min.insync.replicas; librdkafka retries them (every 100 ms) until they go through.
        harness.broker.failRequests(.produce, with: Array(repeating: 19, count: 40))
        var ingest = Ingester.Configuration()
        ingest.count = 200
        ingest.pageSize = 200
        let ingester = Ingester(
            source: try SourceSelector.make("synthetic", seed: "watch", badFraction: 0), producer: producer,
            flowControl: nil, configuration: ingest, counters: counters)
        let ingesting = Task { try await ingester.run() }

        let stalled = await eventually(within: .seconds(30)) {
            counters.produceStall != nil
                && lines.withLockedValue { $0 }.contains { $0.contains("acknowledged none of the waiting messages") }
        }
        #expect(stalled, "the stall was not noticed")
        let warning = lines.withLockedValue { $0 }.first { $0.contains("acknowledged none of the waiting messages") }
        #expect(warning?.hasPrefix("warning") == true, "\(lines.withLockedValue { $0 })")
        #expect(warning?.contains("delivery_timeout") == true, "the warning names the setting that bounds the retries")
        let progress = ProgressReporter(counters: counters, parts: .ingest, write: { _ in }).progressLine(rate: 0)
        #expect(progress.contains("PRODUCE STALLED for"), "\(progress)")
        #expect(progress.contains("(200 waiting for the brokers)"), "\(progress)")

        try await ingesting.value
        #expect(counters.produced.load(ordering: .relaxed) == 200)
        let resumed = await eventually(within: .seconds(10)) {
            counters.produceStall == nil
                && lines.withLockedValue { $0 }.contains { $0.contains("the brokers acknowledge messages again") }
        }
        #expect(resumed)
        #expect(lines.withLockedValue { $0 }.filter { $0.contains("acknowledged none") }.count == 1, "one warning per stall")

        await group.triggerGracefulShutdown()
        try await watching.value
        admin.close()
        try await producer.close()
        await harness.shutdown()
    }

    @Test("a partition without a leader: the stall names it, from the cluster's metadata, once; acks resume when it has one")
    func leaderlessPartitionIsNamed() async throws {
        let harness = try await PipelineHarness(partitions: 1)
        let producer = try harness.producer()
        let counters = PipelineCounters()
        let lines = NIOLockedValueBox<[String]>([])
        let logger = Logger(label: "test.watch") { _ in CapturingLogHandler(lines: lines) }
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: harness.broker.bootstrapServers))
        var configuration = ProduceWatch.Configuration()
        configuration.stallAfter = .seconds(1)
        configuration.interval = .milliseconds(100)
        let watch = ProduceWatch(counters: counters, admin: admin, topic: harness.topic, configuration: configuration, logger: logger)
        let group = ServiceGroup(services: [watch], logger: Logger(label: "test.group"))
        let watching = Task { try await group.run() }

        // The only partition loses its leader, as when its brokers are down or the controller cannot elect one.
        try harness.broker.moveLeader(topic: harness.topic, partition: 0, to: -1)
        var ingest = Ingester.Configuration()
        ingest.count = 50
        ingest.pageSize = 50
        let ingester = Ingester(
            source: try SourceSelector.make("synthetic", seed: "leaderless", badFraction: 0), producer: producer,
            flowControl: nil, configuration: ingest, counters: counters)
        let ingesting = Task { try await ingester.run() }

        let named = await eventually(within: .seconds(30)) {
            lines.withLockedValue { $0 }.contains { $0.contains("partition cannot take writes now") && $0.contains("no leader") }
        }
        #expect(named, "\(lines.withLockedValue { $0 })")
        try harness.broker.moveLeader(topic: harness.topic, partition: 0, to: 1)
        try await ingesting.value
        #expect(counters.produced.load(ordering: .relaxed) == 50)
        let resumed = await eventually(within: .seconds(10)) { counters.produceStall == nil }
        #expect(resumed)
        let named2 = lines.withLockedValue { $0 }.filter { $0.contains("partition cannot take writes now") }
        #expect(named2.count == 1, "one line per partition and state change: \(named2)")

        await group.triggerGracefulShutdown()
        try await watching.value
        admin.close()
        try await producer.close()
        await harness.shutdown()
    }
}
