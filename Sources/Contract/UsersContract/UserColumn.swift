/// One column of the users table (contract section 2): its name, its type in each store, and whether it is the
/// primary key. Every other column is nullable: an absent value is not written.
public struct UserColumn: Sendable, Hashable {
    /// A column's logical type and how each store spells it. A struct over a private enum, so new types don't
    /// break callers.
    public struct ColumnType: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Sendable, Hashable { case text, double, int, bigint, timestamp }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Text: CQL `text`, SQLite `TEXT`.
        public static let text = ColumnType(.text)
        /// A 64-bit float: CQL `double`, SQLite `REAL`.
        public static let double = ColumnType(.double)
        /// A 32-bit integer: CQL `int`, SQLite `INTEGER`.
        public static let int = ColumnType(.int)
        /// A 64-bit integer: CQL `bigint`, SQLite `INTEGER`.
        public static let bigint = ColumnType(.bigint)
        /// An instant, UTC milliseconds since the Unix epoch: CQL `timestamp`, SQLite `INTEGER`.
        public static let timestamp = ColumnType(.timestamp)

        /// The CQL type (`text`, `double`, `int`, `bigint`, `timestamp`).
        public var cql: String {
            switch base {
            case .text: "text"
            case .double: "double"
            case .int: "int"
            case .bigint: "bigint"
            case .timestamp: "timestamp"
            }
        }

        /// The SQLite type (`TEXT`, `REAL`, `INTEGER`).
        public var sqlite: String {
            switch base {
            case .text: "TEXT"
            case .double: "REAL"
            case .int, .bigint, .timestamp: "INTEGER"
            }
        }

        /// ``cql``.
        public var description: String { cql }
    }

    /// The column name (`user_id`, `first_name`, ...).
    public let name: String
    /// The column's type.
    public let type: ColumnType
    /// Whether the column is the primary key (`user_id`); the key is never null.
    public let isPrimaryKey: Bool

    /// Creates a column.
    ///
    /// - Parameters:
    ///   - name: The column name.
    ///   - type: Its type.
    ///   - isPrimaryKey: Whether it is the primary key. Default: false.
    public init(_ name: String, _ type: ColumnType, isPrimaryKey: Bool = false) {
        self.name = name
        self.type = type
        self.isPrimaryKey = isPrimaryKey
    }
}
