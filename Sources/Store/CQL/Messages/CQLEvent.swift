import NIOCore

/// EVENT (section 4.2.6): a server push on stream -1 for a REGISTERed type.
public enum CQLEvent: Sendable, Hashable {
    /// `TOPOLOGY_CHANGE`: `NEW_NODE` or `REMOVED_NODE` and the node's address.
    case topologyChange(change: String, address: CQLInet)
    /// `STATUS_CHANGE`: `UP` or `DOWN` and the node's address.
    case statusChange(change: String, address: CQLInet)
    /// `SCHEMA_CHANGE`.
    case schemaChange(CQLSchemaChange)

    /// The opcode.
    public static let opcode = CQLOpcode.event

    /// Reads the body.
    public static func decode(from buffer: inout ByteBuffer) throws(CQLDecodingError) -> CQLEvent {
        let type = try buffer.readCQLString()
        switch type {
        case "TOPOLOGY_CHANGE":
            let change = try buffer.readCQLString()
            return .topologyChange(change: change, address: try buffer.readCQLInet())
        case "STATUS_CHANGE":
            let change = try buffer.readCQLString()
            return .statusChange(change: change, address: try buffer.readCQLInet())
        case "SCHEMA_CHANGE":
            return .schemaChange(try CQLSchemaChange.decode(from: &buffer))
        default:
            throw .invalid("event type \(type)")
        }
    }
}
