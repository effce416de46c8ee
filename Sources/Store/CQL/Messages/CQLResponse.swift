import NIOCore

import struct Foundation.UUID

/// A decoded response frame: the message and the frame's prelude (tracing id, warnings, custom payload).
public struct CQLResponse: Sendable {
    /// The response message.
    public enum Message: Sendable {
        /// ERROR.
        case error(CQLServerError)
        /// READY.
        case ready
        /// AUTHENTICATE.
        case authenticate(CQLAuthenticate)
        /// SUPPORTED.
        case supported(CQLSupported)
        /// RESULT.
        case result(CQLResult)
        /// EVENT.
        case event(CQLEvent)
        /// AUTH_CHALLENGE.
        case authChallenge(CQLAuthChallenge)
        /// AUTH_SUCCESS.
        case authSuccess(CQLAuthSuccess)
    }

    /// The stream id of the frame.
    public var stream: Int16
    /// The message.
    public var message: Message
    /// The tracing session id, when tracing was requested.
    public var tracingID: UUID?
    /// Warnings the server attached.
    public var warnings: [String]
    /// A custom payload (ignored by Cassandra's default query handler).
    public var customPayload: [String: ByteBuffer?]

    /// Creates a response.
    public init(
        stream: Int16,
        message: Message,
        tracingID: UUID? = nil,
        warnings: [String] = [],
        customPayload: [String: ByteBuffer?] = [:]
    ) {
        self.stream = stream
        self.message = message
        self.tracingID = tracingID
        self.warnings = warnings
        self.customPayload = customPayload
    }

    /// Decodes a response frame: tracing id, warnings and custom payload when flagged, then the message.
    public static func decode(_ frame: CQLFrame) throws(CQLDecodingError) -> CQLResponse {
        var body = frame.body
        var tracingID: UUID?
        var warnings: [String] = []
        var customPayload: [String: ByteBuffer?] = [:]
        if frame.header.flags.contains(.tracing) {
            let b = try body.readCQLUUIDBytes()
            tracingID = UUID(
                uuid: (
                    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]
                ))
        }
        if frame.header.flags.contains(.warning) { warnings = try body.readCQLStringList() }
        if frame.header.flags.contains(.customPayload) { customPayload = try body.readCQLBytesMap() }
        let message: Message
        switch frame.header.opcode {
        case .error: message = .error(try CQLServerError.decode(from: &body))
        case .ready: message = .ready
        case .authenticate: message = .authenticate(try CQLAuthenticate.decode(from: &body))
        case .supported: message = .supported(try CQLSupported.decode(from: &body))
        case .result: message = .result(try CQLResult.decode(from: &body))
        case .event: message = .event(try CQLEvent.decode(from: &body))
        case .authChallenge: message = .authChallenge(try CQLAuthChallenge.decode(from: &body))
        case .authSuccess: message = .authSuccess(try CQLAuthSuccess.decode(from: &body))
        default: throw .invalid("response opcode \(frame.header.opcode)")
        }
        return CQLResponse(
            stream: frame.header.stream,
            message: message,
            tracingID: tracingID,
            warnings: warnings,
            customPayload: customPayload
        )
    }
}
