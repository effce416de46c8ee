import NIOCore

/// PREPARE (section 4.1.5): prepares a query; answered with a RESULT of kind Prepared.
public struct CQLPrepare: Sendable, Hashable {
    /// The opcode.
    public static let opcode = CQLOpcode.prepare

    /// The CQL text.
    public var query: String

    /// Creates a PREPARE.
    public init(query: String) { self.query = query }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) { buffer.writeCQLLongString(self.query) }
}
