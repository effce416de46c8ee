/// The handshake of one connection as a pure state machine: STARTUP, optional SASL authentication, READY.
///
/// Each event returns the action the channel handler carries out; the machine does no I/O.
struct CQLConnectionStateMachine {
    enum State: Equatable {
        /// Not yet active.
        case initialized
        /// STARTUP sent; waiting for READY or AUTHENTICATE.
        case startupSent
        /// AUTH_RESPONSE sent; waiting for AUTH_CHALLENGE, AUTH_SUCCESS or ERROR.
        case authenticating
        /// Requests may flow.
        case ready
        /// The channel is closing or closed.
        case closed
    }

    enum Action: Equatable {
        /// Send STARTUP on stream 0.
        case sendStartup
        /// Send AUTH_RESPONSE with this token on stream 0.
        case sendAuthResponse([UInt8]?)
        /// The handshake finished: release queued requests.
        case handshakeSucceeded
        /// The handshake failed: fail everything and close.
        case handshakeFailed(HandshakeFailure)
        /// Nothing to do.
        case none
    }

    enum HandshakeFailure: Equatable {
        case server(CQLServerError)
        case authenticationRequired(authenticator: String)
        case unexpected(String)
        case closed
    }

    private(set) var state: State = .initialized
    private let credentials: CQLCredentials?

    init(credentials: CQLCredentials?) { self.credentials = credentials }

    /// The channel became active (or the handler was added to an active channel).
    mutating func channelActive() -> Action {
        switch self.state {
        case .initialized:
            self.state = .startupSent
            return .sendStartup
        case .startupSent, .authenticating, .ready, .closed:
            return .none
        }
    }

    /// A response arrived on a handshake stream.
    mutating func handshakeMessage(_ message: CQLResponse.Message) -> Action {
        switch (self.state, message) {
        case (.startupSent, .ready):
            self.state = .ready
            return .handshakeSucceeded
        case (.startupSent, .authenticate(let authenticate)):
            guard let credentials = self.credentials else {
                self.state = .closed
                return .handshakeFailed(.authenticationRequired(authenticator: authenticate.authenticator))
            }
            self.state = .authenticating
            return .sendAuthResponse(CQLAuthResponse.plain(username: credentials.username, password: credentials.password).token)
        case (.authenticating, .authChallenge(let challenge)):
            // PasswordAuthenticator never challenges; a DSE-style "PLAIN-START" challenge gets the credentials again.
            guard let credentials = self.credentials else { return .sendAuthResponse(nil) }
            if challenge.token.map({ String(decoding: $0, as: UTF8.self) }) == "PLAIN-START" {
                return .sendAuthResponse(
                    CQLAuthResponse.plain(username: credentials.username, password: credentials.password).token
                )
            }
            return .sendAuthResponse(nil)
        case (.authenticating, .authSuccess):
            self.state = .ready
            return .handshakeSucceeded
        case (.startupSent, .error(let error)), (.authenticating, .error(let error)):
            self.state = .closed
            return .handshakeFailed(.server(error))
        case (.startupSent, _), (.authenticating, _):
            self.state = .closed
            return .handshakeFailed(.unexpected("unexpected \(message) during the handshake"))
        case (.initialized, _), (.ready, _), (.closed, _):
            return .none
        }
    }

    /// The channel closed.
    mutating func channelInactive() -> Action {
        switch self.state {
        case .initialized, .startupSent, .authenticating:
            self.state = .closed
            return .handshakeFailed(.closed)
        case .ready, .closed:
            self.state = .closed
            return .none
        }
    }

    /// Whether requests may be written now.
    var isReady: Bool { self.state == .ready }
    /// Whether the handshake is in progress.
    var isHandshaking: Bool { self.state == .startupSent || self.state == .authenticating }
}

