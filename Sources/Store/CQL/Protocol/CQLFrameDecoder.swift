import NIOCore

/// Cuts a byte stream into frames. Returns `.needMoreData` on a partial frame.
///
/// Rejects a body longer than ``maximumBodyLength`` (the specification's 256 MB by default) and a
/// version byte that is not protocol 1-5 (it reads the body of any of those so that an ERROR from a
/// server speaking another version is still readable). When ``compression`` is set, a frame whose
/// compression flag is set is decompressed and the flag cleared.
public struct CQLFrameDecoder: ByteToMessageDecoder, Sendable {
    /// What one decoded frame is.
    public typealias InboundOut = CQLFrame

    /// The largest body accepted. Default: 256 MB.
    public var maximumBodyLength: Int
    /// The algorithm to decompress flagged bodies with; nil until negotiated.
    public var compression: CQLCompression?

    /// Creates a decoder.
    public init(maximumBodyLength: Int = 256 * 1024 * 1024, compression: CQLCompression? = nil) {
        self.maximumBodyLength = maximumBodyLength
        self.compression = compression
    }

    /// Decodes one frame, or asks for more data.
    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try self.decodeFrame(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    /// Decodes what is left when the channel closes.
    public mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        try self.decode(context: context, buffer: &buffer)
    }

    /// Reads one whole frame from the buffer, or returns nil (consuming nothing) when it is not all there.
    public mutating func decodeFrame(from buffer: inout ByteBuffer) throws -> CQLFrame? {
        guard buffer.readableBytes >= CQLFrame.Header.size else { return nil }
        let start = buffer.readerIndex
        guard let version = buffer.getInteger(at: start, as: UInt8.self),
            let flagsByte = buffer.getInteger(at: start + 1, as: UInt8.self),
            let stream = buffer.getInteger(at: start + 2, endianness: .big, as: Int16.self),
            let opcode = buffer.getInteger(at: start + 4, as: UInt8.self),
            let length = buffer.getInteger(at: start + 5, endianness: .big, as: Int32.self)
        else { return nil }
        let protocolVersion = version & ~CQLFrame.Header.responseBit
        guard (1...5).contains(protocolVersion) else {
            throw CQLDecodingError("unsupported protocol version byte 0x\(String(version, radix: 16))")
        }
        guard length >= 0, Int(length) <= self.maximumBodyLength else {
            throw CQLDecodingError("frame body of \(length) bytes exceeds the limit of \(self.maximumBodyLength)")
        }
        guard buffer.readableBytes >= CQLFrame.Header.size + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: CQLFrame.Header.size)
        guard var body = buffer.readSlice(length: Int(length)) else { return nil }
        var flags = CQLFrame.Flags(rawValue: flagsByte)
        if flags.contains(.compression) {
            guard let compression = self.compression else {
                throw CQLDecodingError("a compressed frame arrived but no compression was negotiated")
            }
            body = try compression.decompress(body, maximumLength: self.maximumBodyLength)
            flags.remove(.compression)
        }
        let header = CQLFrame.Header(
            version: version, flags: flags, stream: stream, opcode: CQLOpcode(rawValue: opcode))
        return CQLFrame(header: header, body: body)
    }
}
