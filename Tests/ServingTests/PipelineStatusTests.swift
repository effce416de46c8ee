import Logging
import Pipeline
import Serving
import Testing

@Suite("The pipeline's state as the dashboard and /ready show it")
struct PipelineStatusTests {
    private func backend(_ counters: PipelineCounters, consumes: Bool = false) -> PipelineServingBackend {
        PipelineServingBackend(
            parts: ["ingest", "process"], counters: counters, metrics: PipelineMetrics(counters: counters),
            sampler: PipelineSampler(counters: counters, lagSource: nil, consumer: nil, logger: Logger(label: "test")),
            store: nil, storeKind: "sqlite", history: nil, consumes: consumes)
    }

    @Test("running when nothing is wrong")
    func running() async {
        let stats = await backend(PipelineCounters()).stats()
        #expect(stats.status == PipelineStats.Status(state: "running"))
    }

    @Test("a store outage: stalled, with how long and how many retries")
    func storeOutage() async {
        let counters = PipelineCounters()
        counters.storeOutageSince.store(WallClock.monotonicNanoseconds() - 12_000_000_000, ordering: .relaxed)
        counters.storeRetries.store(7, ordering: .relaxed)
        let stats = await backend(counters).stats()
        #expect(stats.status.state == "stalled")
        #expect(stats.status.reason?.contains("the store has been failing for 12s (7 retries)") == true, "\(stats.status)")
        let metrics = await backend(counters).metrics()
        #expect(metrics.contains("userstream_store_failing 1.0"))
    }

    @Test("brokers that acknowledge nothing: stalled, and /ready fails its producer check")
    func produceStall() async {
        let counters = PipelineCounters()
        counters.sent.store(500, ordering: .relaxed)
        counters.produced.store(100, ordering: .relaxed)
        counters.produceStalledSince.store(WallClock.monotonicNanoseconds() - 40_000_000_000, ordering: .relaxed)
        let served = backend(counters)
        let stats = await served.stats()
        #expect(stats.status.state == "stalled")
        #expect(stats.status.reason?.contains("acknowledged nothing for 40 s (400 messages waiting") == true, "\(stats.status)")
        let readiness = await served.readiness()
        #expect(!readiness.ready)
        #expect(readiness.checks.contains { $0.name == "producer" && !$0.ok })
        let metrics = await served.metrics()
        #expect(metrics.contains("userstream_produce_stalled 1.0"))
        #expect(metrics.contains("userstream_produce_awaiting_acknowledgement 400.0"))
    }

    @Test("a processor without partitions is not ready: the consumer check fails")
    func starting() async {
        let served = backend(PipelineCounters(), consumes: true)
        let readiness = await served.readiness()
        #expect(readiness.checks.contains { $0.name == "consumer" && !$0.ok })
    }
}
