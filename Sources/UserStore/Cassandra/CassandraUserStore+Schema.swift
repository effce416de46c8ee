import CQL

extension CassandraUserStore {
    /// The columns of contract section 2 with their CQL types, in table order.
    static let columnTypes: [(String, String)] = [
        ("user_id", "text"), ("title", "text"), ("first_name", "text"), ("last_name", "text"), ("gender", "text"),
        ("email", "text"), ("username", "text"),
        ("address", "text"), ("city", "text"), ("state", "text"), ("country", "text"), ("postcode", "text"),
        ("latitude", "double"), ("longitude", "double"),
        ("date_of_birth", "timestamp"), ("age", "int"),
        ("registration_date", "timestamp"),
        ("phone", "text"), ("cell", "text"), ("nationality", "text"), ("picture_url", "text"),
        ("fetched_at", "timestamp"), ("processed_at", "timestamp"), ("source_partition", "int"),
        ("source_offset", "bigint"),
    ]

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
            """
            CREATE TABLE IF NOT EXISTS \(keyspace).\(table) (
              user_id text PRIMARY KEY,
              title text, first_name text, last_name text, gender text,
              email text, username text,
              address text, city text, state text, country text, postcode text,
              latitude double, longitude double,
              date_of_birth timestamp, age int,
              registration_date timestamp,
              phone text, cell text, nationality text, picture_url text,
              fetched_at timestamp, processed_at timestamp, source_partition int, source_offset bigint
            )
            """,
        ]
    }
}
