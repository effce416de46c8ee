import NIOCore

/// BATCH (section 4.1.7): several DML statements, by query string or prepared id, run as one.
public struct CQLBatch: Sendable, Hashable {
    /// The opcode.
    public static let opcode = CQLOpcode.batch

    /// The kind of batch.
    public struct Kind: Sendable, Hashable {
        /// The protocol byte.
        public let rawValue: UInt8
        private init(rawValue: UInt8) { self.rawValue = rawValue }
        /// A logged batch (atomic through the batch log).
        public static let logged = Kind(rawValue: 0)
        /// An unlogged batch.
        public static let unlogged = Kind(rawValue: 1)
        /// A counter batch.
        public static let counter = Kind(rawValue: 2)
    }

    /// One statement of a batch.
    public struct Statement: Sendable, Hashable {
        /// A query string (kind 0) or a prepared id (kind 1).
        public enum Target: Sendable, Hashable {
            /// A CQL string.
            case query(String)
            /// A prepared statement id.
            case prepared([UInt8])
        }

        /// What to run.
        public var target: Target
        /// Its bound values by position.
        public var values: [CQLValue]

        /// Creates a statement.
        public init(target: Target, values: [CQLValue] = []) {
            self.target = target
            self.values = values
        }
    }

    /// The batch kind.
    public var kind: Kind
    /// The statements.
    public var statements: [Statement]
    /// The consistency level.
    public var consistency: CQLConsistency
    /// The serial consistency (flag 0x10).
    public var serialConsistency: CQLConsistency?
    /// The default timestamp in microseconds (flag 0x20).
    public var defaultTimestamp: Int64?

    /// Creates a BATCH.
    public init(
        kind: Kind,
        statements: [Statement],
        consistency: CQLConsistency,
        serialConsistency: CQLConsistency? = nil,
        defaultTimestamp: Int64? = nil
    ) {
        self.kind = kind
        self.statements = statements
        self.consistency = consistency
        self.serialConsistency = serialConsistency
        self.defaultTimestamp = defaultTimestamp
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.kind.rawValue)
        buffer.writeCQLShort(UInt16(truncatingIfNeeded: self.statements.count))
        for statement in self.statements {
            switch statement.target {
            case .query(let query):
                buffer.writeInteger(UInt8(0))
                buffer.writeCQLLongString(query)
            case .prepared(let id):
                buffer.writeInteger(UInt8(1))
                buffer.writeCQLShortBytes(id)
            }
            buffer.writeCQLShort(UInt16(truncatingIfNeeded: statement.values.count))
            for value in statement.values { value.encodeAsValue(into: &buffer) }
        }
        buffer.writeCQLConsistency(self.consistency)
        var flags: UInt8 = 0
        if self.serialConsistency != nil { flags |= 0x10 }
        if self.defaultTimestamp != nil { flags |= 0x20 }
        buffer.writeInteger(flags)
        if let serialConsistency { buffer.writeCQLConsistency(serialConsistency) }
        if let defaultTimestamp { buffer.writeCQLLong(defaultTimestamp) }
    }
}
