import GRDB
import Logging
import UsersPipeline

/// The embedded default store: one SQLite file, table `users` with the contract's columns.
///
/// - Timestamps are integer milliseconds since the Unix epoch (UTC).
/// - A batch of rows is one transaction with one prepared statement; when ``upsert(_:)`` returns, the
///   transaction is committed (with `synchronous = FULL` by default, it survives a power cut).
/// - Freshness (contract section 5): a row replaces the stored one only when its version
///   (`fetched_at`, else `processed_at`) is not older. Absent (nil) columns keep the stored value, exactly as
///   an unset column does in a CQL upsert, so both sinks end up with the same rows.
/// - The file is opened in WAL mode, so readers (the `users` command, the read API) never block the writer.
public final class SQLiteUserStore: UserStore {
    /// How the store opens its file.
    public struct Configuration: Sendable {
        /// The database file. Created with its folder's permissions when missing.
        public var path: String
        /// `PRAGMA synchronous`. Default: `FULL` (a committed batch survives a power cut; one fsync per batch).
        public var synchronous: Synchronous
        /// How long a writer waits for a lock held by another process. Default: 5 s.
        public var busyTimeoutSeconds: Double

        /// The `synchronous` levels that keep a committed transaction durable across a process crash.
        public struct Synchronous: Sendable, Hashable, CustomStringConvertible {
            fileprivate let pragma: String
            /// Survives a process crash and a power cut.
            public static let full = Synchronous(pragma: "FULL")
            /// Survives a process crash; a power cut may lose the last transactions (WAL mode).
            public static let normal = Synchronous(pragma: "NORMAL")
            public var description: String { pragma }
        }

        /// A configuration for the file at `path`, with the documented defaults.
        public init(path: String, synchronous: Synchronous = .full, busyTimeoutSeconds: Double = 5) {
            self.path = path
            self.synchronous = synchronous
            self.busyTimeoutSeconds = busyTimeoutSeconds
        }
    }

    private let pool: DatabasePool
    private let logger: Logger

    /// Opens (or creates) the database file. The schema is made by ``prepare()``.
    /// - Throws: a GRDB `DatabaseError` when the file cannot be opened.
    public init(configuration: Configuration, logger: Logger = Logger(label: "userstream.store.sqlite")) throws {
        var config = GRDB.Configuration()
        config.busyMode = .timeout(configuration.busyTimeoutSeconds)
        let synchronous = configuration.synchronous.pragma
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
        }
        config.label = "userstream"
        self.pool = try DatabasePool(path: configuration.path, configuration: config)
        self.logger = logger
    }

    /// The DDL of the `users` table (contract section 2, SQLite form) and its index for "latest".
    public static let schemaSQL = """
        CREATE TABLE IF NOT EXISTS users (
          user_id TEXT PRIMARY KEY NOT NULL,
          title TEXT, first_name TEXT, last_name TEXT, gender TEXT,
          email TEXT, username TEXT,
          address TEXT, city TEXT, state TEXT, country TEXT, postcode TEXT,
          latitude REAL, longitude REAL,
          date_of_birth INTEGER, age INTEGER,
          registration_date INTEGER,
          phone TEXT, cell TEXT, nationality TEXT, picture_url TEXT,
          fetched_at INTEGER, processed_at INTEGER, source_partition INTEGER, source_offset INTEGER
        );
        CREATE INDEX IF NOT EXISTS users_processed_at ON users (processed_at);
        """

    public func prepare() async throws {
        try await pool.write { db in
            try db.execute(sql: Self.schemaSQL)
        }
    }

    private static let upsertSQL: String = {
        let columns = UserRow.columnNames
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let updates = columns.dropFirst().map { "\($0) = COALESCE(excluded.\($0), users.\($0))" }
            .joined(separator: ", ")
        return """
            INSERT INTO users (\(columns.joined(separator: ", "))) VALUES (\(placeholders))
            ON CONFLICT(user_id) DO UPDATE SET \(updates)
            WHERE COALESCE(excluded.fetched_at, excluded.processed_at) >= COALESCE(users.fetched_at, users.processed_at)
            """
    }()

    public func upsert(_ rows: [UserRow]) async throws {
        guard !rows.isEmpty else { return }
        try await pool.write { db in
            let statement = try db.cachedStatement(sql: Self.upsertSQL)
            for row in rows {
                statement.setUncheckedArguments(row.statementArguments)
                try statement.execute()
            }
        }
    }

    public func get(userID: String) async throws -> UserRow? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE user_id = ?", arguments: [userID])
                .map(UserRow.init(sqliteRow:))
        }
    }

    public func latest(_ limit: Int) async throws -> [UserRow] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM users ORDER BY processed_at DESC, user_id LIMIT ?",
                arguments: [max(0, limit)]
            ).map(UserRow.init(sqliteRow:))
        }
    }

    public func count() async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users") ?? 0
        }
    }

    @discardableResult
    public func delete(userID: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM users WHERE user_id = ?", arguments: [userID])
            return db.changesCount > 0
        }
    }

    public func close() async throws {
        try pool.close()
    }
}

extension UserRow {
    /// The row's values in ``UserRow/columnNames`` order; nil binds SQL NULL (kept as "absent" by the upsert).
    fileprivate var statementArguments: StatementArguments {
        let values: [DatabaseValue] = [
            userID.databaseValue, title.databaseValue, firstName.databaseValue, lastName.databaseValue,
            gender.databaseValue, email.databaseValue, username.databaseValue,
            address.databaseValue, city.databaseValue, state.databaseValue, country.databaseValue,
            postcode.databaseValue, latitude.databaseValue, longitude.databaseValue,
            dateOfBirth.databaseValue, age.map(Int64.init).databaseValue, registrationDate.databaseValue,
            phone.databaseValue, cell.databaseValue, nationality.databaseValue, pictureURL.databaseValue,
            fetchedAt.databaseValue, processedAt.databaseValue, sourcePartition.map(Int64.init).databaseValue,
            sourceOffset.databaseValue,
        ]
        return StatementArguments(values)
    }

    /// Reads a `users` row back.
    fileprivate init(sqliteRow row: Row) {
        self.init(
            userID: row["user_id"],
            title: row["title"],
            firstName: row["first_name"] ?? "Unknown",
            lastName: row["last_name"] ?? "Unknown",
            gender: row["gender"] ?? "unspecified",
            email: row["email"] ?? "",
            username: row["username"],
            address: row["address"],
            city: row["city"],
            state: row["state"],
            country: row["country"],
            postcode: row["postcode"],
            latitude: row["latitude"],
            longitude: row["longitude"],
            dateOfBirth: row["date_of_birth"],
            age: (row["age"] as Int64?).map { Int32(truncatingIfNeeded: $0) },
            registrationDate: row["registration_date"],
            phone: row["phone"],
            cell: row["cell"],
            nationality: row["nationality"],
            pictureURL: row["picture_url"],
            fetchedAt: row["fetched_at"],
            processedAt: row["processed_at"] ?? 0,
            sourcePartition: (row["source_partition"] as Int64?).map { Int32(truncatingIfNeeded: $0) },
            sourceOffset: row["source_offset"]
        )
    }
}
