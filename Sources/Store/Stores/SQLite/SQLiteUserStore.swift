import GRDB
import GRDBSQLite
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Logging
import UsersContract

/// The embedded default store: one SQLite file, table `users` with the contract's columns.
///
/// - Timestamps are integer milliseconds since the Unix epoch (UTC).
/// - A batch of rows is one transaction with one prepared statement; when ``upsert(_:)`` returns, the
///   transaction is committed (with `synchronous = FULL` by default, it survives a power cut).
/// - Freshness (contract section 5): a row replaces the stored one only when its version
///   (`fetched_at`, else `processed_at`) is not older. Absent (nil) columns keep the stored value, exactly as
///   an unset column does in a CQL upsert, so both sinks end up with the same rows.
/// - The file is opened in WAL mode, so readers (the `users` command, the read API) never block the writer.
/// - Checkpoints (copying the WAL back into the database file) run on a connection of their own, at most once per
///   ``Configuration/checkpointInterval``, beside the writer instead of inside its commits: each batch of random
///   UUID keys dirties pages all over the primary-key index, and checkpointing them after every 1,000 pages (SQLite's
///   default) costs more than the inserts.
public final class SQLiteUserStore: UserStore {
    /// How the store opens its file.
    public struct Configuration: Sendable {
        /// The database file. Created with its folder's permissions when missing.
        public var path: String
        /// `PRAGMA synchronous`. Default: `FULL` (a committed batch survives a power cut; one fsync per batch).
        public var synchronous: Synchronous
        /// How long a writer waits for a lock held by another process. Default: 5 s.
        public var busyTimeoutSeconds: Double
        /// How often the WAL is checkpointed into the database file, in the background. Default: 1 s.
        public var checkpointInterval: Duration
        /// The writer's page cache in KiB (`PRAGMA cache_size = -N`). Upserts by a random UUID touch pages all over
        /// the primary-key index, so a larger cache saves disk reads as the table grows. Default: 16,384 (16 MiB).
        public var cacheKiB: Int

        /// The `synchronous` levels that keep a committed transaction durable across a process crash.
        public struct Synchronous: Sendable, Hashable, CustomStringConvertible {
            fileprivate let pragma: String
            /// Survives a process crash and a power cut.
            public static let full = Synchronous(pragma: "FULL")
            /// Survives a process crash; a power cut may lose the last transactions (WAL mode).
            public static let normal = Synchronous(pragma: "NORMAL")
            public var description: String { pragma }

            /// The level named `full` or `normal` (any case), or nil.
            public init?(name: String) {
                switch name.lowercased() {
                case "full": self = .full
                case "normal": self = .normal
                default: return nil
                }
            }

            private init(pragma: String) {
                self.pragma = pragma
            }
        }

        /// A configuration for the file at `path`, with the documented defaults.
        public init(path: String, synchronous: Synchronous = .full, busyTimeoutSeconds: Double = 5, cacheKiB: Int = 16_384,
                    checkpointInterval: Duration = .seconds(1)) {
            self.checkpointInterval = checkpointInterval
            self.path = path
            self.synchronous = synchronous
            self.busyTimeoutSeconds = busyTimeoutSeconds
            self.cacheKiB = cacheKiB
        }
    }

    /// The database file.
    public let path: String
    private let pool: DatabasePool
    private let checkpointer: DatabaseQueue
    private let checkpointInterval: Duration
    private let checkpointState = Mutex(CheckpointState())
    private let logger: Logger

    private struct CheckpointState {
        var last = ContinuousClock.now
        var running: Task<Void, Never>?
        /// After a passive checkpoint left the WAL this long or longer, the next one restarts it.
        var restartNext = false
    }

    /// WAL frames (pages) after which a checkpoint waits for the writer and starts the WAL over: 16,384 frames of
    /// 4 KiB, 64 MiB. Passive checkpoints alone never reset a WAL that a busy writer keeps appending to.
    private static let walRestartFrames = 16_384

    /// Opens (or creates) the database file. The schema is made by ``prepare()``.
    /// - Throws: ``SQLiteStoreError`` naming the file when it cannot be opened.
    public init(configuration: Configuration, logger: Logger = Logger(label: "userstream.store.sqlite")) throws {
        var config = GRDB.Configuration()
        config.busyMode = .timeout(configuration.busyTimeoutSeconds)
        let synchronous = configuration.synchronous.pragma
        let cacheKiB = configuration.cacheKiB
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
            // Checkpoints are the store's own job (see `checkpointIfDue`), not the committing writer's.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        }
        config.label = "userstream"
        self.path = configuration.path
        self.pool = try SQLiteStoreError.naming(configuration.path, "open") {
            try DatabasePool(path: configuration.path, configuration: config)
        }
        var checkpointConfig = GRDB.Configuration()
        checkpointConfig.busyMode = .timeout(configuration.busyTimeoutSeconds)
        checkpointConfig.label = "userstream.checkpoint"
        self.checkpointer = try SQLiteStoreError.naming(configuration.path, "open") {
            try DatabaseQueue(path: configuration.path, configuration: checkpointConfig)
        }
        self.checkpointInterval = configuration.checkpointInterval
        self.logger = logger
    }

    /// The DDL of the `users` table (contract section 2, SQLite form: ``UserRow/columns`` with their SQLite types, the
    /// key `NOT NULL`) and its index for "latest".
    public static let schemaSQL: String = {
        let columns = UserRow.columns.map { column in
            "  \(column.name) \(column.type.sqlite)" + (column.isPrimaryKey ? " PRIMARY KEY NOT NULL" : "")
        }
        return "CREATE TABLE IF NOT EXISTS users (\n" + columns.joined(separator: ",\n") + "\n);\n"
            + "CREATE INDEX IF NOT EXISTS users_processed_at ON users (processed_at);"
    }()

    public func prepare() async throws {
        try await SQLiteStoreError.naming(path, "create the schema") {
            try await pool.write { db in
                try db.execute(sql: Self.schemaSQL)
            }
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
        let order = Self.keyOrder(rows)
        try await SQLiteStoreError.naming(path, "write") { try await write(rows, in: order) }
        checkpointIfDue()
    }

    private func write(_ rows: [UserRow], in order: [Int32]) async throws {
        try await pool.write { db in
            // One prepared statement, bound through SQLite's C API: binding through GRDB's StatementArguments
            // costs more than the insert itself at this rate.
            let statement = try db.cachedStatement(sql: Self.upsertSQL)
            let handle = statement.sqliteStatement
            var scratch = BindScratch()
            try rows.withUnsafeBufferPointer { rows in
                let base = rows.baseAddress!
                for index in order {
                    // Through a pointer: `rows[i].bind(…)` copied the row first (a retain and release of each text).
                    let code = UserRow.bind(base + Int(index), to: handle, scratch: &scratch) { sqlite3_step(handle) }
                    sqlite3_reset(handle)
                    guard code == SQLITE_DONE else {
                        throw DatabaseError(
                            resultCode: ResultCode(rawValue: code),
                            message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                            sql: Self.upsertSQL
                        )
                    }
                }
            }
        }
    }

    /// The order in which `rows` are written: by `user_id` (its UTF-8 bytes), rows with the same `user_id` in their
    /// order in `rows`, so the later one is still written last and wins.
    ///
    /// Each upsert seeks the `user_id` index at a random place; in key order, consecutive seeks land on neighbouring
    /// pages that are already in the cache, and each index page a transaction dirties is changed in one run. Writing
    /// 1,000,000 rows in transactions of 5,000 (`userstream bench store`) went from 61,600 to 68,400 rows/s.
    static func keyOrder(_ rows: [UserRow]) -> [Int32] {
        // Each row's first 16 bytes, big-endian, decide almost every comparison (a UUID's first 16 characters hold
        // 56 random bits); only equal prefixes compare the whole keys.
        struct Key {
            var high: UInt64
            var low: UInt64
            var index: Int32
        }
        func load(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt64 {
            var value: UInt64 = 0
            for offset in start..<(start + 8) {
                value = value << 8 | UInt64(offset < bytes.count ? bytes[offset] : 0)
            }
            return value
        }
        return rows.withUnsafeBufferPointer { rows in
            var keys: [Key] = []
            keys.reserveCapacity(rows.count)
            for index in rows.indices {
                var id = rows[index].userID
                id.withUTF8 { keys.append(Key(high: load($0, from: 0), low: load($0, from: 8), index: Int32(index))) }
            }
            keys.sort { left, right in
                if left.high != right.high { return left.high < right.high }
                if left.low != right.low { return left.low < right.low }
                let whole = Self.compareBytes(rows[Int(left.index)].userID, rows[Int(right.index)].userID)
                return whole != 0 ? whole < 0 : left.index < right.index
            }
            return keys.map(\.index)
        }
    }

    /// Compares two strings by their UTF-8 bytes: negative, zero or positive.
    private static func compareBytes(_ left: String, _ right: String) -> Int {
        var left = left
        var right = right
        return left.withUTF8 { a in
            right.withUTF8 { b in
                let common = min(a.count, b.count)
                let result = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
                return result != 0 ? Int(result) : a.count - b.count
            }
        }
    }

    /// Starts a passive checkpoint on the checkpoint connection when the last one is over and older than the
    /// interval. It never blocks the writer, and the writer never waits for it.
    private func checkpointIfDue() {
        let now = ContinuousClock.now
        checkpointState.withLock { state in
            guard state.running == nil, now - state.last >= checkpointInterval else { return }
            state.last = now
            let mode: Database.CheckpointMode = state.restartNext ? .restart : .passive
            state.running = Task.detached { [self] in
                do {
                    let (frames, _) = try await checkpointer.writeWithoutTransaction { try $0.checkpoint(mode) }
                    checkpointState.withLock { $0.restartNext = mode == .passive && frames >= Self.walRestartFrames }
                } catch {
                    logger.warning("WAL checkpoint failed; the next one retries", metadata: ["error": "\(error)"])
                }
                checkpointState.withLock { $0.running = nil }
            }
        }
    }

    public func get(userID: String) async throws -> UserRow? {
        try await SQLiteStoreError.naming(path, "read") {
            try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM users WHERE user_id = ?", arguments: [userID])
                    .map(UserRow.init(sqliteRow:))
            }
        }
    }

    public func page(after: String?, limit: Int) async throws -> [UserRow] {
        try await SQLiteStoreError.naming(path, "read") {
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM users WHERE user_id > ? ORDER BY user_id LIMIT ?",
                    arguments: [after ?? "", max(0, limit)]
                ).map(UserRow.init(sqliteRow:))
            }
        }
    }

    public func latest(_ limit: Int) async throws -> [UserRow] {
        try await SQLiteStoreError.naming(path, "read") {
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM users ORDER BY processed_at DESC, user_id LIMIT ?",
                    arguments: [max(0, limit)]
                ).map(UserRow.init(sqliteRow:))
            }
        }
    }

    public func count() async throws -> Int {
        try await SQLiteStoreError.naming(path, "count") {
            try await pool.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users") ?? 0
            }
        }
    }

    @discardableResult
    public func delete(userID: String) async throws -> Bool {
        try await SQLiteStoreError.naming(path, "delete") {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM users WHERE user_id = ?", arguments: [userID])
                return db.changesCount > 0
            }
        }
    }

    public func close() async throws {
        await checkpointState.withLock { $0.running }?.value
        // A final full checkpoint leaves the database file complete and the WAL empty.
        _ = try? await checkpointer.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try checkpointer.close()
        try pool.close()
    }
}

/// What ``UserRow/bind(_:to:scratch:step:)`` reuses from row to row: the texts' bytes and where each one is.
private struct BindScratch {
    var bytes: [UInt8] = []
    /// (parameter, start in `bytes`, length) of each non-nil text of the row being bound.
    var texts: [(index: Int32, start: Int, count: Int)] = []

    init() {
        bytes.reserveCapacity(1024)
        texts.reserveCapacity(UserRow.columnNames.count)
    }
}

extension UserRow {
    /// Binds `row`'s values in ``UserRow/columnNames`` order (parameters 1…25) and runs `step` while they are
    /// bound; nil binds SQL NULL, which the upsert keeps as "absent".
    ///
    /// The texts are copied once into `scratch` and bound in place (`SQLITE_STATIC`, valid until `step` returns):
    /// binding each `String` with `SQLITE_TRANSIENT` made SQLite allocate and copy ten texts per row.
    fileprivate static func bind(
        _ row: UnsafePointer<UserRow>, to handle: OpaquePointer, scratch: inout BindScratch, step: () -> Int32
    ) -> Int32 {
        scratch.bytes.removeAll(keepingCapacity: true)
        scratch.texts.removeAll(keepingCapacity: true)
        var index: Int32 = 0
        func text(_ value: String?) {
            index += 1
            guard let value else { sqlite3_bind_null(handle, index); return }
            let start = scratch.bytes.count
            scratch.bytes.append(contentsOf: value.utf8)
            scratch.texts.append((index, start, scratch.bytes.count - start))
        }
        func integer(_ value: Int64?) {
            index += 1
            if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        }
        func real(_ value: Double?) {
            index += 1
            if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        }
        // Each field is read in place (`row.pointee.x`), not from a copy of the row.
        text(row.pointee.userID); text(row.pointee.title); text(row.pointee.firstName); text(row.pointee.lastName)
        text(row.pointee.gender); text(row.pointee.email); text(row.pointee.username); text(row.pointee.address)
        text(row.pointee.city); text(row.pointee.state); text(row.pointee.country); text(row.pointee.postcode)
        real(row.pointee.latitude); real(row.pointee.longitude); integer(row.pointee.dateOfBirth)
        integer(row.pointee.age.map(Int64.init)); integer(row.pointee.registrationDate); text(row.pointee.phone)
        text(row.pointee.cell); text(row.pointee.nationality); text(row.pointee.pictureURL)
        integer(row.pointee.fetchedAt); integer(row.pointee.processedAt)
        integer(row.pointee.sourcePartition.map(Int64.init)); integer(row.pointee.sourceOffset)
        return scratch.bytes.withUnsafeBufferPointer { bytes in
            // A zero-length text still needs a non-null pointer, or SQLite binds NULL.
            let base = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
            for text in scratch.texts {
                // No destructor (`SQLITE_STATIC`): SQLite neither copies nor frees the bytes.
                sqlite3_bind_text(handle, text.index, base + text.start, Int32(text.count), nil)
            }
            return step()
        }
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

extension SQLiteUserStore {
    /// SQLite's transient failures: another connection holds the database (`SQLITE_BUSY`, `SQLITE_LOCKED`), the disk
    /// is full (`SQLITE_FULL`), an I/O error or the file cannot be opened for now (`SQLITE_IOERR`, `SQLITE_CANTOPEN`),
    /// or memory ran out (`SQLITE_NOMEM`). A constraint, a schema mismatch or a read-only file are not.
    public func isTransient(_ error: any Error) -> Bool {
        let code: ResultCode
        if let error = error as? SQLiteStoreError {
            code = error.resultCode
        } else if let error = error as? DatabaseError {
            code = error.resultCode.primaryResultCode
        } else {
            return false
        }
        switch code {
        case .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_NOMEM: return true
        default: return false
        }
    }
}
