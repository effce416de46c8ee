import NIOCore

/// Writes frames: the 9-byte header then the body, compressed when a compression is set and the
/// message may be compressed (never STARTUP or OPTIONS, section 5).
public struct CQLFrameEncoder: Sendable {
    /// The algorithm bodies are compressed with; nil for none.
    public var compression: CQLCompression?

    /// Creates an encoder.
    public init(compression: CQLCompression? = nil) { self.compression = compression }

    /// Appends one frame to `buffer`.
    public func encode(_ frame: CQLFrame, into buffer: inout ByteBuffer) {
        var flags = frame.header.flags
        var body = frame.body
        if let compression, frame.header.opcode != .startup, frame.header.opcode != .options {
            body = compression.compress(body, allocator: ByteBufferAllocator())
            flags.insert(.compression)
        } else {
            flags.remove(.compression)
        }
        buffer.writeInteger(frame.header.version)
        buffer.writeInteger(flags.rawValue)
        buffer.writeInteger(frame.header.stream, endianness: .big)
        buffer.writeInteger(frame.header.opcode.rawValue)
        buffer.writeInteger(Int32(truncatingIfNeeded: body.readableBytes), endianness: .big)
        buffer.writeBuffer(&body)
    }
}
