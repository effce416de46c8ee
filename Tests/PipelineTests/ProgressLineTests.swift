import Testing
import Pipeline

@Suite("Progress line")
struct ProgressLineTests {
    @Test("the progress line gives the totals, the rate and the allocator's memory in use and resident")
    func progressLine() throws {
        let counters = PipelineCounters()
        counters.fetched.store(1_200, ordering: .relaxed)
        counters.produced.store(1_100, ordering: .relaxed)
        counters.stored.store(980, ordering: .relaxed)
        counters.rejected.store(20, ordering: .relaxed)
        let line = ProgressReporter(counters: counters, write: { _ in }).progressLine(rate: 4_999.6)
        #expect(line.contains("fetched 1200 produced 1100 stored 980 rejected 20 | 5000 users/s"))
        let memory = try #require(line.split(separator: "|").last).trimmingCharacters(in: .whitespaces)
        #expect(memory.hasPrefix("memory: "))
        #expect(memory.hasSuffix("MiB resident (allocator)"))
        let numbers = memory.split(separator: " ").compactMap { Int($0) }
        #expect(numbers.count == 2)
        #expect(numbers[0] > 0 && numbers[0] <= numbers[1], "in use \(numbers[0]) MiB ≤ resident \(numbers[1]) MiB")
    }
}

@Suite("Counters that read right")
struct CountersReadRightTests {
    @Test("ingest alone: what it fetched and produced, and the rate of produced users (it handles nothing)")
    func ingestOnly() {
        let counters = PipelineCounters()
        counters.fetched.store(500, ordering: .relaxed)
        counters.produced.store(400, ordering: .relaxed)
        let reporter = ProgressReporter(counters: counters, parts: .ingest, write: { _ in })
        #expect(reporter.rateCount == 400)
        let line = reporter.progressLine(rate: 200)
        #expect(line.contains("fetched 500 produced 400 | 200 users/s"))
        #expect(!line.contains("stored"))
    }

    @Test("process alone: consumed, stored, rejected; no fetched or produced it cannot know")
    func processOnly() {
        let counters = PipelineCounters()
        counters.handled.store(300, ordering: .relaxed)
        counters.stored.store(290, ordering: .relaxed)
        counters.rejected.store(10, ordering: .relaxed)
        let reporter = ProgressReporter(counters: counters, parts: .process, write: { _ in })
        #expect(reporter.rateCount == 300)
        let line = reporter.progressLine(rate: 0)
        #expect(line.contains("consumed 300 stored 290 rejected 10 |"))
        #expect(!line.contains("produced"))
    }

    @Test("run: produced never reads below what was already handled (a delivery report can come after the read)")
    func producedNotBelowHandled() {
        let counters = PipelineCounters()
        counters.fetched.store(1000, ordering: .relaxed)
        counters.produced.store(900, ordering: .relaxed)
        counters.handled.store(950, ordering: .relaxed)
        counters.stored.store(950, ordering: .relaxed)
        let line = ProgressReporter(counters: counters, write: { _ in }).progressLine(rate: 0)
        #expect(line.contains("fetched 1000 produced 950 stored 950"))
    }

    @Test("the summary: latency at the histogram's cap reads ≥ 60 s; repeats are named for what they are")
    func summaryWording() {
        let counters = PipelineCounters()
        counters.endToEndLatency.record(now: 100_000, starts: [0, 10, 20])
        let summary = ProgressReporter(counters: counters, write: { _ in }).summary()
        #expect(summary.contains("p50 ≥ 60 s, p99 ≥ 60 s"), "\(summary)")
        #expect(!summary.contains("60000 ms"))
        #expect(summary.contains("in-batch repeats 0  (a user twice in one batch"))
        #expect(ProgressReporter.milliseconds(59_999, cap: 60_000) == "59999 ms")
    }
}
