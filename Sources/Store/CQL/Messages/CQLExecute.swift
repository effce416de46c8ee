import NIOCore

/// EXECUTE (section 4.1.6): runs a prepared statement by id.
public struct CQLExecute: Sendable, Hashable {
    /// The opcode.
    public static let opcode = CQLOpcode.execute

    /// The prepared statement id ([short bytes]).
    public var id: [UInt8]
    /// Consistency, values, paging and the rest.
    public var parameters: CQLQueryParameters

    /// Creates an EXECUTE.
    public init(id: [UInt8], parameters: CQLQueryParameters) {
        self.id = id
        self.parameters = parameters
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeCQLShortBytes(self.id)
        self.parameters.encode(into: &buffer)
    }
}
