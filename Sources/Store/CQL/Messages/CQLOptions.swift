import NIOCore

/// OPTIONS (section 4.1.3): asks which STARTUP options the server supports. The body is empty.
public struct CQLOptions: Sendable, Hashable {
    /// The opcode.
    public static let opcode = CQLOpcode.options

    /// Creates an OPTIONS.
    public init() {}

    /// Writes the (empty) body.
    public func encode(into buffer: inout ByteBuffer) {}
}
