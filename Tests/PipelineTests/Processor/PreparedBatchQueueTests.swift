import Testing
@testable import Pipeline

@Suite("The processor's hand-over queue (group commit, backpressure)")
struct PreparedBatchQueueTests {
    @Test("the writer takes every waiting batch at once, in order, up to its limit; nil after finish")
    func takesEverythingWaiting() async throws {
        let queue = PreparedBatchQueue<Int>(maxRecords: 100)
        for i in 1...4 { try await queue.push(i, records: 10) }
        #expect(queue.waitingRecords == 40)
        #expect(try await queue.take(maxRecords: 25) == [1, 2])
        #expect(try await queue.take(maxRecords: 1_000) == [3, 4])
        queue.finish()
        #expect(try await queue.take(maxRecords: 1_000) == nil)
    }

    @Test("a batch larger than the limit is still taken whole")
    func oversizedBatch() async throws {
        let queue = PreparedBatchQueue<String>(maxRecords: 10)
        try await queue.push("big", records: 50)
        #expect(try await queue.take(maxRecords: 5) == ["big"])
    }

    @Test("the reader waits while the queue is full and goes on once the writer takes")
    func backpressure() async throws {
        let queue = PreparedBatchQueue<Int>(maxRecords: 20)
        try await queue.push(1, records: 15)
        let pushed = Task {
            try await queue.push(2, records: 10)
            return queue.waitingRecords
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(queue.waitingRecords == 15, "the second push must wait: 15 + 10 > 20")
        #expect(try await queue.take(maxRecords: 100) == [1])
        #expect(try await pushed.value == 10)
        #expect(try await queue.take(maxRecords: 100) == [2])
    }

    @Test("a writer waiting on an empty queue wakes for a push, and for finish")
    func writerWaits() async throws {
        let queue = PreparedBatchQueue<Int>(maxRecords: 20)
        let taken = Task { try await queue.take(maxRecords: 100) }
        try await Task.sleep(for: .milliseconds(50))
        try await queue.push(7, records: 1)
        #expect(try await taken.value == [7])
        let none = Task { try await queue.take(maxRecords: 100) }
        try await Task.sleep(for: .milliseconds(50))
        queue.finish()
        #expect(try await none.value == nil)
    }

    @Test("after a stage fails, a waiting push, later pushes and takes throw")
    func writerFailure() async throws {
        let queue = PreparedBatchQueue<Int>(maxRecords: 5)
        try await queue.push(1, records: 5)
        let blocked = Task { try await queue.push(2, records: 5) }
        try await Task.sleep(for: .milliseconds(50))
        queue.fail()
        await #expect(throws: PipelineFailed.self) { try await blocked.value }
        await #expect(throws: PipelineFailed.self) { try await queue.push(3, records: 1) }
        await #expect(throws: PipelineFailed.self) { try await queue.take(maxRecords: 10) }
    }

    @Test("cancelling a waiting writer ends its wait with CancellationError")
    func cancellation() async throws {
        let queue = PreparedBatchQueue<Int>(maxRecords: 5)
        let waiting = Task { try await queue.take(maxRecords: 10) }
        try await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
    }
}
