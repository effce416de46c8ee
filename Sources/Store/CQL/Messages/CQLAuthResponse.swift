import NIOCore

/// AUTH_RESPONSE (section 4.1.2): a SASL token answering AUTHENTICATE or AUTH_CHALLENGE.
public struct CQLAuthResponse: Sendable, Hashable {
    /// The opcode.
    public static let opcode = CQLOpcode.authResponse

    /// The token; nil is written as a null [bytes].
    public var token: [UInt8]?

    /// Creates an AUTH_RESPONSE.
    public init(token: [UInt8]?) { self.token = token }

    /// The SASL PLAIN token of `PasswordAuthenticator`: `\0username\0password` (empty authorization id).
    public static func plain(username: String, password: String) -> CQLAuthResponse {
        CQLAuthResponse(token: [0] + Array(username.utf8) + [0] + Array(password.utf8))
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        if let token {
            buffer.writeCQLBytes(token)
        } else {
            buffer.writeCQLInt(-1)
        }
    }
}
