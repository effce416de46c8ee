import NIOCore

/// A request message, ready to be framed.
public enum CQLRequest: Sendable, Hashable {
    /// STARTUP.
    case startup(CQLStartup)
    /// AUTH_RESPONSE.
    case authResponse(CQLAuthResponse)
    /// OPTIONS.
    case options
    /// QUERY.
    case query(CQLQuery)
    /// PREPARE.
    case prepare(CQLPrepare)
    /// EXECUTE.
    case execute(CQLExecute)
    /// BATCH.
    case batch(CQLBatch)
    /// REGISTER.
    case register(CQLRegister)

    /// The message's opcode.
    public var opcode: CQLOpcode {
        switch self {
        case .startup: CQLStartup.opcode
        case .authResponse: CQLAuthResponse.opcode
        case .options: CQLOptions.opcode
        case .query: CQLQuery.opcode
        case .prepare: CQLPrepare.opcode
        case .execute: CQLExecute.opcode
        case .batch: CQLBatch.opcode
        case .register: CQLRegister.opcode
        }
    }

    /// Writes the message body.
    public func encodeBody(into buffer: inout ByteBuffer) {
        switch self {
        case .startup(let m): m.encode(into: &buffer)
        case .authResponse(let m): m.encode(into: &buffer)
        case .options: CQLOptions().encode(into: &buffer)
        case .query(let m): m.encode(into: &buffer)
        case .prepare(let m): m.encode(into: &buffer)
        case .execute(let m): m.encode(into: &buffer)
        case .batch(let m): m.encode(into: &buffer)
        case .register(let m): m.encode(into: &buffer)
        }
    }

    /// The request as a frame on `stream`.
    public func frame(
        stream: Int16, tracing: Bool = false, allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) -> CQLFrame {
        var body = allocator.buffer(capacity: 64)
        self.encodeBody(into: &body)
        return CQLFrame(
            header: CQLFrame.Header(flags: tracing ? [.tracing] : [], stream: stream, opcode: self.opcode),
            body: body
        )
    }
}
