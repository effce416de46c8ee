import NIOCore

/// RESULT (section 4.2.5): the answer to QUERY, PREPARE, EXECUTE and BATCH.
public enum CQLResult: Sendable, Hashable {
    /// Kind 0x0001: nothing to return.
    case void
    /// Kind 0x0002: rows.
    case rows(CQLRows)
    /// Kind 0x0003: the keyspace set by `USE`.
    case setKeyspace(String)
    /// Kind 0x0004: a prepared statement.
    case prepared(CQLPreparedResult)
    /// Kind 0x0005: a schema change.
    case schemaChange(CQLSchemaChange)

    /// The opcode.
    public static let opcode = CQLOpcode.result

    /// Reads the body.
    public static func decode(from buffer: inout ByteBuffer) throws(CQLDecodingError) -> CQLResult {
        let kind = try buffer.readCQLInt()
        switch kind {
        case 0x0001: return .void
        case 0x0002: return .rows(try CQLRows.decode(from: &buffer))
        case 0x0003: return .setKeyspace(try buffer.readCQLString())
        case 0x0004: return .prepared(try CQLPreparedResult.decode(from: &buffer))
        case 0x0005: return .schemaChange(try CQLSchemaChange.decode(from: &buffer))
        default: throw .invalid("result kind \(kind)")
        }
    }
}

/// The `<metadata>` of a Rows result (section 4.2.5.2).
public struct CQLRowsMetadata: Sendable, Hashable {
    /// The column count, which is known even with No_metadata.
    public var columnCount: Int
    /// The columns; empty when the server sent No_metadata.
    public var columns: [CQLColumnSpec]
    /// Where the next page starts, when Has_more_pages is set.
    public var pagingState: [UInt8]?
    /// Whether the server left the column specs out (flag 0x0004).
    public var noMetadata: Bool

    /// Creates metadata.
    public init(columnCount: Int, columns: [CQLColumnSpec], pagingState: [UInt8]? = nil, noMetadata: Bool = false) {
        self.columnCount = columnCount
        self.columns = columns
        self.pagingState = pagingState
        self.noMetadata = noMetadata
    }

    static func decode(from buffer: inout ByteBuffer) throws(CQLDecodingError) -> CQLRowsMetadata {
        let flags = try buffer.readCQLInt()
        let count = try buffer.readCQLInt()
        guard count >= 0 else { throw .invalid("column count \(count)") }
        var pagingState: [UInt8]?
        if flags & 0x0002 != 0 { pagingState = try buffer.readCQLBytes().map { Array($0.readableBytesView) } }
        if flags & 0x0004 != 0 {
            return CQLRowsMetadata(columnCount: Int(count), columns: [], pagingState: pagingState, noMetadata: true)
        }
        let columns = try readColumnSpecs(from: &buffer, flags: flags, count: Int(count))
        return CQLRowsMetadata(columnCount: Int(count), columns: columns, pagingState: pagingState)
    }

    /// Reads `[<global_table_spec>?<col_spec_1>...<col_spec_n>]`.
    static func readColumnSpecs(
        from buffer: inout ByteBuffer,
        flags: Int32,
        count: Int
    ) throws(CQLDecodingError) -> [CQLColumnSpec] {
        var globalKeyspace = ""
        var globalTable = ""
        let global = flags & 0x0001 != 0
        if global {
            globalKeyspace = try buffer.readCQLString()
            globalTable = try buffer.readCQLString()
        }
        var columns: [CQLColumnSpec] = []
        columns.reserveCapacity(min(count, 4096))
        for _ in 0..<count {
            var keyspace = globalKeyspace
            var table = globalTable
            if !global {
                keyspace = try buffer.readCQLString()
                table = try buffer.readCQLString()
            }
            let name = try buffer.readCQLString()
            columns.append(
                CQLColumnSpec(keyspace: keyspace, table: table, name: name, type: try .decode(from: &buffer)))
        }
        return columns
    }
}

/// A Rows result: metadata and rows.
public struct CQLRows: Sendable, Hashable {
    /// The metadata.
    public var metadata: CQLRowsMetadata
    /// The rows of this page.
    public var rows: [CQLRow]

    /// Creates a result.
    public init(metadata: CQLRowsMetadata, rows: [CQLRow]) {
        self.metadata = metadata
        self.rows = rows
    }

    /// Where the next page starts; nil on the last page.
    public var pagingState: [UInt8]? { self.metadata.pagingState }

    static func decode(from buffer: inout ByteBuffer) throws(CQLDecodingError) -> CQLRows {
        let metadata = try CQLRowsMetadata.decode(from: &buffer)
        let rowCount = try buffer.readCQLInt()
        guard rowCount >= 0 else { throw .invalid("row count \(rowCount)") }
        guard rowCount == 0 || metadata.columnCount > 0 else { throw .invalid("\(rowCount) rows without columns") }
        let columns = CQLColumns(metadata.columns)
        var rows: [CQLRow] = []
        rows.reserveCapacity(min(Int(rowCount), buffer.readableBytes / 4 + 1))
        for _ in 0..<rowCount {
            var cells: [ByteBuffer?] = []
            cells.reserveCapacity(min(metadata.columnCount, buffer.readableBytes / 4 + 1))
            for _ in 0..<metadata.columnCount { cells.append(try buffer.readCQLBytes()) }
            rows.append(CQLRow(columns: columns, cells: cells))
        }
        return CQLRows(metadata: metadata, rows: rows)
    }

    /// The same rows described by `columns` (for a No_metadata result of a prepared statement).
    public func withColumns(_ specs: [CQLColumnSpec]) -> CQLRows {
        let columns = CQLColumns(specs)
        var metadata = self.metadata
        metadata.columns = specs
        return CQLRows(metadata: metadata, rows: self.rows.map { CQLRow(columns: columns, cells: $0.cells) })
    }
}

/// A Prepared result (section 4.2.5.4).
public struct CQLPreparedResult: Sendable, Hashable {
    /// The statement id.
    public var id: [UInt8]
    /// The bind markers.
    public var bindColumns: [CQLColumnSpec]
    /// Which bind markers make the partition key, in key order (empty when unknown).
    public var partitionKeyIndices: [Int]
    /// The columns an execution returns (may be empty / No_metadata).
    public var resultMetadata: CQLRowsMetadata

    /// Creates a result.
    public init(
        id: [UInt8],
        bindColumns: [CQLColumnSpec],
        partitionKeyIndices: [Int],
        resultMetadata: CQLRowsMetadata
    ) {
        self.id = id
        self.bindColumns = bindColumns
        self.partitionKeyIndices = partitionKeyIndices
        self.resultMetadata = resultMetadata
    }

    static func decode(from buffer: inout ByteBuffer) throws(CQLDecodingError) -> CQLPreparedResult {
        let id = try buffer.readCQLShortBytes()
        let flags = try buffer.readCQLInt()
        let count = try buffer.readCQLInt()
        let pkCount = try buffer.readCQLInt()
        guard count >= 0, pkCount >= 0 else { throw .invalid("prepared metadata counts") }
        var pkIndices: [Int] = []
        for _ in 0..<pkCount { pkIndices.append(Int(try buffer.readCQLShort())) }
        let columns = try CQLRowsMetadata.readColumnSpecs(from: &buffer, flags: flags, count: Int(count))
        let resultMetadata = try CQLRowsMetadata.decode(from: &buffer)
        return CQLPreparedResult(
            id: id,
            bindColumns: columns,
            partitionKeyIndices: pkIndices,
            resultMetadata: resultMetadata
        )
    }
}

/// A schema change (Schema_change result and SCHEMA_CHANGE event, section 4.2.6).
public struct CQLSchemaChange: Sendable, Hashable {
    /// `CREATED`, `UPDATED` or `DROPPED`.
    public var changeType: String
    /// `KEYSPACE`, `TABLE`, `TYPE`, `FUNCTION` or `AGGREGATE`.
    public var target: String
    /// The keyspace.
    public var keyspace: String
    /// The table, type, function or aggregate name (nil for a keyspace).
    public var name: String?
    /// The argument types of a function or aggregate.
    public var argumentTypes: [String]

    /// Creates a change.
    public init(changeType: String, target: String, keyspace: String, name: String? = nil, argumentTypes: [String] = [])
    {
        self.changeType = changeType
        self.target = target
        self.keyspace = keyspace
        self.name = name
        self.argumentTypes = argumentTypes
    }

    static func decode(from buffer: inout ByteBuffer) throws(CQLDecodingError) -> CQLSchemaChange {
        let changeType = try buffer.readCQLString()
        let target = try buffer.readCQLString()
        let keyspace = try buffer.readCQLString()
        switch target {
        case "KEYSPACE":
            return CQLSchemaChange(changeType: changeType, target: target, keyspace: keyspace)
        case "FUNCTION", "AGGREGATE":
            let name = try buffer.readCQLString()
            let arguments = try buffer.readCQLStringList()
            return CQLSchemaChange(
                changeType: changeType, target: target, keyspace: keyspace, name: name, argumentTypes: arguments
            )
        default:
            let name = try buffer.readCQLString()
            return CQLSchemaChange(changeType: changeType, target: target, keyspace: keyspace, name: name)
        }
    }
}
