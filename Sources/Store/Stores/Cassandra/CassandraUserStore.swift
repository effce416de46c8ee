import CQL
import Logging
import NIOConcurrencyHelpers
import UsersContract

/// The users table in Apache Cassandra (contract sections 2 and 5), over the pure-Swift ``CQL`` client.
///
/// Writes are prepared `INSERT ... USING TIMESTAMP ?` statements whose timestamp is the row's `fetchedAt` in
/// microseconds, so a replayed older record never overwrites a newer one; absent columns are bound as
/// *unset* (never null, which would write tombstones). Many writes run at once, bounded by
/// ``Configuration/maximumInFlightWrites``, each routed to a replica of its partition. The client connects on
/// first use.
public final class CassandraUserStore: UserStore {
    /// The configuration.
    public let configuration: Configuration
    /// The CQL client (shared by every call).
    public let client: CQLClient
    private let logger: Logger
    private let connecting = NIOLockedValueBox<Task<Void, any Error>?>(nil)

    /// Creates a store; nothing connects until the first call.
    /// - Throws: when the TLS settings or contact points are invalid.
    public init(configuration: Configuration, logger: Logger = Logger(label: "userstream.cassandra")) throws {
        self.configuration = configuration
        self.logger = logger
        self.client = try CQLClient(configuration: try configuration.clientConfiguration(), logger: logger)
    }

    private var keyspace: String { self.configuration.keyspace }
    private var table: String { self.configuration.table }
    private var qualifiedTable: String { "\(self.keyspace).\(self.table)" }

    /// Connects the client once; later calls wait for the same attempt, and a failed attempt is retried.
    func ensureConnected() async throws {
        let task = self.connecting.withLockedValue { current -> Task<Void, any Error> in
            if let current { return current }
            let client = self.client
            let task = Task { try await client.connect() }
            current = task
            return task
        }
        do {
            try await task.value
        } catch {
            self.connecting.withLockedValue { if $0 == task { $0 = nil } }
            throw error
        }
    }

    private func options(
        idempotent: Bool = true,
        pageSize: Int32? = nil,
        timeout: Duration? = nil
    ) -> CQLQueryOptions {
        CQLQueryOptions(
            consistency: self.configuration.consistency,
            pageSize: pageSize,
            isIdempotent: idempotent,
            timeout: timeout
        )
    }

    /// Creates the keyspace (with the configured replication) and the table if they do not exist, then waits until
    /// the schema is ready: every node that is up has the table.
    ///
    /// The statements go through one connection (one coordinator), and after each the client waits for the up nodes
    /// to agree on that coordinator's schema version (nodes that are down are not counted). Then each up node is
    /// asked whether it has the table. If that does not happen within ``Configuration/schemaAgreementTimeout``, one
    /// warning names the nodes that lag and `prepare` returns (writes there may fail until they catch up).
    public func prepare() async throws {
        try await self.ensureConnected()
        let timeout = self.configuration.schemaAgreementTimeout
        let deadline = ContinuousClock.now + timeout
        let ddl = CQLQueryOptions(consistency: self.configuration.consistency, pageSize: nil, timeout: .seconds(60))
        let statements = Self.schemaStatements(
            keyspace: self.keyspace, table: self.table, replication: self.configuration.replication)
        let agreement = try await self.client.applySchema(statements, options: ddl, agreementTimeout: timeout)
        var missing = await self.client.hostsMissingTable(self.table, inKeyspace: self.keyspace)
        while !missing.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            missing = await self.client.hostsMissingTable(self.table, inKeyspace: self.keyspace)
        }
        var metadata: Logger.Metadata = [
            "table": "\(self.qualifiedTable)", "schema_version": "\(agreement.version ?? "unknown")",
            "coordinator": "\(agreement.coordinator)",
        ]
        if !agreement.down.isEmpty { metadata["down_not_counted"] = "\(agreement.down.sorted())" }
        guard agreement.agreed, missing.isEmpty else {
            if !missing.isEmpty { metadata["missing_table"] = "\(missing)" }
            if !agreement.agreed { metadata["agreement"] = "\(agreement)" }
            self.logger.warning(
                """
                Cassandra schema not on every up node after \(timeout); writes there may fail with 'unconfigured \
                table' until they catch up: check 'nodetool describecluster' (one schema version) and run \
                'schema --apply' again
                """,
                metadata: metadata)
            return
        }
        self.logger.info("Cassandra schema ready", metadata: metadata)
    }

    /// The prepared upsert (the write benchmark sends rows one by one with it).
    public func insertStatement() async throws -> CQLPreparedStatement {
        try await self.ensureConnected()
        return try await self.client.prepare(Self.insertCQL(keyspace: self.keyspace, table: self.table))
    }

    /// Writes one row (one EXECUTE, routed to a replica of its partition).
    public func write(_ row: UserRow, statement: CQLPreparedStatement) async throws {
        _ = try await self.client.execute(statement, Self.bindValues(row), options: self.options())
    }

    /// Upserts the rows, up to ``Configuration/maximumInFlightWrites`` at once; returns when every write was
    /// acknowledged at the configured consistency. When one user appears twice, the later row is written.
    /// - Throws: the first failed write's error (writes are idempotent and already retried on other hosts).
    public func upsert(_ rows: [UserRow]) async throws {
        guard !rows.isEmpty else { return }
        let statement = try await self.insertStatement()
        let unique = Self.lastPerUser(rows)
        let limit = max(1, self.configuration.maximumInFlightWrites)
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            while next < unique.count, next < limit {
                let row = unique[next]
                group.addTask { try await self.write(row, statement: statement) }
                next += 1
            }
            while try await group.next() != nil {
                if next < unique.count {
                    let row = unique[next]
                    group.addTask { try await self.write(row, statement: statement) }
                    next += 1
                }
            }
        }
    }

    /// The stored row of one user, or nil.
    public func get(userID: String) async throws -> UserRow? {
        try await self.ensureConnected()
        let select = try await self.client.prepare(
            "SELECT \(Self.selectColumns) FROM \(self.qualifiedTable) WHERE user_id = ?"
        )
        let result = try await self.client.execute(select, [.text(userID)], options: self.options())
        return try result.rows.first.map(Self.userRow(from:))
    }

    /// One page in token order: `token(user_id) > token(after)`, so each page is one range read on the ring.
    public func page(after: String?, limit: Int) async throws -> [UserRow] {
        guard limit > 0 else { return [] }
        try await self.ensureConnected()
        let result: CQLQueryResult
        if let after {
            let select = try await self.client.prepare(
                "SELECT \(Self.selectColumns) FROM \(self.qualifiedTable) WHERE token(user_id) > token(?) LIMIT \(limit)")
            result = try await self.client.execute(select, [.text(after)], options: self.options())
        } else {
            let select = try await self.client.prepare(
                "SELECT \(Self.selectColumns) FROM \(self.qualifiedTable) LIMIT \(limit)")
            result = try await self.client.execute(select, [], options: self.options())
        }
        return try result.rows.map(Self.userRow(from:))
    }

    /// The `limit` most recently processed users, newest first.
    ///
    /// Cost: the table is keyed by `user_id` only, so this reads **every row** (a full scan in pages of 1,000)
    /// and keeps the newest `limit` in memory. Fine for tens of thousands of users; for large tables keep a
    /// separate table clustered by time instead.
    public func latest(_ limit: Int) async throws -> [UserRow] {
        guard limit > 0 else { return [] }
        try await self.ensureConnected()
        let select = try await self.client.prepare("SELECT \(Self.selectColumns) FROM \(self.qualifiedTable)")
        var top: [UserRow] = []
        for try await row in self.client.rows(select, [], options: self.options(pageSize: 1000)) {
            Self.keepNewest(try Self.userRow(from: row), in: &top, limit: limit)
        }
        return top
    }

    /// How many users are stored (`SELECT COUNT(*)`: a full scan on the coordinator; allowed 2 minutes).
    public func count() async throws -> Int {
        try await self.ensureConnected()
        let result = try await self.client.query(
            "SELECT COUNT(*) FROM \(self.qualifiedTable)",
            options: self.options(pageSize: 5000, timeout: .seconds(120))
        )
        guard let row = result.rows.first else { return 0 }
        return try row.decode(Int.self, at: 0)
    }

    /// Deletes one user. Cassandra does not say whether a row existed, so this reads it first.
    @discardableResult
    public func delete(userID: String) async throws -> Bool {
        try await self.ensureConnected()
        let exists = try await self.client.prepare("SELECT user_id FROM \(self.qualifiedTable) WHERE user_id = ?")
        let found = try await self.client.execute(exists, [.text(userID)], options: self.options())
        guard !found.rows.isEmpty else { return false }
        let delete = try await self.client.prepare("DELETE FROM \(self.qualifiedTable) WHERE user_id = ?")
        _ = try await self.client.execute(delete, [.text(userID)], options: self.options())
        return true
    }

    /// Closes every connection.
    public func close() async throws {
        await self.client.close()
    }
}

extension CassandraUserStore {
    /// Cassandra's transient failures: no node reachable or a connection lost, a request timed out, a node
    /// unavailable, overloaded or bootstrapping, a write or read timeout. Authentication, authorization, syntax,
    /// invalid requests and configuration errors are not.
    public func isTransient(_ error: any Error) -> Bool {
        CQLError.isTransient(error)
    }
}
