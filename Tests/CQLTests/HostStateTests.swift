import Testing

@testable import CQL

@Suite("Host state machine")
struct HostStateTests {
    static let refused = CQLError(code: .connectFailed, message: "cannot connect")

    @Test("a failed connect without an open connection marks the host down once; further failures only count")
    func downOnce() {
        var state = CQLHostState()
        let start = ContinuousClock.now
        let first = state.connectFailed(Self.refused, at: start, stillConnected: false, reconnector: 7)
        #expect(first == .wentDown(reconnector: 7))
        #expect(state.isDown)
        #expect(state.isReconnecting(7))
        #expect(!state.isReconnecting(8))
        for attempt in 2...5 {
            let again = state.connectFailed(Self.refused, at: .now, stillConnected: false, reconnector: 9)
            #expect(again == .stillDown)
            #expect(state.failures == attempt)
        }
        #expect(state.isReconnecting(7))
        #expect((state.lastError as? CQLError)?.code == .connectFailed)
    }

    @Test("a successful connect brings a down host up once, with how long it was down")
    func upOnce() {
        var state = CQLHostState()
        let start = ContinuousClock.now
        _ = state.connectFailed(Self.refused, at: start, stillConnected: false, reconnector: 1)
        let up = state.connected(at: start + .seconds(3))
        #expect(up == .cameUp(downFor: .seconds(3)))
        #expect(!state.isDown)
        #expect(!state.isReconnecting(1))
        #expect(state.failures == 0)
        #expect(state.lastError == nil)
        let again = state.connected(at: start + .seconds(4))
        #expect(again == .none)
    }

    @Test("a failed extra connection to a host with an open one leaves it up")
    func stillConnected() {
        var state = CQLHostState()
        let action = state.connectFailed(Self.refused, at: .now, stillConnected: true, reconnector: 1)
        #expect(action == .stayedUp)
        #expect(!state.isDown)
    }

    @Test("an UP event makes a down host worth trying at once, with the base delay next")
    func reportedUp() {
        var state = CQLHostState()
        let whileUp = state.reportedUp()
        #expect(!whileUp)
        for _ in 1...6 { _ = state.connectFailed(Self.refused, at: .now, stillConnected: false, reconnector: 1) }
        let whileDown = state.reportedUp()
        #expect(whileDown)
        #expect(state.failures == 1)
        #expect(state.isDown)
    }
}
