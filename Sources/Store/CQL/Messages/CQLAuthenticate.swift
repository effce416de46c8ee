import NIOCore

/// AUTHENTICATE (section 4.2.3): the server requires authentication with the named authenticator.
public struct CQLAuthenticate: Sendable, Hashable {
    /// The opcode.
    public static let opcode = CQLOpcode.authenticate

    /// The authenticator's Java class, e.g. `org.apache.cassandra.auth.PasswordAuthenticator`.
    public var authenticator: String

    /// Creates an AUTHENTICATE.
    public init(authenticator: String) { self.authenticator = authenticator }

    /// Reads the body.
    public static func decode(from buffer: inout ByteBuffer) throws(CQLDecodingError) -> CQLAuthenticate {
        CQLAuthenticate(authenticator: try buffer.readCQLString())
    }

    /// Writes the body (used by test servers).
    public func encode(into buffer: inout ByteBuffer) { buffer.writeCQLString(self.authenticator) }
}
