import NIOCore

/// READY (section 4.2.2): the connection is ready for queries. The body is empty.
public struct CQLReady: Sendable, Hashable {
    /// The opcode.
    public static let opcode = CQLOpcode.ready

    /// Creates a READY.
    public init() {}

    /// Reads the (empty) body.
    public static func decode(from buffer: inout ByteBuffer) -> CQLReady { CQLReady() }
}
