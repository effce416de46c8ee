/// The opcode of a frame (section 2.4).
public struct CQLOpcode: Sendable, Hashable, CustomStringConvertible {
    /// The byte on the wire.
    public let rawValue: UInt8

    /// Wraps a byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// ERROR (response).
    public static let error = CQLOpcode(rawValue: 0x00)
    /// STARTUP (request).
    public static let startup = CQLOpcode(rawValue: 0x01)
    /// READY (response).
    public static let ready = CQLOpcode(rawValue: 0x02)
    /// AUTHENTICATE (response).
    public static let authenticate = CQLOpcode(rawValue: 0x03)
    /// OPTIONS (request).
    public static let options = CQLOpcode(rawValue: 0x05)
    /// SUPPORTED (response).
    public static let supported = CQLOpcode(rawValue: 0x06)
    /// QUERY (request).
    public static let query = CQLOpcode(rawValue: 0x07)
    /// RESULT (response).
    public static let result = CQLOpcode(rawValue: 0x08)
    /// PREPARE (request).
    public static let prepare = CQLOpcode(rawValue: 0x09)
    /// EXECUTE (request).
    public static let execute = CQLOpcode(rawValue: 0x0A)
    /// REGISTER (request).
    public static let register = CQLOpcode(rawValue: 0x0B)
    /// EVENT (response, stream -1).
    public static let event = CQLOpcode(rawValue: 0x0C)
    /// BATCH (request).
    public static let batch = CQLOpcode(rawValue: 0x0D)
    /// AUTH_CHALLENGE (response).
    public static let authChallenge = CQLOpcode(rawValue: 0x0E)
    /// AUTH_RESPONSE (request).
    public static let authResponse = CQLOpcode(rawValue: 0x0F)
    /// AUTH_SUCCESS (response).
    public static let authSuccess = CQLOpcode(rawValue: 0x10)

    /// The opcode's name in the specification.
    public var description: String {
        switch self.rawValue {
        case 0x00: "ERROR"
        case 0x01: "STARTUP"
        case 0x02: "READY"
        case 0x03: "AUTHENTICATE"
        case 0x05: "OPTIONS"
        case 0x06: "SUPPORTED"
        case 0x07: "QUERY"
        case 0x08: "RESULT"
        case 0x09: "PREPARE"
        case 0x0A: "EXECUTE"
        case 0x0B: "REGISTER"
        case 0x0C: "EVENT"
        case 0x0D: "BATCH"
        case 0x0E: "AUTH_CHALLENGE"
        case 0x0F: "AUTH_RESPONSE"
        case 0x10: "AUTH_SUCCESS"
        default: "0x\(String(self.rawValue, radix: 16))"
        }
    }
}
