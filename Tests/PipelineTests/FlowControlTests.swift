import TestWaiting
import Synchronization
import Testing
import Pipeline

@Suite("In-process flow control")
struct FlowControlTests {
    /// Turns true when a wait returns.
    private final class Flag: Sendable {
        private let value = Atomic(false)
        var isSet: Bool { value.load(ordering: .relaxed) }
        func set() { value.store(true, ordering: .relaxed) }
    }

    /// Starts a wait for room for `adding` messages with `sent` produced and a lag of at most `maxLag`; the flag
    /// turns true when the wait returns.
    private func startWaiting(
        maxLag: Int, sent: Int, adding: Int, counters: PipelineCounters
    ) -> (done: Flag, task: Task<Void, any Error>) {
        var flowControl = InProcessFlowControl(maxLag: maxLag, counters: counters)
        flowControl.pollInterval = .milliseconds(1)
        counters.sent.store(sent, ordering: .relaxed)
        let done = Flag()
        let task = Task {
            try await flowControl.waitForRoom(adding: adding)
            done.set()
        }
        return (done, task)
    }

    /// Whether the flag is still down after a while.
    private func stillWaiting(_ done: Flag) async throws -> Bool {
        try await Task.sleep(for: .milliseconds(30))
        return !done.isSet
    }

    @Test("the lag counts up to the processor's poll: records read but not yet committed leave room")
    func lagEndsAtThePoll() async throws {
        let counters = PipelineCounters()
        let (done, task) = startWaiting(maxLag: 100, sent: 100, adding: 50, counters: counters)
        #expect(try await stillWaiting(done), "100 unread messages and a limit of 100: no room for 50")
        // Commits alone change nothing: the lag is what the broker still holds unread.
        counters.handled.store(100, ordering: .relaxed)
        #expect(try await stillWaiting(done))
        counters.polled.store(50, ordering: .relaxed)
        #expect(await eventually(within: .seconds(30), checkingEvery: .milliseconds(2)) { done.isSet })
        try await task.value
    }

    @Test("records the broker lost count as read")
    func lostCountAsRead() async throws {
        let counters = PipelineCounters()
        counters.polled.store(2, ordering: .relaxed)
        let (done, task) = startWaiting(maxLag: 10, sent: 10, adding: 5, counters: counters)
        #expect(try await stillWaiting(done))
        counters.lost.store(3, ordering: .relaxed)
        #expect(await eventually(within: .seconds(30), checkingEvery: .milliseconds(2)) { done.isSet })
        try await task.value
    }
}
