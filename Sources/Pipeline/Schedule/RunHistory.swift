import Foundation
import GRDB

/// The schedule's run history: one SQLite file (`schedule.state`, default `userstream-state.sqlite`), separate
/// from the store, so it works the same with Cassandra.
///
/// Every change is one committed transaction, so a run's row survives a crash of the process. A run left `running`
/// by a process that died is marked `failed` ("interrupted") by the next scheduler that opens the file.
public final class RunHistory: Sendable {
    /// The file.
    public let path: String
    private let queue: DatabaseQueue

    /// Opens the history at `path`.
    /// - Parameters:
    ///   - path: The SQLite file.
    ///   - create: Create the file (and its table) when missing. Read commands pass false.
    /// - Throws: ``RunHistoryError`` naming the file when it is missing (and not to be created) or cannot be opened.
    public init(path: String, create: Bool = true) throws {
        self.path = path
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw RunHistoryError(
                "the run history \(path) does not exist: no schedule has run with --state \(path) yet")
        }
        do {
            var configuration = GRDB.Configuration()
            configuration.busyMode = .timeout(5)
            configuration.readonly = !create
            self.queue = try DatabaseQueue(path: path, configuration: configuration)
            if create { try Self.migrator.migrate(self.queue) }
        } catch let error as DatabaseError {
            throw RunHistoryError("the run history \(path) cannot be opened: \(error.message ?? "\(error.resultCode)")")
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("runs-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE runs (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      logical_time INTEGER NOT NULL,
                      trigger TEXT NOT NULL,
                      state TEXT NOT NULL,
                      attempts INTEGER NOT NULL DEFAULT 0,
                      queued_at INTEGER NOT NULL,
                      started_at INTEGER,
                      ended_at INTEGER,
                      fetched INTEGER NOT NULL DEFAULT 0,
                      produced INTEGER NOT NULL DEFAULT 0,
                      error TEXT,
                      seed TEXT NOT NULL DEFAULT '',
                      users INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX runs_logical_time ON runs (logical_time);
                    CREATE INDEX runs_state ON runs (state, id);
                    """)
        }
        return migrator
    }

    /// Records a new run and returns it with its id.
    public func add(
        logicalTime: Int64, trigger: ScheduledRun.Trigger, state: ScheduledRun.State, at now: Int64, seed: String = "",
        users: Int = 0, error: String? = nil
    ) throws -> ScheduledRun {
        try access {
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO runs (logical_time, trigger, state, queued_at, seed, users, error)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [logicalTime, trigger.rawValue, state.rawValue, now, seed, users, error])
                return ScheduledRun(
                    id: db.lastInsertedRowID, logicalTime: logicalTime, trigger: trigger, state: state, queuedAt: now,
                    seed: seed, users: users, error: error)
            }
        }
    }

    /// Stores `run`'s state, attempts, times, counts and error.
    public func update(_ run: ScheduledRun) throws {
        try access {
            try queue.write { db in
                try db.execute(
                    sql: """
                        UPDATE runs SET state = ?, attempts = ?, started_at = ?, ended_at = ?, fetched = ?, produced = ?,
                        error = ?, trigger = ? WHERE id = ?
                        """,
                    arguments: [
                        run.state.rawValue, run.attempts, run.startedAt, run.endedAt, run.fetched, run.produced,
                        run.error, run.trigger.rawValue, run.id,
                    ])
            }
        }
    }

    /// The run with this id, or nil.
    public func run(id: Int64) throws -> ScheduledRun? {
        try access { try queue.read { db in try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]) } }
            .flatMap(Self.run(from:))
    }

    /// Runs, newest first.
    /// - Parameters:
    ///   - state: Only runs in this state. Default: all.
    ///   - since: Only runs whose logical time is at or after this (UTC ms). Default: all.
    ///   - limit: At most this many. Default: 20.
    public func list(state: ScheduledRun.State? = nil, since: Int64? = nil, limit: Int = 20) throws -> [ScheduledRun] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let state {
            conditions.append("state = ?")
            arguments += [state.rawValue]
        }
        if let since {
            conditions.append("logical_time >= ?")
            arguments += [since]
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        arguments += [max(0, limit)]
        let rows = try access {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM runs\(filter) ORDER BY id DESC LIMIT ?", arguments: arguments)
            }
        }
        return rows.compactMap(Self.run(from:))
    }

    /// How many runs are in each state.
    public func countsByState() throws -> [ScheduledRun.State: Int] {
        let rows = try access {
            try queue.read { db in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM runs GROUP BY state") }
        }
        var counts: [ScheduledRun.State: Int] = [:]
        for row in rows {
            if let state = ScheduledRun.State(rawValue: row["state"]) { counts[state] = row["n"] }
        }
        return counts
    }

    /// The latest logical time that has a run (in any state), or nil for an empty history: where catch-up starts.
    public func latestLogicalTime() throws -> Int64? {
        try access { try queue.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(logical_time) FROM runs") } }
    }

    /// Marks the runs a dead process left `running` or `queued` as failed ("interrupted"), and returns how many.
    @discardableResult
    public func failInterrupted(at now: Int64) throws -> Int {
        try access {
            try queue.write { db in
                try db.execute(
                    sql: """
                        UPDATE runs SET state = 'failed', ended_at = ?,
                        error = 'interrupted: the process stopped during the run; re-run it with userstream runs rerun ' || id
                        WHERE state IN ('running', 'queued')
                        """,
                    arguments: [now])
                return db.changesCount
            }
        }
    }

    private func access<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw RunHistoryError("the run history \(path): \(error.message ?? "\(error.resultCode)")")
        }
    }

    private static func run(from row: Row) -> ScheduledRun? {
        guard let trigger = ScheduledRun.Trigger(rawValue: row["trigger"]),
            let state = ScheduledRun.State(rawValue: row["state"])
        else { return nil }
        return ScheduledRun(
            id: row["id"], logicalTime: row["logical_time"], trigger: trigger, state: state, attempts: row["attempts"],
            queuedAt: row["queued_at"], startedAt: row["started_at"], endedAt: row["ended_at"], fetched: row["fetched"],
            produced: row["produced"], seed: row["seed"], users: row["users"], error: row["error"])
    }
}

/// A run history that cannot be used, in one line naming its file.
public struct RunHistoryError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
