#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Kafka
import Pipeline
import TestWaiting
import Testing

@Suite("The pipeline assembled from its configuration", .serialized)
struct PipelineAssemblyTests {
    private func temporaryStore() -> String {
        "sqlite:" + FileManager.default.temporaryDirectory.appendingPathComponent("assembly-\(UUID().uuidString).sqlite").path
    }

    @Test("run, ingest and process are one builder with different parts; services in dependency order")
    func serviceOrder() async throws {
        var configuration = PipelineConfiguration()
        configuration.store.url = temporaryStore()
        let pipeline = try await PipelineBuilder(configuration: configuration, parts: .all).build()
        #expect(pipeline.serviceNames == [
            "EmbeddedKafkaBroker", "SQLiteUserStore", "StoreTally", "KafkaProducer", "KafkaConsumer",
            "StreamProcessor", "KafkaAdmin", "ProduceWatch", "Ingester", "ProgressReporter",
        ])
        // Never run: stop what build started.
        let group = pipeline.serviceGroup(signals: [])
        async let running: Void = group.run()
        await group.triggerGracefulShutdown()
        try await running

        // Outside run, `embedded` is the standalone broker of `userstream broker`; with none there, a clear error.
        let process = PipelineBuilder(configuration: configuration, parts: .process)
        #expect(process.externalBrokers == "127.0.0.1:9092")
        #expect(!process.startsEmbeddedBroker)
    }

    @Test("ingest without its topic fails naming exactly the missing topic and the command that creates it")
    func missingTopic() async throws {
        let broker = try EmbeddedKafkaBroker(configuration: .init(topics: [("random_users_dlq", 1)]))
        defer { broker.shutdown() }
        var configuration = PipelineConfiguration()
        configuration.kafka.brokers = broker.bootstrapServers
        let builder = PipelineBuilder(configuration: configuration, parts: .ingest)
        #expect(!builder.createsTopics)
        #expect(PipelineBuilder(configuration: configuration, parts: .all).createsTopics)
        await #expect {
            _ = try await builder.build()
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("topic(s) random_users do not exist on \(broker.bootstrapServers)")
                && text.contains("userstream topics create --brokers \(broker.bootstrapServers)")
        }
    }

    @Test("check passes against the embedded broker and a SQLite store")
    func checkPasses() async throws {
        var configuration = PipelineConfiguration()
        configuration.store.url = temporaryStore()
        let outcomes = await PipelineCheck(builder: PipelineBuilder(configuration: configuration, parts: .all)).run()
        #expect(outcomes.map(\.subject.first) == ["s", "k", "s"])
        #expect(outcomes.allSatisfy { $0.passed }, "\(outcomes)")
    }

    @Test("check against a closed port fails within its timeout, naming the broker")
    func checkUnreachable() async throws {
        var configuration = PipelineConfiguration()
        configuration.kafka.brokers = "127.0.0.1:1"
        configuration.store.url = temporaryStore()
        let started = ContinuousClock.now
        let outcome = await PipelineCheck(
            builder: PipelineBuilder(configuration: configuration, parts: .process), timeout: .seconds(3)
        ).kafka()
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(!outcome.passed)
        #expect(outcome.description.hasPrefix("FAIL kafka 127.0.0.1:1: "))
    }

    @Test("SIGTERM stops run gracefully: services close in reverse order, every handled offset committed")
    func gracefulStop() async throws {
        let broker = try EmbeddedKafkaBroker(
            configuration: .init(topics: [("random_users", 3), ("random_users_dlq", 1)]))
        defer { broker.shutdown() }
        var configuration = PipelineConfiguration()
        configuration.kafka.brokers = broker.bootstrapServers
        configuration.kafka.group = "sigterm-\(UUID().uuidString)"
        configuration.kafka.sessionTimeout = .seconds(6)
        configuration.processing.maxLag = 3000
        configuration.source.rate = 2000
        configuration.store.url = temporaryStore()
        let pipeline = try await PipelineBuilder(configuration: configuration, parts: .all).build()
        let running = Task { try await pipeline.run() }
        #expect(await eventually(within: .seconds(60)) { pipeline.counters.stored.load(ordering: .relaxed) > 0 })
        kill(getpid(), SIGTERM)
        let summary = try await running.value
        #expect(summary.contains("rows in store"))
        #expect(pipeline.stopOrder == pipeline.serviceNames.reversed())

        // The group's committed offsets cover everything handled: nothing left to read.
        let handled = pipeline.counters.handled.load(ordering: .relaxed)
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.bootstrapServers))
        defer { admin.close() }
        let partitions = try await admin.groupOffsets(group: configuration.kafka.group, topics: ["random_users"])
        #expect(partitions.reduce(0) { $0 + Int($1.committed ?? 0) } == handled)
        #expect(partitions.reduce(0) { $0 + $1.lag } == Int64(pipeline.counters.produced.load(ordering: .relaxed) - handled))
    }
}

@Suite("The scheduler in the pipeline, against the embedded broker", .serialized)
struct ScheduledPipelineTests {
    @Test("userstream schedule: runs every second for three runs; the history and the topic agree; a re-run adds no new key")
    func scheduledIngest() async throws {
        let harness = try await PipelineHarness(partitions: 2)
        defer { Task { await harness.shutdown() } }
        var configuration = PipelineConfiguration()
        configuration.kafka.brokers = harness.broker.bootstrapServers
        configuration.schedule.every = .seconds(1)
        configuration.schedule.usersPerRun = 25
        configuration.schedule.retryDelay = .milliseconds(100)
        configuration.schedule.state = harness.folder.appendingPathComponent("state.sqlite").path
        var job = PipelineJob()
        job.scheduled = true
        job.scheduleRuns = 3
        job.scheduleDuration = .seconds(120)  // a guard: three runs end far sooner
        let builder = PipelineBuilder(configuration: configuration, parts: .ingest, job: job)
        let pipeline = try await builder.build()
        _ = try await pipeline.run()

        let history = try builder.openRunHistory(create: false)
        // On a loaded machine a run may outlast its second: the next fire time is then skipped, not stacked.
        let runs = try history.list(state: .success, limit: 100).sorted { $0.logicalTime < $1.logicalTime }
        let recorded = try history.list(limit: 100)
        #expect(runs.count == 3, "\(recorded)")
        #expect(runs.allSatisfy { $0.produced == 25 && $0.fetched == 25 }, "\(runs)")
        // On whole seconds; every fire time has a row, run or skipped.
        #expect(runs.allSatisfy { $0.logicalTime % 1000 == 0 })
        let all = try history.list(limit: 100).sorted { $0.logicalTime < $1.logicalTime }
        #expect(zip(all, all.dropFirst()).allSatisfy { $1.logicalTime - $0.logicalTime == 1000 })
        #expect(all.allSatisfy { $0.state == .success || $0.state == .skipped })

        let messages = try await harness.readAll(topic: harness.topic, expected: runs.count * 25)
        let keys = Set(messages.compactMap(\.key))
        #expect(messages.count == runs.count * 25)
        #expect(keys.count == runs.count * 25, "every run produced users of its own")

        // Re-running the first interval produces its users again: 25 more messages, not one new key.
        // It takes the run's own seed and count from the history, even when the settings changed since.
        var changed = configuration
        changed.schedule.usersPerRun = 1000
        changed.source.seed = "another"
        let rerun = try await PipelineBuilder(configuration: changed, parts: .ingest).rerun(id: try #require(runs.first).id)
        #expect(rerun.state == .success)
        #expect(rerun.produced == 25)
        let again = try await harness.readAll(topic: harness.topic, expected: runs.count * 25 + 25)
        #expect(again.count == runs.count * 25 + 25)
        #expect(Set(again.compactMap(\.key)) == keys)
    }

    @Test("run --every: the scheduler runs inside run, beside the processor, which stores what each run produced")
    func scheduleInsideRun() async throws {
        let broker = try EmbeddedKafkaBroker(configuration: .init(topics: [("random_users", 2), ("random_users_dlq", 1)]))
        defer { broker.shutdown() }
        var configuration = PipelineConfiguration.onBroker(broker, name: "scheduled-run")
        configuration.schedule.every = .seconds(1)
        configuration.schedule.usersPerRun = 20
        configuration.schedule.state = FileManager.default.temporaryDirectory
            .appendingPathComponent("scheduled-run-\(UUID().uuidString).sqlite").path
        var job = PipelineJob()
        job.scheduled = true
        job.count = 40  // two runs' users handled: the processor's end ends run
        let builder = PipelineBuilder(configuration: configuration, parts: .all, job: job)
        let pipeline = try await builder.build()
        #expect(pipeline.serviceNames.contains("Scheduler"))
        #expect(!pipeline.serviceNames.contains("Ingester"))
        let summary = try await pipeline.run(signals: [])
        #expect(pipeline.counters.stored.load(ordering: .relaxed) == 40, "\(summary)")
        let history = try builder.openRunHistory(create: false)
        let runs = try history.list(state: .success, limit: 10)
        #expect(runs.count >= 2)
        #expect(runs.allSatisfy { $0.produced == 20 }, "\(runs)")
        // A run still producing when run ended is recorded interrupted, never as a short success.
        let failed = try history.list(state: .failed, limit: 10)
        #expect(failed.allSatisfy { ($0.error ?? "").contains("interrupted") }, "\(failed)")
    }
}
