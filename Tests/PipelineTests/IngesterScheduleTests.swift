import Kafka
import Logging
import NIOConcurrencyHelpers
import Pipeline
import RandomUser
import RandomUserTesting
import ServiceLifecycle
import Synchronization
import TestWaiting
import Testing

/// The ingester on a schedule (`userstream ingest --interval`) while its source fails.
@Suite("Ingester on a schedule", .serialized)
struct IngesterScheduleTests {
    @Test("a tick whose source fails after its retries is logged and counted, and the next ticks still produce")
    func failedTickDoesNotEndTheSchedule() async throws {
        let server = FakeRandomUserServer()
        try await server.start()
        // The first tick's two attempts get 500; every later request gets a page.
        server.enqueue(.status(500), times: 2)
        let harness = try await PipelineHarness(partitions: 1)
        let producer = try harness.producer()

        var api = RandomUserAPISource.Configuration(baseURL: server.baseURL, seed: "schedule")
        api.rateLimit = nil
        api.retry = .init(maxAttempts: 2, baseDelay: .milliseconds(10), maxDelay: .milliseconds(20))
        api.requestTimeout = .seconds(5)
        var configuration = Ingester.Configuration()
        configuration.count = 10
        configuration.pageSize = 10
        configuration.interval = .milliseconds(50)
        let lines = NIOLockedValueBox<[String]>([])
        let logger = Logger(label: "test.ingester") { _ in CapturingLogHandler(lines: lines) }
        let counters = PipelineCounters()
        let ingester = Ingester(
            source: RandomUserAPISource(configuration: api), producer: producer, flowControl: nil,
            configuration: configuration, counters: counters, logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: ingester)], gracefulShutdownSignals: [], logger: Logger(label: "test.group")
            )
        )
        let finished = Atomic<Bool>(false)
        let run = Task {
            defer { finished.store(true, ordering: .releasing) }
            try await group.run()
        }

        // Two ticks produced after the failed one (or the run ended early, as it did before failed ticks were
        // skipped).
        let produced = await eventually(within: .seconds(30)) {
            counters.produced.load(ordering: .relaxed) >= 20 || finished.load(ordering: .acquiring)
        }
        let endedEarly = finished.load(ordering: .acquiring)
        #expect(produced && !endedEarly, "the schedule ended on the failed tick")
        await group.triggerGracefulShutdown()
        let ended = await eventually(within: .seconds(10)) { finished.load(ordering: .acquiring) }
        #expect(ended, "the ingester did not stop on shutdown")
        if !ended { run.cancel() }
        // The run ends normally on shutdown, not with the first tick's error.
        try await run.value

        #expect(ingester.failedTicks == 1)
        // The failed tick's page is asked for again by the next tick.
        #expect(server.requests.prefix(3).map(\.page) == [1, 1, 1])
        let captured = lines.withLockedValue { $0 }
        let warning = try #require(captured.first { $0.contains("ingest tick failed") })
        #expect(warning.hasPrefix("warning"))
        #expect(warning.contains("HTTP 500"))
        #expect(captured.contains { $0.hasPrefix("warning") && $0.contains("1 of") && $0.contains("ticks failed") })

        try await producer.close()
        try await server.shutdown()
        await harness.shutdown()
    }
}
