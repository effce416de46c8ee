/// A client-side failure: the connection, a timeout, the handshake or the request itself.
///
/// Errors the server sends are ``CQLServerError``. ``isTransient`` (or ``isTransient(_:)`` for any error) tells
/// whether trying again later may succeed.
public struct CQLError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Sendable, Hashable {
            case connectionClosed, timeout, authenticationRequired, unsupportedAuthenticator, protocolViolation
            case noHostAvailable, clientClosed, invalidArgument, connectFailed, tlsFailed
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The connection closed (or failed) before the answer arrived; the request may or may not have run.
        public static let connectionClosed = Code(.connectionClosed)
        /// No answer (or no free stream id to send on) within the request timeout; the request may or may not have
        /// run.
        public static let timeout = Code(.timeout)
        /// The server requires authentication but no credentials were configured.
        public static let authenticationRequired = Code(.authenticationRequired)
        /// The server asked for an authenticator this client does not speak.
        public static let unsupportedAuthenticator = Code(.unsupportedAuthenticator)
        /// The server sent something the protocol does not allow here.
        public static let protocolViolation = Code(.protocolViolation)
        /// No host could take the request; ``CQLError/causes`` says why, host by host.
        public static let noHostAvailable = Code(.noHostAvailable)
        /// The client or connection was closed by its owner.
        public static let clientClosed = Code(.clientClosed)
        /// The request itself is malformed (e.g. a wrong number of values).
        public static let invalidArgument = Code(.invalidArgument)
        /// A TCP/TLS connection could not be opened; the request was not sent.
        public static let connectFailed = Code(.connectFailed)
        /// The TLS handshake failed: the server does not speak TLS on that port, or its certificate is not trusted.
        /// Trying again does not help; the configuration must change.
        public static let tlsFailed = Code(.tlsFailed)

        /// The code's name.
        public var description: String { "\(self.base)" }

        /// Whether a failure of this kind may pass by itself (``noHostAvailable`` depends on its causes).
        var isTransient: Bool {
            switch self.base {
            case .connectionClosed, .timeout, .connectFailed, .noHostAvailable: true
            case .authenticationRequired, .unsupportedAuthenticator, .protocolViolation, .clientClosed,
                .invalidArgument, .tlsFailed:
                false
            }
        }
    }

    /// Why one host could not take a request (an entry of ``CQLError/causes``).
    public struct HostFailure: Sendable, CustomStringConvertible {
        /// The host, `address:port`.
        public var host: String
        /// What went wrong there: a ``CQLError`` or a ``CQLServerError``.
        public var error: any Error

        /// Creates an entry.
        public init(host: String, error: any Error) {
            self.host = host
            self.error = error
        }

        /// `host: error`.
        public var description: String { "\(self.host): \(self.error)" }
    }

    /// The kind of failure.
    public var code: Code
    /// Details, in words.
    public var message: String
    /// The host concerned, when known.
    public var host: String?
    /// The error behind this one.
    public var underlying: (any Error)?
    /// For ``Code/noHostAvailable``: the failure on each host that was tried or is down, in order.
    public var causes: [HostFailure]

    /// Creates an error.
    public init(
        code: Code,
        message: String,
        host: String? = nil,
        underlying: (any Error)? = nil,
        causes: [HostFailure] = []
    ) {
        self.code = code
        self.message = message
        self.host = host
        self.underlying = underlying
        self.causes = causes
    }

    /// Whether the same request may succeed if tried again later: true for a lost or refused connection and a
    /// timeout; for ``Code/noHostAvailable``, true when every cause is transient (so all hosts refusing the
    /// credentials is not), or when there is no cause; false for a closed client, a malformed request,
    /// missing or unsupported authentication and a protocol violation.
    public var isTransient: Bool {
        guard self.code.isTransient else { return false }
        guard self.code == .noHostAvailable else { return true }
        if !self.causes.isEmpty { return self.causes.allSatisfy { Self.isTransient($0.error) } }
        return self.underlying.map(Self.isTransient) ?? true
    }

    /// Whether retrying later may succeed after `error`: ``CQLError/isTransient`` or ``CQLServerError/isTransient``;
    /// false for any other error (a cancelled task, a value that does not decode).
    /// - Parameter error: What a ``CQLClient`` or ``CQLConnection`` call threw.
    public static func isTransient(_ error: any Error) -> Bool {
        if let error = error as? CQLError { return error.isTransient }
        if let error = error as? CQLServerError { return error.isTransient }
        return false
    }

    /// A human-readable description.
    public var description: String {
        var text = "CQL \(self.code): \(self.message)"
        if let host { text += " [host \(host)]" }
        if let underlying { text += " (\(underlying))" }
        return text
    }
}
