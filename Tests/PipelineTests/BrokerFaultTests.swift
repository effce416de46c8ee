import Foundation
import Kafka
import Pipeline
import TestWaiting
import Testing

@Suite("Broker faults: the producer and the consumer recover, the end state is exact", .serialized)
struct BrokerFaultTests {
    @Test("errors on produce, fetch, commit and join are retried: every user stored once, every offset committed")
    func transientErrors() async throws {
        let broker = try EmbeddedKafkaBroker(configuration: .init(topics: [("random_users", 3), ("random_users_dlq", 1)]))
        defer { broker.shutdown() }
        // Retriable Kafka errors: REQUEST_TIMED_OUT (7), NOT_LEADER_OR_FOLLOWER (6), NOT_COORDINATOR (16),
        // COORDINATOR_NOT_AVAILABLE (15), and the mock dropping the connection (librdkafka's _TRANSPORT, -195).
        broker.failRequests(.produce, with: [7, 7, -195, 7])
        broker.failRequests(.fetch, with: [6, 6, -195])
        broker.failRequests(.offsetCommit, with: [16, 15, 16])
        broker.failRequests(.joinGroup, with: [15, 16])
        var configuration = PipelineConfiguration.onBroker(broker, name: "faults")
        configuration.source.badFraction = 0.02
        var job = PipelineJob()
        job.count = 3000
        let pipeline = try await PipelineBuilder(configuration: configuration, parts: .all, job: job).build()
        let summary = try await pipeline.run(signals: [])
        let counters = pipeline.counters
        #expect(counters.produced.load(ordering: .relaxed) == 3000)
        #expect(counters.handled.load(ordering: .relaxed) == 3000)
        #expect(counters.lost.load(ordering: .relaxed) == 0)
        let stored = counters.stored.load(ordering: .relaxed)
        let rejected = counters.rejected.load(ordering: .relaxed)
        #expect(stored + rejected + counters.duplicates.load(ordering: .relaxed) == 3000)
        #expect(rejected > 0)
        #expect(summary.contains("rows in store  \(stored)"))
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.bootstrapServers))
        defer { admin.close() }
        #expect(try await admin.totalLag(group: configuration.kafka.group, topics: ["random_users"]) == 0)
    }
}

@Suite("Commits the coordinator never confirms", .serialized)
struct UnconfirmedCommitTests {
    @Test("every commit refused: the run reports its stored-but-uncommitted messages, equal to the group's lag")
    func refusedCommitsAreReported() async throws {
        let broker = try EmbeddedKafkaBroker(configuration: .init(topics: [("random_users", 3), ("random_users_dlq", 1)]))
        defer { broker.shutdown() }
        let configuration = PipelineConfiguration.onBroker(broker, name: "unconfirmed")
        var job = PipelineJob()
        job.count = 2000
        let pipeline = try await PipelineBuilder(configuration: configuration, parts: .all, job: job).build()
        // From the first commit on, the coordinator answers every OffsetCommit with NOT_COORDINATOR (16), as a
        // cluster that lost its quorum does.
        broker.failRequests(.offsetCommit, with: Array(repeating: 16, count: 20_000))
        let summary = try await pipeline.run(signals: [])
        #expect(pipeline.counters.stored.load(ordering: .relaxed) == 2000)
        #expect(pipeline.uncommittedMessages == 2000)
        #expect(summary.contains("NOT COMMITTED  2000"), "\(summary)")
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.bootstrapServers))
        defer { admin.close() }
        let lag = try await admin.totalLag(group: configuration.kafka.group, topics: ["random_users"])
        #expect(lag == Int64(pipeline.uncommittedMessages), "what the run says is uncommitted is what the group has left")
    }

    @Test("commits that go through: nothing reported uncommitted")
    func confirmedCommits() async throws {
        let broker = try EmbeddedKafkaBroker(configuration: .init(topics: [("random_users", 3), ("random_users_dlq", 1)]))
        defer { broker.shutdown() }
        let configuration = PipelineConfiguration.onBroker(broker, name: "confirmed")
        var job = PipelineJob()
        job.count = 2000
        let pipeline = try await PipelineBuilder(configuration: configuration, parts: .all, job: job).build()
        let summary = try await pipeline.run(signals: [])
        #expect(pipeline.uncommittedMessages == 0)
        #expect(!summary.contains("NOT COMMITTED"))
    }
}

@Suite("Broker down and back, leader changes", .serialized)
struct BrokerFailoverTests {
    @Test("a broker down and back, then leaders moved, during a run: every user stored once, every offset committed")
    func brokerDownAndBackThenLeaderChange() async throws {
        let topics = [("random_users", 3), ("random_users_dlq", 1)]
        let broker = try EmbeddedKafkaBroker(configuration: .init(brokers: 3, topics: topics))
        defer { broker.shutdown() }
        var configuration = PipelineConfiguration.onBroker(broker, name: "failover")
        configuration.source.badFraction = 0.02
        configuration.source.rate = 1000
        var job = PipelineJob()
        job.count = 20000
        let pipeline = try await PipelineBuilder(configuration: configuration, parts: .all, job: job).build()
        let counters = pipeline.counters
        let run = Task { try await pipeline.run(signals: []) }

        #expect(await eventually(within: .seconds(60)) { counters.handled.load(ordering: .relaxed) >= 500 })
        // The ingester produces 1,000 users/s for 20 s, so what follows happens while users are still coming (on a
        // machine so loaded that the ingester is done by now, the waits below end at its 20,000).
        // Broker 2 dies: the partitions it leads (and the group coordinator, if it is) are gone until it returns.
        try broker.setBroker(2, up: false)
        let target = min(counters.sent.load(ordering: .relaxed) + 1000, 20000)
        #expect(await eventually(within: .seconds(60)) { counters.sent.load(ordering: .relaxed) >= target })
        try broker.setBroker(2, up: true)
        #expect(await eventually(within: .seconds(60)) { counters.handled.load(ordering: .relaxed) >= target })
        // A controller moves leaders: the clients follow through NOT_LEADER answers and fresh metadata.
        try broker.moveLeader(topic: "random_users", partition: 0, to: 3)
        try broker.moveLeader(topic: "random_users", partition: 1, to: 1)
        try broker.moveLeader(topic: "random_users", partition: 2, to: 2)

        let summary = try await run.value
        #expect(counters.produced.load(ordering: .relaxed) == 20000)
        #expect(counters.handled.load(ordering: .relaxed) == 20000)
        #expect(counters.lost.load(ordering: .relaxed) == 0)
        let stored = counters.stored.load(ordering: .relaxed)
        let rejected = counters.rejected.load(ordering: .relaxed)
        #expect(stored + rejected + counters.duplicates.load(ordering: .relaxed) == 20000)
        #expect(summary.contains("rows in store  \(stored)"))
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.bootstrapServers))
        defer { admin.close() }
        #expect(try await admin.totalLag(group: configuration.kafka.group, topics: ["random_users"]) == 0)
    }
}
