import NIOCore

/// AUTH_SUCCESS (section 4.2.8): authentication succeeded; the connection is ready.
public struct CQLAuthSuccess: Sendable, Hashable {
    /// The opcode.
    public static let opcode = CQLOpcode.authSuccess

    /// Final information from the authenticator (usually null).
    public var token: [UInt8]?

    /// Creates an AUTH_SUCCESS.
    public init(token: [UInt8]?) { self.token = token }

    /// Reads the body.
    public static func decode(from buffer: inout ByteBuffer) throws(CQLDecodingError) -> CQLAuthSuccess {
        CQLAuthSuccess(token: try buffer.readCQLBytes().map { Array($0.readableBytesView) })
    }
}
