import Backoff
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// A Cassandra client for a whole cluster: connection pools per host, discovery of the other nodes,
/// token-aware routing, retries of idempotent work on another host, and reconnection with exponential backoff.
///
/// A host that cannot be connected to is marked down (one warning) and tried again in the background after
/// ``Configuration/reconnectBackoff`` delays for as long as it stays down (one info line when it is back); requests
/// skip it meanwhile. When every host is down, requests fail at once with ``CQLError/Code/noHostAvailable``, and
/// they succeed again on the same client once a host is back. ``CQLError/isTransient(_:)`` tells which failures are
/// worth retrying later.
///
/// ```swift
/// let client = try CQLClient(configuration: .init(contactPoints: ["127.0.0.1"]))
/// try await client.connect()
/// let insert = try await client.prepare("INSERT INTO ks.t (k, v) VALUES (?, ?)")
/// try await client.execute(insert, [.text("k"), .unset], options: .init(isIdempotent: true))
/// await client.close()
/// ```
public final class CQLClient: Sendable {
    /// Options of a client.
    public struct Configuration: Sendable, CustomStringConvertible {
        /// Nodes to start from: `host`, `host:port` or `[v6]:port`. Default: `["127.0.0.1"]`.
        public var contactPoints: [String]
        /// The port of contact points without one, and of discovered nodes. Default: 9042.
        public var port: Int
        /// Options of each connection (credentials, TLS, compression, in-flight limit, timeouts).
        public var connection: CQLConnection.Configuration
        /// Connections per host; a new one opens when the others are busy. Default: 1.
        public var connectionsPerHost: Int
        /// Requests in flight on a connection before another one is opened (up to ``connectionsPerHost``).
        /// Default: 256.
        public var busyConnectionThreshold: Int
        /// The data center whose nodes are preferred; nil treats every node alike. Default: nil.
        public var localDataCenter: String?
        /// Whether to learn the other nodes from `system.peers`. Default: true.
        public var discoverPeers: Bool
        /// Whether to listen for topology and status events on one connection. Default: true.
        public var listenForEvents: Bool
        /// Whether prepared statements with partition key indices go to a replica first. Default: true.
        public var tokenAwareRouting: Bool
        /// How many times idempotent work is retried on another host. Default: 2.
        public var maximumRetries: Int
        /// The first wait before reconnecting to a host that is down; doubles per failure. Default: 100 ms.
        public var reconnectBaseDelay: Duration
        /// The longest wait between reconnection attempts; a host stays down for as long as it takes, tried again
        /// at least this often. Default: 10 s.
        public var reconnectMaximumDelay: Duration

        /// The reconnection policy: ``reconnectBaseDelay`` doubled per failure up to ``reconnectMaximumDelay``,
        /// without jitter.
        public var reconnectBackoff: Backoff {
            Backoff(base: self.reconnectBaseDelay, cap: self.reconnectMaximumDelay, jitter: .none)
        }

        /// Creates a configuration with the defaults.
        public init(
            contactPoints: [String] = ["127.0.0.1"],
            port: Int = 9042,
            connection: CQLConnection.Configuration = .init(),
            connectionsPerHost: Int = 1,
            localDataCenter: String? = nil
        ) {
            self.contactPoints = contactPoints
            self.port = port
            self.connection = connection
            self.connectionsPerHost = connectionsPerHost
            self.busyConnectionThreshold = 256
            self.localDataCenter = localDataCenter
            self.discoverPeers = true
            self.listenForEvents = true
            self.tokenAwareRouting = true
            self.maximumRetries = 2
            self.reconnectBaseDelay = .milliseconds(100)
            self.reconnectMaximumDelay = .seconds(10)
        }

        /// Username and password (stored in ``connection``).
        public var credentials: CQLCredentials? {
            get { self.connection.credentials }
            set { self.connection.credentials = newValue }
        }

        /// TLS (stored in ``connection``).
        public var tls: TLSConfiguration? {
            get { self.connection.tls }
            set { self.connection.tls = newValue }
        }

        /// The options, with the password redacted.
        public var description: String {
            "CQLClient.Configuration(contactPoints: \(self.contactPoints), port: \(self.port), "
                + "connectionsPerHost: \(self.connectionsPerHost), localDataCenter: \(self.localDataCenter ?? "any"), "
                + "\(self.connection))"
        }
    }

    struct HostEntry {
        var host: CQLHost
        var connections: [CQLConnection] = []
        var connecting: EventLoopFuture<CQLConnection>?
        var health = CQLHostState()
        /// The statements the node has prepared, shared by its connections.
        let statements = CQLPreparedCache()
    }

    struct State {
        var hosts: [String: HostEntry] = [:]
        var order: [String] = []
        var ring = CQLTokenRing(hosts: [])
        var replication: [String: CQLReplication] = [:]
        var replicationUnknown: Set<String> = []
        var prepared: [String: CQLPreparedStatement] = [:]
        var counter = 0
        var closed = false
        var eventTask: Task<Void, Never>?
        var contactIDs: [String] = []
        /// Background reconnection loops by number, one per host that is down.
        var reconnectTasks: [UInt64: Task<Void, Never>] = [:]
        var nextReconnector: UInt64 = 0
    }

    /// The configuration.
    public let configuration: Configuration
    let eventLoopGroup: any EventLoopGroup
    let sslContext: NIOSSLContext?
    let logger: Logger
    let state = NIOLockedValueBox(State())
    private let closedPromise: EventLoopPromise<Void>

    /// Creates a client; nothing connects until ``connect()`` or the first request.
    /// - Throws: when the TLS configuration is invalid or no contact point parses.
    public init(
        configuration: Configuration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "cql")
    ) throws {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.sslContext = try configuration.connection.tls.map { try NIOSSLContext(configuration: $0) }
        self.closedPromise = eventLoopGroup.any().makePromise(of: Void.self)
        var contacts: [CQLHost] = []
        for point in configuration.contactPoints {
            guard let (address, port) = CQLHost.parse(point, defaultPort: configuration.port) else {
                throw CQLError(code: .invalidArgument, message: "contact point '\(point)' is not host[:port]")
            }
            contacts.append(CQLHost(address: address, port: port))
        }
        guard !contacts.isEmpty else { throw CQLError(code: .invalidArgument, message: "no contact points") }
        self.state.withLockedValue { state in
            for host in contacts where state.hosts[host.id] == nil {
                state.hosts[host.id] = HostEntry(host: host)
                state.order.append(host.id)
                state.contactIDs.append(host.id)
            }
        }
    }

    deinit {
        // `run()` waits on this promise; a client dropped without `close()` must not leak it.
        self.closedPromise.succeed(())
    }

    /// The hosts the client knows, contact points and discovered nodes.
    public var hosts: [CQLHost] {
        self.state.withLockedValue { state in state.order.compactMap { state.hosts[$0]?.host } }
    }

    // MARK: lifecycle

    /// Connects to the first reachable contact point, discovers the cluster, opens a connection to every node and
    /// starts listening for events.
    /// - Throws: ``CQLServerError`` for refused credentials, ``CQLError`` (`noHostAvailable`) when no contact point
    ///   answers.
    public func connect() async throws {
        let contacts = self.state.withLockedValue { $0.contactIDs }
        var failures: [CQLError.HostFailure] = []
        for id in contacts {
            do {
                let connection = try await self.connection(to: id)
                if self.configuration.discoverPeers || self.configuration.tokenAwareRouting {
                    do {
                        try await self.refreshTopology(using: connection, localID: id)
                    } catch {
                        self.logger.warning("CQL topology discovery failed", metadata: ["error": "\(error)"])
                    }
                }
                await self.connectToEveryHost()
                if self.configuration.listenForEvents { self.startEventListener() }
                return
            } catch {
                if Self.isFatal(error) { throw error }
                failures.append(CQLError.HostFailure(host: id, error: error))
            }
        }
        throw CQLError(
            code: .noHostAvailable,
            message: "no contact point could be reached: \(failures.map(\.description).joined(separator: "; "))",
            causes: failures
        )
    }

    /// Opens a connection to every known host at once, so that the client knows which nodes are up before the
    /// first request (schema agreement counts only those) and a node that is down is marked down (one warning)
    /// instead of being found out by a request.
    func connectToEveryHost() async {
        let ids = self.queryPlan(routingKey: nil, keyspace: nil)
        await withTaskGroup(of: Void.self) { group in
            for id in ids { group.addTask { _ = try? await self.connection(to: id) } }
        }
    }

    /// Connects, then runs until ``close()`` is called or the task is cancelled (for a service runner).
    public func run() async throws {
        try await self.connect()
        try await withTaskCancellationHandler {
            try await self.closedPromise.futureResult.get()
        } onCancel: {
            Task { await self.close() }
        }
    }

    /// Closes every connection and stops reconnecting; requests still pending fail. Idempotent.
    public func close() async {
        let (connections, tasks) = self.state.withLockedValue { state -> ([CQLConnection], [Task<Void, Never>]) in
            state.closed = true
            let connections = state.hosts.values.flatMap(\.connections)
            for id in state.hosts.keys { state.hosts[id]?.connections = [] }
            let tasks = Array(state.reconnectTasks.values) + (state.eventTask.map { [$0] } ?? [])
            state.eventTask = nil
            state.reconnectTasks = [:]
            return (connections, tasks)
        }
        for task in tasks { task.cancel() }
        for connection in connections { try? await connection.close() }
        self.closedPromise.succeed(())
    }

    // MARK: requests

    /// Runs a CQL string on some host (values by position).
    public func query(
        _ cql: String,
        _ values: [any CQLEncodable] = [],
        options: CQLQueryOptions = CQLQueryOptions()
    ) async throws -> CQLQueryResult {
        let values = values.map(\.cqlValue)
        return try await self.withRetries(routingKey: nil, keyspace: nil, idempotent: options.isIdempotent) {
            connection in
            try await connection.query(cql, values, options: options)
        }
    }

    /// Prepares a statement on every node that is up (once per client and node), so that a request routed to any
    /// of them runs it at once. A node that comes up later gets it when the client connects to it; a node that
    /// answers UNPREPARED anyway (it restarted, or evicted it) prepares it again once, however many requests got
    /// that answer at the same time.
    public func prepare(_ cql: String) async throws -> CQLPreparedStatement {
        if let cached = self.state.withLockedValue({ $0.prepared[cql] }) { return cached }
        let statement = try await self.withRetries(routingKey: nil, keyspace: nil, idempotent: true) { connection in
            try await connection.prepare(cql)
        }
        self.state.withLockedValue { $0.prepared[cql] = statement }
        let ids = self.queryPlan(routingKey: nil, keyspace: nil)
        await withTaskGroup(of: Void.self) { group in
            for id in ids {
                group.addTask {
                    guard let connection = try? await self.connection(to: id) else { return }
                    await self.prepare([cql], on: connection, hostID: id)
                }
            }
        }
        return statement
    }

    /// Executes a prepared statement on a replica of its partition when it can, retrying idempotent work elsewhere.
    /// - Parameter values: One per bind marker; ``CQLValue/unset`` leaves a column unwritten.
    public func execute(
        _ statement: CQLPreparedStatement,
        _ values: [CQLValue],
        options: CQLQueryOptions = CQLQueryOptions()
    ) async throws -> CQLQueryResult {
        let bound = try statement.bind(values)
        let routingKey = self.configuration.tokenAwareRouting ? statement.routingKey(bound) : nil
        return try await self.withRetries(
            routingKey: routingKey, keyspace: statement.keyspace, idempotent: options.isIdempotent
        ) { connection in
            try await connection.execute(statement, bound, options: options)
        }
    }

    /// Runs a batch.
    public func batch(
        _ kind: CQLBatch.Kind,
        _ statements: [CQLBatchStatement],
        options: CQLQueryOptions = CQLQueryOptions()
    ) async throws -> CQLQueryResult {
        try await self.withRetries(routingKey: nil, keyspace: nil, idempotent: options.isIdempotent) { connection in
            try await connection.batch(kind, statements, options: options)
        }
    }

    /// Pages through a query's rows, fetching each page when the previous one is consumed.
    public func rows(
        _ cql: String,
        _ values: [any CQLEncodable] = [],
        options: CQLQueryOptions = CQLQueryOptions()
    ) -> CQLRowSequence {
        let values = values.map(\.cqlValue)
        return CQLRowSequence(startingAt: options.pagingState) { [self] state in
            var pageOptions = options
            pageOptions.pagingState = state
            return Self.rowsOf(try await self.query(cql, values, options: pageOptions))
        }
    }

    /// Pages through a prepared statement's rows.
    public func rows(
        _ statement: CQLPreparedStatement,
        _ values: [CQLValue],
        options: CQLQueryOptions = CQLQueryOptions()
    ) -> CQLRowSequence {
        CQLRowSequence(startingAt: options.pagingState) { [self] state in
            var pageOptions = options
            pageOptions.pagingState = state
            return Self.rowsOf(try await self.execute(statement, values, options: pageOptions))
        }
    }

    static func rowsOf(_ result: CQLQueryResult) -> CQLRows {
        guard case .rows(let rows) = result.result else {
            return CQLRows(metadata: CQLRowsMetadata(columnCount: 0, columns: []), rows: [])
        }
        return rows
    }
}
