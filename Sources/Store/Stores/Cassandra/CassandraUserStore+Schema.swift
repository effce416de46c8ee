import CQL
import UsersContract

extension CassandraUserStore {
    /// The CQL a DBA runs with cqlsh to create the keyspace and the `users` table of contract section 2.
    public static func schemaCQL(keyspace: String, replication: CQLReplication) -> String {
        self.schemaStatements(keyspace: keyspace, table: "users", replication: replication)
            .map { $0 + ";" }
            .joined(separator: "\n")
    }

    /// The two statements (keyspace, table), without semicolons.
    static func schemaStatements(keyspace: String, table: String, replication: CQLReplication) -> [String] {
        [
            """
            CREATE KEYSPACE IF NOT EXISTS \(keyspace)
              WITH replication = \(replication.cql)
            """,
            "CREATE TABLE IF NOT EXISTS \(keyspace).\(table) (\n" + self.columnDefinitions + "\n)",
        ]
    }

    /// `name type` per column of ``UserRow/columns`` (the key with `PRIMARY KEY`), one per line.
    static let columnDefinitions: String = UserRow.columns.map { column in
        "  \(column.name) \(column.type.cql)" + (column.isPrimaryKey ? " PRIMARY KEY" : "")
    }.joined(separator: ",\n")
}
