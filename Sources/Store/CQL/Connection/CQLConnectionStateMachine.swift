/// The handshake of one connection as a pure state machine: OPTIONS/SUPPORTED (only when compression is
/// wanted, to ask for it only if the server offers it), STARTUP, optional SASL authentication, READY.
///
/// Each event returns the action the channel handler carries out; the machine does no I/O.
struct CQLConnectionStateMachine {
    enum State: Equatable {
        /// Not yet active.
        case initialized
        /// OPTIONS sent; waiting for SUPPORTED.
        case optionsSent
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
        /// Send OPTIONS on stream 0.
        case sendOptions
        /// Send STARTUP on stream 0, asking for this compression.
        case sendStartup(CQLCompression?)
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
    private let compression: CQLCompression?
    /// The compression agreed in STARTUP (nil: none).
    private(set) var negotiatedCompression: CQLCompression?

    init(credentials: CQLCredentials?, compression: CQLCompression? = nil) {
        self.credentials = credentials
        self.compression = compression
    }

    /// The channel became active (or the handler was added to an active channel).
    mutating func channelActive() -> Action {
        switch self.state {
        case .initialized:
            if self.compression != nil {
                self.state = .optionsSent
                return .sendOptions
            }
            self.state = .startupSent
            return .sendStartup(nil)
        case .optionsSent, .startupSent, .authenticating, .ready, .closed:
            return .none
        }
    }

    /// A response arrived on a handshake stream.
    mutating func handshakeMessage(_ message: CQLResponse.Message) -> Action {
        switch (self.state, message) {
        case (.optionsSent, .supported(let supported)):
            let offered = (supported.options["COMPRESSION"] ?? []).map { $0.lowercased() }
            let wanted = self.compression.flatMap { offered.contains($0.name) ? $0 : nil }
            self.negotiatedCompression = wanted
            self.state = .startupSent
            return .sendStartup(wanted)
        case (.startupSent, .ready):
            self.state = .ready
            return .handshakeSucceeded
        case (.startupSent, .authenticate(let authenticate)):
            guard let credentials = self.credentials else {
                self.state = .closed
                return .handshakeFailed(.authenticationRequired(authenticator: authenticate.authenticator))
            }
            self.state = .authenticating
            return .sendAuthResponse(
                CQLAuthResponse.plain(username: credentials.username, password: credentials.password).token)
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
        case (.optionsSent, .error(let error)), (.startupSent, .error(let error)), (.authenticating, .error(let error)):
            self.state = .closed
            return .handshakeFailed(.server(error))
        case (.optionsSent, _), (.startupSent, _), (.authenticating, _):
            self.state = .closed
            return .handshakeFailed(.unexpected("unexpected \(message) during the handshake"))
        case (.initialized, _), (.ready, _), (.closed, _):
            return .none
        }
    }

    /// The channel closed.
    mutating func channelInactive() -> Action {
        switch self.state {
        case .initialized, .optionsSent, .startupSent, .authenticating:
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
    var isHandshaking: Bool {
        switch self.state {
        case .optionsSent, .startupSent, .authenticating: true
        case .initialized, .ready, .closed: false
        }
    }
}
