import Foundation

/// Where the nodes stand on the schema after DDL: the version of the node that ran it, and the nodes that are up but
/// report another one.
///
/// Only nodes that are up count, as in the DataStax drivers: nodes the client has marked down are left out (their
/// version in `system.peers` is the one they had when they went down), and so are nodes the client does not know
/// (peers not discovered, with `discoverPeers` off).
public struct CQLSchemaAgreement: Sendable, CustomStringConvertible {
    /// The node the versions were read on (the one that ran the DDL), `address:port`.
    public var coordinator: String
    /// The coordinator's schema version (a UUID); nil when it did not say.
    public var version: String?
    /// Up nodes (`address:port`) whose version differs from the coordinator's, with their version.
    public var lagging: [String: String]
    /// Nodes left out because the client has them down, `address:port`.
    public var down: [String]

    /// Creates an agreement report.
    public init(coordinator: String, version: String?, lagging: [String: String] = [:], down: [String] = []) {
        self.coordinator = coordinator
        self.version = version
        self.lagging = lagging
        self.down = down
    }

    /// Whether every up node reports the coordinator's version.
    public var agreed: Bool { self.lagging.isEmpty }

    /// One line: the version, who lags with which version, who is down.
    public var description: String {
        var text = "schema version \(self.version ?? "unknown") on \(self.coordinator)"
        if !self.lagging.isEmpty {
            text += "; other versions on "
                + self.lagging.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
        }
        if !self.down.isEmpty { text += "; down, not counted: " + self.down.sorted().joined(separator: ", ") }
        return text
    }
}

extension CQLClient {
    /// Runs schema statements (DDL) in order through **one connection**, so one coordinator runs them all, and after
    /// each waits until the up nodes agree on the coordinator's schema version before sending the next (a `CREATE
    /// TABLE` sent to a node that has not heard of its `CREATE KEYSPACE` yet fails with "Keyspace ... doesn't
    /// exist").
    ///
    /// DDL is not retried on another node after a failure (two coordinators creating the same table can give it two
    /// ids); a node that cannot be connected to is skipped before anything is sent.
    /// - Parameters:
    ///   - statements: The statements, without semicolons.
    ///   - options: Options of each statement. Default: the default consistency, 60 s timeout.
    ///   - agreementTimeout: The longest wait for agreement, for all the statements together. Default: 30 s.
    /// - Returns: The agreement after the last statement (``CQLSchemaAgreement/agreed`` is false when the wait
    ///   ran out).
    /// - Throws: the first statement's failure, or ``CQLError`` when no node could be reached.
    public func applySchema(
        _ statements: [String],
        options: CQLQueryOptions = CQLQueryOptions(pageSize: nil, timeout: .seconds(60)),
        agreementTimeout: Duration = .seconds(30)
    ) async throws -> CQLSchemaAgreement {
        let deadline = ContinuousClock.now + agreementTimeout
        return try await self.withRetriesOnHost(routingKey: nil, keyspace: nil, idempotent: false) { connection, id in
            var agreement = CQLSchemaAgreement(coordinator: id, version: nil)
            for statement in statements {
                _ = try await connection.query(statement, options: options)
                agreement = try await self.waitForSchemaAgreement(
                    on: connection, hostID: id, timeout: max(.zero, deadline - .now))
                self.logger.debug("CQL schema statement applied", metadata: ["agreement": "\(agreement)"])
            }
            return agreement
        }
    }

    /// Waits until every reachable node reports the same schema version (after DDL), or the timeout passes.
    ///
    /// Every node that is up is asked for its own version; nodes that are down do not count. After DDL prefer
    /// ``applySchema(_:options:agreementTimeout:)``, which also sends the statements through one coordinator.
    /// - Returns: whether the versions agreed.
    public func waitForSchemaAgreement(timeout: Duration = .seconds(10)) async throws -> Bool {
        try await self.withRetriesOnHost(routingKey: nil, keyspace: nil, idempotent: true) { connection, id in
            try await self.waitForSchemaAgreement(on: connection, hostID: id, timeout: timeout).agreed
        }
    }

    /// Reads the schema versions on `connection` every 200 ms until the up nodes agree or `timeout` passes.
    func waitForSchemaAgreement(
        on connection: CQLConnection,
        hostID: String,
        timeout: Duration
    ) async throws -> CQLSchemaAgreement {
        let deadline = ContinuousClock.now + timeout
        while true {
            let agreement = try await self.schemaAgreement(on: connection, hostID: hostID)
            if agreement.agreed || ContinuousClock.now >= deadline { return agreement }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// One look at the versions: the coordinator's `system.local`, then every other node the client knows and has
    /// not marked down, each asked on its own connection about its own version (`system.peers` is not trusted: it
    /// keeps a down node's old version, and a node that has not heard of a change yet shows its peers at its own).
    /// A node that cannot be connected to is marked down by the attempt and left out.
    func schemaAgreement(on connection: CQLConnection, hostID: String) async throws -> CQLSchemaAgreement {
        let version = try await Self.schemaVersion(on: connection)
        var agreement = CQLSchemaAgreement(coordinator: hostID, version: version)
        let others = self.state.withLockedValue { state in state.order.filter { $0 != hostID } }
        enum Answer: Sendable {
            case down
            case version(String?)
            case failed(String)
        }
        let answers = await withTaskGroup(of: (String, Answer).self) { group in
            for id in others {
                group.addTask {
                    if case .down = self.hostStatus(id) { return (id, .down) }
                    do {
                        let peer = try await self.connection(to: id)
                        return (id, .version(try await Self.schemaVersion(on: peer)))
                    } catch {
                        if case .down = self.hostStatus(id) { return (id, .down) }
                        return (id, .failed("unknown: \(error)"))
                    }
                }
            }
            var answers: [(String, Answer)] = []
            for await answer in group { answers.append(answer) }
            return answers
        }
        for (id, answer) in answers {
            switch answer {
            case .down:
                agreement.down.append(id)
            case .version(let peerVersion):
                if peerVersion != version { agreement.lagging[id] = peerVersion ?? "unknown" }
            case .failed(let reason):
                agreement.lagging[id] = reason
            }
        }
        agreement.down.sort()
        return agreement
    }

    /// The schema version of the node at the other end of `connection`, from its `system.local`.
    static func schemaVersion(on connection: CQLConnection) async throws -> String? {
        let local = try await connection.query(
            "SELECT schema_version FROM system.local", options: CQLQueryOptions(consistency: .one, pageSize: nil))
        return try local.rows.first?.decode(UUID?.self, column: "schema_version").map(Self.uuidText)
    }

    /// The up nodes (`address:port`) that do not have `keyspace.table` in their own `system_schema.tables`, each
    /// asked on its own connection. Nodes that cannot be connected to are down and left out; a node whose answer
    /// fails is counted as missing the table.
    public func hostsMissingTable(_ table: String, inKeyspace keyspace: String) async -> [String] {
        let ids = self.queryPlan(routingKey: nil, keyspace: nil)
        let options = CQLQueryOptions(consistency: .one, pageSize: nil)
        let missing = await withTaskGroup(of: String?.self) { group in
            for id in ids {
                group.addTask {
                    let connection: CQLConnection
                    do {
                        connection = try await self.connection(to: id)
                    } catch {
                        return nil
                    }
                    do {
                        let result = try await connection.query(
                            "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?",
                            [keyspace, table], options: options)
                        return result.rows.isEmpty ? id : nil
                    } catch {
                        self.logger.debug(
                            "CQL table check failed", metadata: ["host": "\(id)", "error": "\(error)"])
                        return id
                    }
                }
            }
            var missing: [String] = []
            for await id in group { if let id { missing.append(id) } }
            return missing
        }
        return missing.sorted()
    }

    enum HostStatus {
        /// Not a node the client knows (not discovered, or discovery is off).
        case unknown
        case down
        /// Up, with or without an open connection.
        case up(connected: Bool)
    }

    func hostStatus(_ id: String) -> HostStatus {
        self.state.withLockedValue { state in
            guard let entry = state.hosts[id] else { return .unknown }
            if entry.health.isDown { return .down }
            return .up(connected: entry.connections.contains { $0.isActive })
        }
    }

    static func uuidText(_ uuid: UUID) -> String { uuid.uuidString.lowercased() }
}
