import NIOCore

/// QUERY (section 4.1.4): runs a CQL string.
public struct CQLQuery: Sendable, Hashable {
    /// The opcode.
    public static let opcode = CQLOpcode.query

    /// The CQL text.
    public var query: String
    /// Consistency, values, paging and the rest.
    public var parameters: CQLQueryParameters

    /// Creates a QUERY.
    public init(query: String, parameters: CQLQueryParameters) {
        self.query = query
        self.parameters = parameters
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeCQLLongString(self.query)
        self.parameters.encode(into: &buffer)
    }
}
