import NIOCore

/// ERROR (sections 4.2.1 and 9): the server refused or failed a request.
///
/// Code-specific details are optional properties, set for the codes that carry them.
public struct CQLServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An error code of section 9 (unknown codes are kept as they are).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Known: Int32 {
            case serverError = 0x0000
            case protocolError = 0x000A
            case authenticationError = 0x0100
            case unavailable = 0x1000
            case overloaded = 0x1001
            case isBootstrapping = 0x1002
            case truncateError = 0x1003
            case writeTimeout = 0x1100
            case readTimeout = 0x1200
            case readFailure = 0x1300
            case functionFailure = 0x1400
            case writeFailure = 0x1500
            case syntaxError = 0x2000
            case unauthorized = 0x2100
            case invalid = 0x2200
            case configError = 0x2300
            case alreadyExists = 0x2400
            case unprepared = 0x2500
        }

        /// The [int] on the wire.
        public let rawValue: Int32

        /// Wraps a wire code.
        public init(rawValue: Int32) { self.rawValue = rawValue }
        private init(_ known: Known) { self.rawValue = known.rawValue }

        /// 0x0000 Server error (a server-side bug).
        public static let serverError = Code(.serverError)
        /// 0x000A Protocol error.
        public static let protocolError = Code(.protocolError)
        /// 0x0100 Authentication error (wrong credentials).
        public static let authenticationError = Code(.authenticationError)
        /// 0x1000 Unavailable: not enough replicas alive.
        public static let unavailable = Code(.unavailable)
        /// 0x1001 Overloaded coordinator.
        public static let overloaded = Code(.overloaded)
        /// 0x1002 The coordinator is bootstrapping.
        public static let isBootstrapping = Code(.isBootstrapping)
        /// 0x1003 Truncate error.
        public static let truncateError = Code(.truncateError)
        /// 0x1100 Write timeout.
        public static let writeTimeout = Code(.writeTimeout)
        /// 0x1200 Read timeout.
        public static let readTimeout = Code(.readTimeout)
        /// 0x1300 Read failure.
        public static let readFailure = Code(.readFailure)
        /// 0x1400 A user-defined function failed.
        public static let functionFailure = Code(.functionFailure)
        /// 0x1500 Write failure.
        public static let writeFailure = Code(.writeFailure)
        /// 0x2000 Syntax error.
        public static let syntaxError = Code(.syntaxError)
        /// 0x2100 Unauthorized.
        public static let unauthorized = Code(.unauthorized)
        /// 0x2200 Invalid query.
        public static let invalid = Code(.invalid)
        /// 0x2300 Configuration error.
        public static let configError = Code(.configError)
        /// 0x2400 The keyspace or table already exists.
        public static let alreadyExists = Code(.alreadyExists)
        /// 0x2500 The prepared statement id is unknown to this node.
        public static let unprepared = Code(.unprepared)

        /// The name of section 9, e.g. `Write_timeout`.
        public var description: String {
            guard let known = Known(rawValue: self.rawValue) else { return "0x\(String(self.rawValue, radix: 16))" }
            switch known {
            case .serverError: return "Server_error"
            case .protocolError: return "Protocol_error"
            case .authenticationError: return "Authentication_error"
            case .unavailable: return "Unavailable"
            case .overloaded: return "Overloaded"
            case .isBootstrapping: return "Is_bootstrapping"
            case .truncateError: return "Truncate_error"
            case .writeTimeout: return "Write_timeout"
            case .readTimeout: return "Read_timeout"
            case .readFailure: return "Read_failure"
            case .functionFailure: return "Function_failure"
            case .writeFailure: return "Write_failure"
            case .syntaxError: return "Syntax_error"
            case .unauthorized: return "Unauthorized"
            case .invalid: return "Invalid"
            case .configError: return "Config_error"
            case .alreadyExists: return "Already_exists"
            case .unprepared: return "Unprepared"
            }
        }

        /// Whether an error with this code may pass by itself (see ``CQLServerError/isTransient``).
        var isTransient: Bool {
            guard let known = Known(rawValue: self.rawValue) else { return false }
            switch known {
            case .unavailable, .overloaded, .isBootstrapping, .writeTimeout, .readTimeout, .serverError,
                .truncateError, .unprepared:
                return true
            case .protocolError, .authenticationError, .syntaxError, .unauthorized, .invalid, .configError,
                .readFailure, .writeFailure, .functionFailure, .alreadyExists:
                return false
            }
        }
    }

    /// The error code.
    public var code: Code
    /// The server's message.
    public var message: String
    /// Unavailable, timeouts and failures: the consistency level of the request.
    public var consistency: CQLConsistency?
    /// Unavailable: replicas required.
    public var required: Int32?
    /// Unavailable: replicas alive.
    public var alive: Int32?
    /// Timeouts and failures: replicas that answered.
    public var received: Int32?
    /// Timeouts and failures: replicas whose answer was required.
    public var blockFor: Int32?
    /// Read/write failures: replicas that failed.
    public var numFailures: Int32?
    /// Write timeout/failure: `SIMPLE`, `BATCH`, `UNLOGGED_BATCH`, `COUNTER`, `BATCH_LOG`...
    public var writeType: String?
    /// Read timeout/failure: whether the data replica answered.
    public var dataPresent: Bool?
    /// Function failure and Already_exists: the keyspace.
    public var keyspace: String?
    /// Already_exists: the table ("" when the keyspace exists).
    public var table: String?
    /// Function failure: the function name.
    public var function: String?
    /// Function failure: the argument types.
    public var argumentTypes: [String]?
    /// Unprepared: the unknown statement id.
    public var unpreparedID: [UInt8]?

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The opcode.
    public static let opcode = CQLOpcode.error

    /// Whether the same request may succeed on another node or later: true for Unavailable, Overloaded,
    /// Is_bootstrapping, Write_timeout, Read_timeout, Server_error, Truncate_error and Unprepared (the node
    /// forgot the statement; it is prepared again); false for Authentication_error, Unauthorized, Syntax_error,
    /// Invalid, Config_error, Protocol_error, Already_exists, Read_failure, Write_failure, Function_failure and
    /// codes this client does not know.
    public var isTransient: Bool { self.code.isTransient }

    /// Reads the body.
    public static func decode(from buffer: inout ByteBuffer) throws(CQLDecodingError) -> CQLServerError {
        let code = Code(rawValue: try buffer.readCQLInt())
        var error = CQLServerError(code: code, message: try buffer.readCQLString())
        switch code {
        case .unavailable:
            error.consistency = try buffer.readCQLConsistency()
            error.required = try buffer.readCQLInt()
            error.alive = try buffer.readCQLInt()
        case .writeTimeout:
            error.consistency = try buffer.readCQLConsistency()
            error.received = try buffer.readCQLInt()
            error.blockFor = try buffer.readCQLInt()
            error.writeType = try buffer.readCQLString()
        case .readTimeout:
            error.consistency = try buffer.readCQLConsistency()
            error.received = try buffer.readCQLInt()
            error.blockFor = try buffer.readCQLInt()
            error.dataPresent = try buffer.readCQLByte() != 0
        case .readFailure:
            error.consistency = try buffer.readCQLConsistency()
            error.received = try buffer.readCQLInt()
            error.blockFor = try buffer.readCQLInt()
            error.numFailures = try buffer.readCQLInt()
            error.dataPresent = try buffer.readCQLByte() != 0
        case .functionFailure:
            error.keyspace = try buffer.readCQLString()
            error.function = try buffer.readCQLString()
            error.argumentTypes = try buffer.readCQLStringList()
        case .writeFailure:
            error.consistency = try buffer.readCQLConsistency()
            error.received = try buffer.readCQLInt()
            error.blockFor = try buffer.readCQLInt()
            error.numFailures = try buffer.readCQLInt()
            error.writeType = try buffer.readCQLString()
        case .alreadyExists:
            error.keyspace = try buffer.readCQLString()
            error.table = try buffer.readCQLString()
        case .unprepared:
            error.unpreparedID = try buffer.readCQLShortBytes()
        default:
            break
        }
        return error
    }

    /// `Code: message (details)`.
    public var description: String {
        var details: [String] = []
        if let consistency { details.append("consistency \(consistency)") }
        if let required { details.append("required \(required)") }
        if let alive { details.append("alive \(alive)") }
        if let received { details.append("received \(received)") }
        if let blockFor { details.append("blockfor \(blockFor)") }
        if let numFailures { details.append("failures \(numFailures)") }
        if let writeType { details.append("write type \(writeType)") }
        if let dataPresent { details.append("data present \(dataPresent)") }
        if let keyspace { details.append("keyspace \(keyspace)") }
        if let table, !table.isEmpty { details.append("table \(table)") }
        if let function { details.append("function \(function)") }
        let suffix = details.isEmpty ? "" : " (\(details.joined(separator: ", ")))"
        return "Cassandra \(self.code): \(self.message)\(suffix)"
    }
}
