import NIOCore

/// AUTH_CHALLENGE (section 4.2.7): a server challenge token, answered with AUTH_RESPONSE.
public struct CQLAuthChallenge: Sendable, Hashable {
    /// The opcode.
    public static let opcode = CQLOpcode.authChallenge

    /// The challenge; nil when the server sent a null [bytes].
    public var token: [UInt8]?

    /// Creates an AUTH_CHALLENGE.
    public init(token: [UInt8]?) { self.token = token }

    /// Reads the body.
    public static func decode(from buffer: inout ByteBuffer) throws(CQLDecodingError) -> CQLAuthChallenge {
        CQLAuthChallenge(token: try buffer.readCQLBytes().map { Array($0.readableBytesView) })
    }
}
