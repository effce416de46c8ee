import NIOCore

/// The description of one column of a result, or of one bind marker of a prepared statement.
public struct CQLColumnSpec: Sendable, Hashable {
    /// The keyspace.
    public var keyspace: String
    /// The table.
    public var table: String
    /// The column name (or alias, or bind marker name).
    public var name: String
    /// The type.
    public var type: CQLDataType

    /// Creates a spec.
    public init(keyspace: String, table: String, name: String, type: CQLDataType) {
        self.keyspace = keyspace
        self.table = table
        self.name = name
        self.type = type
    }
}

/// The columns of a result set, shared by its rows, with a name index.
public struct CQLColumns: Sendable, Hashable {
    /// The columns in result order.
    public let specs: [CQLColumnSpec]
    private let indexByName: [String: Int]

    /// Creates the columns of a result.
    public init(_ specs: [CQLColumnSpec]) {
        self.specs = specs
        var index: [String: Int] = [:]
        for (position, spec) in specs.enumerated() where index[spec.name] == nil { index[spec.name] = position }
        self.indexByName = index
    }

    /// The position of the first column with that name.
    public func index(of name: String) -> Int? { self.indexByName[name] }

    /// How many columns.
    public var count: Int { self.specs.count }
}

/// One row of a result: raw cells decoded on access.
public struct CQLRow: Sendable, Hashable {
    /// The result's columns.
    public let columns: CQLColumns
    /// The raw `[bytes]` cells; nil is null.
    public let cells: [ByteBuffer?]

    /// Creates a row.
    public init(columns: CQLColumns, cells: [ByteBuffer?]) {
        self.columns = columns
        self.cells = cells
    }

    /// The value at a position.
    /// - Throws: ``CQLValueError`` for a position out of range, ``CQLDecodingError`` for a malformed cell.
    public func value(at index: Int) throws -> CQLValue {
        guard index >= 0, index < self.cells.count, index < self.columns.count else {
            throw CQLValueError("no column at position \(index)")
        }
        return try CQLValue.decode(self.cells[index], as: self.columns.specs[index].type)
    }

    /// The value of a named column.
    /// - Throws: ``CQLValueError`` for an unknown column, ``CQLDecodingError`` for a malformed cell.
    public func value(column: String) throws -> CQLValue {
        guard let index = self.columns.index(of: column) else { throw CQLValueError("no column named \(column)") }
        return try self.value(at: index)
    }

    /// The value of a named column as a Swift type, e.g. `row.decode(String?.self, column: "email")`.
    public func decode<T: CQLDecodable>(_ type: T.Type = T.self, column: String) throws -> T {
        do {
            return try T(cqlValue: self.value(column: column))
        } catch let error as CQLValueError {
            throw CQLValueError("column \(column): \(error.message)")
        }
    }

    /// The value at a position as a Swift type.
    public func decode<T: CQLDecodable>(_ type: T.Type = T.self, at index: Int) throws -> T {
        try T(cqlValue: self.value(at: index))
    }

    /// Whether the named column is null (or absent from the result).
    public func isNull(column: String) -> Bool {
        guard let index = self.columns.index(of: column), index < self.cells.count else { return true }
        return self.cells[index] == nil
    }
}
