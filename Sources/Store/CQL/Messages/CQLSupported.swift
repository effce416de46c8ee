import NIOCore

/// SUPPORTED (section 4.2.4): a [string multimap] of STARTUP options and their values.
public struct CQLSupported: Sendable, Hashable {
    /// The opcode.
    public static let opcode = CQLOpcode.supported

    /// Option name to supported values, e.g. `COMPRESSION: [snappy, lz4]`.
    public var options: [String: [String]]

    /// Creates a SUPPORTED.
    public init(options: [String: [String]]) { self.options = options }

    /// Reads the body.
    public static func decode(from buffer: inout ByteBuffer) throws(CQLDecodingError) -> CQLSupported {
        CQLSupported(options: try buffer.readCQLStringMultimap())
    }

    /// Writes the body (used by test servers).
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeCQLShort(UInt16(truncatingIfNeeded: self.options.count))
        for (key, values) in self.options.sorted(by: { $0.key < $1.key }) {
            buffer.writeCQLString(key)
            buffer.writeCQLStringList(values)
        }
    }
}
