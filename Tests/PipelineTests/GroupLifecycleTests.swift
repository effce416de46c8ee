import Foundation
import Kafka
import Pipeline
import Testing

@Suite("Idle exit and fatal group errors", .serialized)
struct GroupLifecycleTests {
    @Test("--idle-exit does not count before the first assignment: the records waiting are read, then it stops")
    func idleCountsOnlyWhenAssigned() async throws {
        let harness = try await PipelineHarness()
        let producer = try harness.producer()
        try await harness.ingest(count: 1000, seed: "idle", producer: producer)
        let counters = PipelineCounters()
        // The embedded broker assigns partitions only after about 3 s: far longer than the idle time.
        let run = try harness.processor(group: "g-idle", producer: producer, counters: counters) {
            $0.idleExit = .milliseconds(500)
        }
        try await run.run()
        #expect(counters.handled.load(ordering: .relaxed) == 1000)
        #expect(try await harness.store.count() == 1000)
        try await producer.close()
        await harness.shutdown()
    }

    @Test("a group error retrying cannot fix (INVALID_SESSION_TIMEOUT) stops the processor with a clear error")
    func fatalGroupError() async throws {
        let harness = try await PipelineHarness()
        let producer = try harness.producer()
        try await harness.ingest(count: 10, seed: "fatal", producer: producer)
        harness.broker.failRequests(.joinGroup, with: Array(repeating: 26, count: 50))
        let run = try harness.processor(group: "g-fatal", producer: producer, counters: PipelineCounters()) {
            $0.idleExit = .seconds(60)
        }
        let started = ContinuousClock.now
        await #expect {
            try await run.run()
        } throws: { error in
            guard let group = error as? GroupError else { return false }
            return "\(group)".contains("session timeout") && group.group == "g-fatal"
        }
        #expect(ContinuousClock.now - started < .seconds(60))
        try await producer.close()
        await harness.shutdown()
    }
}
