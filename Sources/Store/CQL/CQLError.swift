/// A client-side failure: the connection, a timeout, the handshake or the request itself.
///
/// Errors the server sends are ``CQLServerError``.
public struct CQLError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Sendable, Hashable {
            case connectionClosed, timeout, authenticationRequired, unsupportedAuthenticator, protocolViolation
            case noHostAvailable, clientClosed, invalidArgument, connectFailed
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The connection closed (or failed) before the answer arrived; the request may or may not have run.
        public static let connectionClosed = Code(.connectionClosed)
        /// No answer within the request timeout; the request may or may not have run.
        public static let timeout = Code(.timeout)
        /// The server requires authentication but no credentials were configured.
        public static let authenticationRequired = Code(.authenticationRequired)
        /// The server asked for an authenticator this client does not speak.
        public static let unsupportedAuthenticator = Code(.unsupportedAuthenticator)
        /// The server sent something the protocol does not allow here.
        public static let protocolViolation = Code(.protocolViolation)
        /// No host could take the request.
        public static let noHostAvailable = Code(.noHostAvailable)
        /// The client or connection was closed by its owner.
        public static let clientClosed = Code(.clientClosed)
        /// The request itself is malformed (e.g. a wrong number of values).
        public static let invalidArgument = Code(.invalidArgument)
        /// A TCP/TLS connection could not be opened; the request was not sent.
        public static let connectFailed = Code(.connectFailed)

        /// The code's name.
        public var description: String { "\(self.base)" }
    }

    /// The kind of failure.
    public var code: Code
    /// Details, in words.
    public var message: String
    /// The host concerned, when known.
    public var host: String?
    /// The error behind this one.
    public var underlying: (any Error)?

    /// Creates an error.
    public init(code: Code, message: String, host: String? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.host = host
        self.underlying = underlying
    }

    /// A human-readable description.
    public var description: String {
        var text = "CQL \(self.code): \(self.message)"
        if let host { text += " [host \(host)]" }
        if let underlying { text += " (\(underlying))" }
        return text
    }
}
