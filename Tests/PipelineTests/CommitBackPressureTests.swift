import Foundation
import Kafka
import Pipeline
import Synchronization
import TestWaiting
import Testing

@Suite("A slow commit holds the writer back", .serialized)
struct CommitBackPressureTests {
    @Test("while commits wait (a slow dead-letter topic), the writer stops at the bound instead of writing on")
    func boundedHandOff() async throws {
        let harness = try await PipelineHarness()
        let producer = try harness.producer()
        try await harness.ingest(count: 6000, seed: "slow-commit", producer: producer)
        let release = Atomic<Bool>(false)
        let counters = PipelineCounters()
        let run = try harness.processor(group: "g-slow-commit", producer: producer, counters: counters) {
            $0.maxMessages = 6000
            $0.maxPendingRecords = 1000
            $0.maxRowsPerWrite = 500
            $0.afterWriteBeforeCommit = {
                _ = await eventually(within: .seconds(120)) { release.load(ordering: .relaxed) }
            }
        }
        let running = Task { try await run.run() }
        // Let the writer run as far as it can while the first commit waits.
        // The writer has stopped when the row count stays the same for 2 s (what is asserted is that nothing more
        // happens, so a quiet window is the condition).
        var written = 0
        var stableSince = ContinuousClock.now
        _ = try await eventually(within: .seconds(20), checkingEvery: .milliseconds(100)) {
            let now = try await harness.store.count()
            if now != written {
                written = now
                stableSince = .now
            }
            return written > 0 && ContinuousClock.now - stableSince > .seconds(2)
        }
        // One write being committed, the bounded queue of written batches, and one write in hand at most.
        #expect(written > 0)
        #expect(written <= 2500, "the writer wrote \(written) rows while no commit could finish")
        #expect(counters.handled.load(ordering: .relaxed) == 0)
        release.store(true, ordering: .relaxed)
        try await running.value
        #expect(counters.handled.load(ordering: .relaxed) == 6000)
        #expect(try await harness.store.count() == 6000)
        try await producer.close()
        await harness.shutdown()
    }
}
