import NIOCore

/// STARTUP (section 4.1.1): the first message of a connection, a [string map] of options.
public struct CQLStartup: Sendable, Hashable {
    /// The opcode.
    public static let opcode = CQLOpcode.startup
    /// The CQL version this client speaks.
    public static let cqlVersion = "3.0.0"

    /// `COMPRESSION`, when frames should be compressed.
    public var compression: CQLCompression?

    /// Creates a STARTUP.
    public init(compression: CQLCompression? = nil) { self.compression = compression }

    /// The options in wire order.
    public var options: [(String, String)] {
        var options = [("CQL_VERSION", Self.cqlVersion)]
        if let compression { options.append(("COMPRESSION", compression.name)) }
        return options
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) { buffer.writeCQLStringMap(self.options) }

    /// Reads a body (used by test servers).
    public static func decode(from buffer: inout ByteBuffer) throws -> [String: String] {
        try buffer.readCQLStringMap()
    }
}
