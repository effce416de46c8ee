import NIOCore

/// One frame of the native protocol: the 9-byte header (section 2) and the body.
public struct CQLFrame: Sendable, Hashable {
    /// The header fields.
    public var header: Header
    /// The body, already decompressed when the frame arrived compressed.
    public var body: ByteBuffer

    /// Creates a frame.
    public init(header: Header, body: ByteBuffer) {
        self.header = header
        self.body = body
    }

    /// The 9-byte frame header.
    public struct Header: Sendable, Hashable {
        /// The size of a header on the wire.
        public static let size = 9
        /// The protocol version this client speaks.
        public static let protocolVersion: UInt8 = 0x04
        /// The direction bit of the version byte (set on responses).
        public static let responseBit: UInt8 = 0x80

        /// The version byte: 0x04 for a request, 0x84 for a response.
        public var version: UInt8
        /// The frame's flags.
        public var flags: Flags
        /// The stream id; -1 for server events.
        public var stream: Int16
        /// The message kind.
        public var opcode: CQLOpcode

        /// Creates a header.
        public init(version: UInt8 = Header.protocolVersion, flags: Flags = [], stream: Int16, opcode: CQLOpcode) {
            self.version = version
            self.flags = flags
            self.stream = stream
            self.opcode = opcode
        }

        /// Whether the version byte marks a response.
        public var isResponse: Bool { self.version & Self.responseBit != 0 }
    }

    /// The flags byte (section 2.2).
    public struct Flags: OptionSet, Sendable, Hashable {
        /// The raw byte.
        public var rawValue: UInt8
        /// Creates flags from a byte.
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// 0x01: the body is compressed with the algorithm negotiated in STARTUP.
        public static let compression = Flags(rawValue: 0x01)
        /// 0x02: tracing requested (request) or a tracing id leads the body (response).
        public static let tracing = Flags(rawValue: 0x02)
        /// 0x04: a custom payload ([bytes map]) is in the body.
        public static let customPayload = Flags(rawValue: 0x04)
        /// 0x08: the response body starts with warnings ([string list]).
        public static let warning = Flags(rawValue: 0x08)
    }
}
