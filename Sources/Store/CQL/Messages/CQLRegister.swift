import NIOCore

/// REGISTER (section 4.1.8): subscribes the connection to server events; answered with READY.
public struct CQLRegister: Sendable, Hashable {
    /// The opcode.
    public static let opcode = CQLOpcode.register

    /// Event types: `TOPOLOGY_CHANGE`, `STATUS_CHANGE`, `SCHEMA_CHANGE`.
    public var eventTypes: [String]

    /// Creates a REGISTER.
    public init(eventTypes: [String] = ["TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"]) {
        self.eventTypes = eventTypes
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) { buffer.writeCQLStringList(self.eventTypes) }
}
