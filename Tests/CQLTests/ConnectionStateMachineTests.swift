import Testing

@testable import CQL

@Suite("Connection state machine")
struct ConnectionStateMachineTests {
    static let password = "org.apache.cassandra.auth.PasswordAuthenticator"

    @Test("without compression: STARTUP, then READY finishes the handshake")
    func plain() {
        var machine = CQLConnectionStateMachine(credentials: nil)
        #expect(machine.channelActive() == .sendStartup(nil))
        #expect(machine.isHandshaking)
        #expect(machine.channelActive() == .none)
        #expect(machine.handshakeMessage(.ready) == .handshakeSucceeded)
        #expect(machine.isReady)
    }

    @Test("with compression: OPTIONS, then STARTUP asks for what SUPPORTED offers")
    func compression() {
        var offered = CQLConnectionStateMachine(credentials: nil, compression: .lz4)
        #expect(offered.channelActive() == .sendOptions)
        #expect(
            offered.handshakeMessage(.supported(CQLSupported(options: ["COMPRESSION": ["LZ4"]]))) == .sendStartup(.lz4))
        #expect(offered.negotiatedCompression == .lz4)
        var refused = CQLConnectionStateMachine(credentials: nil, compression: .lz4)
        _ = refused.channelActive()
        #expect(refused.handshakeMessage(.supported(CQLSupported(options: [:]))) == .sendStartup(nil))
    }

    @Test("PasswordAuthenticator: AUTHENTICATE → PLAIN token, AUTH_SUCCESS → ready")
    func auth() {
        var machine = CQLConnectionStateMachine(credentials: .init(username: "u", password: "p"))
        _ = machine.channelActive()
        let token: [UInt8] = [0, 0x75, 0, 0x70]
        #expect(
            machine.handshakeMessage(.authenticate(.init(authenticator: Self.password))) == .sendAuthResponse(token))
        #expect(
            machine.handshakeMessage(.authChallenge(.init(token: Array("PLAIN-START".utf8))))
                == .sendAuthResponse(token))
        #expect(machine.handshakeMessage(.authChallenge(.init(token: nil))) == .sendAuthResponse(nil))
        #expect(machine.handshakeMessage(.authSuccess(.init(token: nil))) == .handshakeSucceeded)
        #expect(machine.isReady)
    }

    @Test("AUTHENTICATE without credentials, an ERROR, an unexpected message or a close fail the handshake")
    func failures() {
        var noCredentials = CQLConnectionStateMachine(credentials: nil)
        _ = noCredentials.channelActive()
        #expect(
            noCredentials.handshakeMessage(.authenticate(.init(authenticator: Self.password)))
                == .handshakeFailed(.authenticationRequired(authenticator: Self.password)))

        var refused = CQLConnectionStateMachine(credentials: .init(username: "u", password: "bad"))
        _ = refused.channelActive()
        _ = refused.handshakeMessage(.authenticate(.init(authenticator: Self.password)))
        let error = CQLServerError(code: .authenticationError, message: "bad credentials")
        #expect(refused.handshakeMessage(.error(error)) == .handshakeFailed(.server(error)))
        #expect(refused.state == .closed)

        var unexpected = CQLConnectionStateMachine(credentials: nil)
        _ = unexpected.channelActive()
        guard case .handshakeFailed(.unexpected) = unexpected.handshakeMessage(.result(.void)) else {
            Issue.record("expected an unexpected-message failure")
            return
        }

        var closed = CQLConnectionStateMachine(credentials: nil)
        _ = closed.channelActive()
        #expect(closed.channelInactive() == .handshakeFailed(.closed))
        var ready = CQLConnectionStateMachine(credentials: nil)
        _ = ready.channelActive()
        _ = ready.handshakeMessage(.ready)
        #expect(ready.channelInactive() == .none)
    }

    @Test("stream ids: allocated until full, freed only by release, reused after their answer")
    func streamTable() {
        var table = CQLStreamTable<String>(capacity: 2)
        let a = table.allocate("a")
        let b = table.allocate("b")
        #expect(a == 0 && b == 1)
        #expect(table.allocate("c") == nil)
        #expect(table.isFull)
        #expect(table.release(7) == nil)
        #expect(table.release(0) == "a")
        #expect(table.allocate("d") == 0)
        #expect(table.removeAll().sorted() == ["b", "d"])
        #expect(!table.isFull)
    }
}
