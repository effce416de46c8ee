import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// One connection to one Cassandra node, speaking protocol v4.
///
/// Many requests share the connection at once (up to ``Configuration/maximumInFlight`` stream ids; more wait
/// in a queue, within their timeout); answers are matched by stream id in whatever order they come. Prepared
/// statements are cached by query text for the node (shared by a ``CQLClient``'s connections to it). Most programs use
/// ``CQLClient``, which pools connections over a cluster.
public final class CQLConnection: Sendable {
    /// Options of one connection.
    public struct Configuration: Sendable, CustomStringConvertible {
        /// Username and password for `PasswordAuthenticator`. Default: nil.
        public var credentials: CQLCredentials?
        /// TLS; nil for plain TCP. Default: nil.
        public var tls: TLSConfiguration?
        /// The name sent for SNI and checked against the certificate; nil uses the host connected to.
        public var tlsServerName: String?
        /// Frame compression to negotiate. Default: nil (none).
        public var compression: CQLCompression?
        /// The largest frame body accepted. Default: 256 MB (the protocol's limit).
        public var maximumBodyLength: Int
        /// Stream ids in use at once; later requests wait for a free one, within their ``requestTimeout``.
        /// Default: 1024 (at most 32768).
        public var maximumInFlight: Int
        /// How long a request may wait for its answer, counted from when it is handed to the connection, so a wait
        /// for a free stream id counts too: a request still waiting then fails with ``CQLError/Code/timeout``
        /// unsent. Default: 12 s.
        public var requestTimeout: Duration
        /// How long to open the TCP connection and finish the handshake. Default: 5 s.
        public var connectTimeout: Duration
        /// After this long without reading anything, an OPTIONS heartbeat is sent; no answer within
        /// ``requestTimeout`` closes the connection. nil turns heartbeats off. Default: 30 s.
        public var heartbeatInterval: Duration?
        /// Timed-out requests still unanswered at which the connection is considered dead and closed.
        /// Default: 256.
        public var maximumOrphanedRequests: Int

        /// Creates a configuration with the defaults.
        public init(
            credentials: CQLCredentials? = nil,
            tls: TLSConfiguration? = nil,
            compression: CQLCompression? = nil,
            maximumBodyLength: Int = 256 * 1024 * 1024,
            maximumInFlight: Int = 1024,
            requestTimeout: Duration = .seconds(12),
            connectTimeout: Duration = .seconds(5)
        ) {
            self.credentials = credentials
            self.tls = tls
            self.compression = compression
            self.maximumBodyLength = maximumBodyLength
            self.maximumInFlight = maximumInFlight
            self.requestTimeout = requestTimeout
            self.connectTimeout = connectTimeout
            self.heartbeatInterval = .seconds(30)
            self.maximumOrphanedRequests = 256
        }

        /// The options, with the password redacted.
        public var description: String {
            "CQLConnection.Configuration(credentials: \(self.credentials.map { "\($0)" } ?? "none"), "
                + "tls: \(self.tls == nil ? "off" : "on"), compression: \(self.compression?.name ?? "none"), "
                + "maximumInFlight: \(self.maximumInFlight), requestTimeout: \(self.requestTimeout))"
        }
    }

    /// The channel.
    let channel: any Channel
    /// The configuration.
    let configuration: Configuration
    /// The `host:port` connected to.
    public let host: String
    private let logger: Logger
    /// The statements the node has prepared; shared by the connections a ``CQLClient`` opens to one node.
    let statements: CQLPreparedCache
    private let eventContinuation: AsyncStream<CQLEvent>.Continuation
    private let outstanding = Atomic<Int>(0)

    /// Requests sent on this connection that have not been answered yet.
    public var inFlightRequests: Int { self.outstanding.load(ordering: .relaxed) }

    /// Server events (after ``register(_:)``); finishes when the connection closes.
    public let events: AsyncStream<CQLEvent>

    private init(
        channel: any Channel,
        configuration: Configuration,
        host: String,
        logger: Logger,
        events: AsyncStream<CQLEvent>,
        continuation: AsyncStream<CQLEvent>.Continuation,
        statements: CQLPreparedCache
    ) {
        self.statements = statements
        self.channel = channel
        self.configuration = configuration
        self.host = host
        self.logger = logger
        self.events = events
        self.eventContinuation = continuation
    }

    // MARK: opening and closing

    /// Opens a connection and completes the handshake (STARTUP, authentication).
    /// - Parameters:
    ///   - host: A host name or IP address.
    ///   - port: The native protocol port. Default: 9042.
    ///   - configuration: Credentials, TLS and limits.
    ///   - eventLoopGroup: Where the channel runs. Default: the shared NIO group.
    ///   - logger: Where to log (never credentials).
    /// - Throws: ``CQLError`` (`connectFailed`, `authenticationRequired`...) or ``CQLServerError``
    ///   (e.g. `Authentication_error` for a wrong password).
    public static func connect(
        host: String,
        port: Int = 9042,
        configuration: Configuration = Configuration(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "cql")
    ) async throws -> CQLConnection {
        let sslContext = try configuration.tls.map { try NIOSSLContext(configuration: $0) }
        return try await self.connect(
            host: host, port: port, configuration: configuration, sslContext: sslContext,
            eventLoopGroup: eventLoopGroup, logger: logger
        )
    }

    static func connect(
        host: String,
        port: Int,
        configuration: Configuration,
        sslContext: NIOSSLContext?,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger,
        statements: CQLPreparedCache = CQLPreparedCache()
    ) async throws -> CQLConnection {
        let serverName = configuration.tlsServerName ?? host
        let recorder = FirstErrorRecorder()
        let bootstrap = ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(.nanoseconds(configuration.connectTimeout.nanosecondsClamped))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                guard let sslContext else { return channel.eventLoop.makeSucceededVoidFuture() }
                do {
                    let isIP = CQLInet(serverName) != nil
                    let handler = try NIOSSLClientHandler(context: sslContext, serverHostname: isIP ? nil : serverName)
                    try channel.pipeline.syncOperations.addHandlers(handler, recorder)
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            throw CQLError(code: .connectFailed, message: "cannot connect", host: "\(host):\(port)", underlying: error)
        }
        return try await self.start(
            channel: channel, configuration: configuration, host: "\(host):\(port)", logger: logger,
            statements: statements, earlierError: { recorder.error })
    }

    /// Installs the protocol handler on an open channel and runs the handshake (tests use an embedded channel).
    static func start(
        channel: any Channel,
        configuration: Configuration,
        host: String,
        logger: Logger,
        statements: CQLPreparedCache = CQLPreparedCache(),
        earlierError: @Sendable () -> (any Error)? = { nil }
    ) async throws -> CQLConnection {
        let (events, continuation) = AsyncStream<CQLEvent>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let handshake = channel.eventLoop.makePromise(of: Void.self)
        let timeout = configuration.connectTimeout
        let handlerAdded = channel.eventLoop.submit {
            let handler = CQLChannelHandler(
                credentials: configuration.credentials,
                compression: configuration.compression,
                maximumBodyLength: configuration.maximumBodyLength,
                maximumInFlight: configuration.maximumInFlight,
                handshakePromise: handshake,
                logger: logger,
                heartbeatInterval: configuration.heartbeatInterval.map { .nanoseconds($0.nanosecondsClamped) },
                heartbeatTimeout: .nanoseconds(configuration.requestTimeout.nanosecondsClamped),
                maximumOrphans: configuration.maximumOrphanedRequests,
                onEvent: { continuation.yield($0) }
            )
            try channel.pipeline.syncOperations.addHandler(handler)
            let scheduled = channel.eventLoop.scheduleTask(in: .nanoseconds(timeout.nanosecondsClamped)) {
                // With TLS on, a server that speaks plain CQL may just wait for a frame that never comes.
                let hint = configuration.tls == nil ? "" : " (TLS is on: does the server have TLS on this port?)"
                handshake.fail(
                    CQLError(code: .timeout, message: "handshake not finished in \(timeout)\(hint)", host: host))
            }
            handshake.futureResult.whenComplete { _ in scheduled.cancel() }
        }
        // A channel that closes ends the handshake, also when it closed before the handler was added (a failed TLS
        // handshake can get there first, and the handler then never sees it go inactive). Failing a completed
        // promise is ignored.
        channel.closeFuture.whenComplete { _ in
            handshake.fail(CQLError(code: .connectionClosed, message: "the connection closed during the handshake", host: host))
            continuation.finish()
        }
        do {
            try await handlerAdded.get()
            try await handshake.futureResult.get()
        } catch {
            // The handler may never have been added (a failed TLS handshake can close the channel first): the
            // handshake promise must still be completed (completing it twice is ignored).
            handshake.fail(error)
            channel.close(promise: nil)
            // A failed TLS handshake closes the channel, and what follows fails with "I/O on closed channel":
            // report the handshake's own error.
            let cause = earlierError() ?? error
            throw CQLError.explainingTLS(cause, host: host) ?? cause
        }
        return CQLConnection(
            channel: channel, configuration: configuration, host: host, logger: logger,
            events: events, continuation: continuation, statements: statements
        )
    }

    /// Closes the connection; requests still pending fail with ``CQLError/Code/connectionClosed``.
    public func close() async throws {
        guard self.channel.isActive else { return }
        do {
            try await self.channel.close()
        } catch ChannelError.alreadyClosed {
            return
        }
    }

    /// Completes when the channel has closed.
    public var closeFuture: EventLoopFuture<Void> { self.channel.closeFuture }

    /// Whether the channel is open.
    public var isActive: Bool { self.channel.isActive }

    // MARK: requests

    /// Sends one request and waits for its answer. An ERROR answer is thrown as ``CQLServerError``.
    public func send(_ request: CQLRequest, timeout: Duration? = nil, tracing: Bool = false) async throws -> CQLResponse
    {
        let promise = self.channel.eventLoop.makePromise(of: CQLResponse.self)
        self.outstanding.add(1, ordering: .relaxed)
        defer { self.outstanding.subtract(1, ordering: .relaxed) }
        let limit = timeout ?? self.configuration.requestTimeout
        let task = CQLTask(
            request: request,
            promise: promise,
            timeout: .nanoseconds(limit.nanosecondsClamped),
            tracing: tracing
        )
        let written = self.channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { [host] error in
            // The handler never saw the request (the channel is closed): fail it here, never leave it hanging.
            promise.fail(
                CQLError(code: .connectionClosed, message: "the connection is closed", host: host, underlying: error))
        }
        self.channel.writeAndFlush(task, promise: written)
        do {
            let response = try await promise.futureResult.get()
            return response
        } catch var error as CQLError {
            if error.host == nil { error.host = self.host }
            throw error
        }
    }

    /// Runs a CQL string with values bound by position.
    /// - Throws: ``CQLServerError`` or ``CQLError``.
    public func query(
        _ cql: String,
        _ values: [any CQLEncodable] = [],
        options: CQLQueryOptions = CQLQueryOptions()
    ) async throws -> CQLQueryResult {
        let request = CQLRequest.query(
            CQLQuery(query: cql, parameters: options.parameters(values: values.map(\.cqlValue))))
        return try self.wrap(try await self.send(request, timeout: options.timeout, tracing: options.tracing))
    }

    /// Runs a CQL string with values bound by marker name (`:name`).
    public func query(
        _ cql: String,
        named values: [(String, any CQLEncodable)],
        options: CQLQueryOptions = CQLQueryOptions()
    ) async throws -> CQLQueryResult {
        let parameters = options.parameters(values: values.map { $0.1.cqlValue }, names: values.map(\.0))
        let request = CQLRequest.query(CQLQuery(query: cql, parameters: parameters))
        return try self.wrap(try await self.send(request, timeout: options.timeout, tracing: options.tracing))
    }

    /// Prepares a statement, or returns the one this node already prepared for the same text. Concurrent calls for
    /// one text send one PREPARE.
    public func prepare(_ cql: String, timeout: Duration? = nil) async throws -> CQLPreparedStatement {
        if let cached = self.statements.cached(cql) { return cached }
        return try await self.prepare(cql, after: nil, timeout: timeout)
    }

    /// Prepares `cql` on this node unless that happened after `generation` (see ``CQLPreparedCache``).
    func prepare(_ cql: String, after generation: UInt64?, timeout: Duration?) async throws -> CQLPreparedStatement {
        try await self.statements.prepare(cql, after: generation, on: self.channel.eventLoop) {
            let response = try await self.send(.prepare(CQLPrepare(query: cql)), timeout: timeout)
            guard case .result(.prepared(let result)) = response.message else {
                throw CQLError(
                    code: .protocolViolation, message: "PREPARE answered with \(response.message)", host: self.host)
            }
            return CQLPreparedStatement(query: cql, result: result)
        }
    }

    /// Executes a prepared statement. When this node answers UNPREPARED (it restarted, or the statement was
    /// prepared elsewhere), the statement is prepared here and executed again; requests answered UNPREPARED at the
    /// same time share one PREPARE.
    /// - Parameter values: One per bind marker; converted to the markers' types. Use ``CQLValue/unset`` to leave a
    ///   column unwritten.
    public func execute(
        _ statement: CQLPreparedStatement,
        _ values: [CQLValue],
        options: CQLQueryOptions = CQLQueryOptions()
    ) async throws -> CQLQueryResult {
        let bound = try statement.bind(values)
        let skipMetadata = !statement.resultColumns.isEmpty
        func run(_ id: [UInt8]) async throws -> CQLQueryResult {
            let parameters = options.parameters(values: bound, skipMetadata: skipMetadata)
            let response = try await self.send(
                .execute(CQLExecute(id: id, parameters: parameters)), timeout: options.timeout, tracing: options.tracing
            )
            var result = try self.wrap(response)
            if case .rows(let rows) = result.result, rows.metadata.noMetadata {
                result.result = .rows(rows.withColumns(statement.resultColumns))
            }
            return result
        }
        let generation = self.statements.generation
        do {
            return try await run(statement.id)
        } catch let error as CQLServerError where error.code == .unprepared {
            self.logger.debug("re-preparing statement", metadata: ["host": "\(self.host)"])
            let again = try await self.prepare(statement.query, after: generation, timeout: options.timeout)
            return try await run(again.id)
        }
    }

    /// Runs a batch. Prepared statements in it that this node does not know are prepared and the batch re-sent.
    /// - Parameters:
    ///   - kind: Logged, unlogged or counter.
    ///   - statements: Query strings or prepared statements with their values.
    public func batch(
        _ kind: CQLBatch.Kind,
        _ statements: [CQLBatchStatement],
        options: CQLQueryOptions = CQLQueryOptions()
    ) async throws -> CQLQueryResult {
        func run() async throws -> CQLQueryResult {
            let batch = CQLBatch(
                kind: kind,
                statements: try statements.map { try $0.wireStatement() },
                consistency: options.consistency,
                serialConsistency: options.serialConsistency,
                defaultTimestamp: options.defaultTimestamp
            )
            return try self.wrap(try await self.send(.batch(batch), timeout: options.timeout))
        }
        let generation = self.statements.generation
        do {
            return try await run()
        } catch let error as CQLServerError where error.code == .unprepared {
            for statement in statements {
                guard case .prepared(let prepared, _) = statement.kind, prepared.id == error.unpreparedID else {
                    continue
                }
                _ = try await self.prepare(prepared.query, after: generation, timeout: options.timeout)
            }
            return try await run()
        }
    }

    /// Pages through the rows of a query on this connection, fetching pages on demand.
    public func rows(
        _ cql: String,
        _ values: [any CQLEncodable] = [],
        options: CQLQueryOptions = CQLQueryOptions()
    ) -> CQLRowSequence {
        let values = values.map(\.cqlValue)
        return CQLRowSequence(startingAt: options.pagingState) { [self] state in
            var pageOptions = options
            pageOptions.pagingState = state
            let result = try await self.query(cql, values, options: pageOptions)
            guard case .rows(let rows) = result.result else {
                return CQLRows(metadata: CQLRowsMetadata(columnCount: 0, columns: []), rows: [])
            }
            return rows
        }
    }

    /// Asks which STARTUP options the server supports.
    public func supportedOptions() async throws -> CQLSupported {
        let response = try await self.send(.options)
        guard case .supported(let supported) = response.message else {
            throw CQLError(
                code: .protocolViolation, message: "OPTIONS answered with \(response.message)", host: self.host)
        }
        return supported
    }

    /// Subscribes this connection to server events, delivered on ``events``.
    public func register(_ eventTypes: [String] = CQLRegister().eventTypes) async throws {
        let response = try await self.send(.register(CQLRegister(eventTypes: eventTypes)))
        guard case .ready = response.message else {
            throw CQLError(
                code: .protocolViolation, message: "REGISTER answered with \(response.message)", host: self.host)
        }
    }

    private func wrap(_ response: CQLResponse) throws -> CQLQueryResult {
        guard case .result(let result) = response.message else {
            throw CQLError(
                code: .protocolViolation, message: "expected RESULT, got \(response.message)", host: self.host)
        }
        return CQLQueryResult(result: result, warnings: response.warnings, tracingID: response.tracingID)
    }
}
