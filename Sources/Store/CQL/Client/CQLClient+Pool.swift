import Logging
import NIOCore

extension CQLClient {
    private enum Acquire {
        case use(CQLConnection)
        case wait(EventLoopFuture<CQLConnection>)
        case open(EventLoopPromise<CQLConnection>, CQLHost, CQLPreparedCache)
        case fail(CQLError)
    }

    /// A connection to a host: the least busy open one, or a new one while the pool is not full and the
    /// others are busy. A failed connect to a host without an open connection marks it down and starts its
    /// background reconnection; a successful one marks it up.
    func connection(to id: String) async throws -> CQLConnection {
        let perHost = max(1, self.configuration.connectionsPerHost)
        let threshold = self.configuration.busyConnectionThreshold
        let step = self.state.withLockedValue { state -> Acquire in
            guard !state.closed else { return .fail(CQLError(code: .clientClosed, message: "the client is closed")) }
            guard var entry = state.hosts[id] else {
                return .fail(CQLError(code: .noHostAvailable, message: "unknown host", host: id))
            }
            entry.connections.removeAll { !$0.isActive }
            defer { state.hosts[id] = entry }
            let best = entry.connections.min { $0.inFlightRequests < $1.inFlightRequests }
            if let best,
                entry.connections.count >= perHost || best.inFlightRequests < threshold || entry.connecting != nil
            {
                return .use(best)
            }
            if let connecting = entry.connecting { return .wait(connecting) }
            let promise = self.eventLoopGroup.any().makePromise(of: CQLConnection.self)
            entry.connecting = promise.futureResult
            return .open(promise, entry.host, entry.statements)
        }
        switch step {
        case .use(let connection):
            return connection
        case .wait(let future):
            return try await future.get()
        case .fail(let error):
            throw error
        case .open(let promise, let host, let statements):
            do {
                let connection = try await CQLConnection.connect(
                    host: host.address,
                    port: host.port,
                    configuration: self.configuration.connection,
                    sslContext: self.sslContext,
                    eventLoopGroup: self.eventLoopGroup,
                    logger: self.logger,
                    statements: statements
                )
                let opened = self.state.withLockedValue { state -> (CQLHostState.ConnectedAction, [String])? in
                    state.hosts[id]?.connecting = nil
                    guard !state.closed, var entry = state.hosts[id] else { return nil }
                    // The node's first connection (ever, or since they all closed): it may have restarted and
                    // forgotten its prepared statements, so they are prepared there again before use.
                    var reprepare: [String] = []
                    if !entry.connections.contains(where: \.isActive) {
                        statements.invalidateAll()
                        reprepare = Array(state.prepared.keys)
                    }
                    entry.connections.append(connection)
                    let action = entry.health.connected(at: .now)
                    state.hosts[id] = entry
                    return (action, reprepare)
                }
                guard let (outcome, reprepare) = opened else {
                    try? await connection.close()
                    let error = CQLError(code: .clientClosed, message: "the client is closed")
                    promise.fail(error)
                    throw error
                }
                connection.closeFuture.whenComplete { [weak self] _ in self?.connectionClosed(connection, hostID: id) }
                switch outcome {
                case .cameUp(let downFor):
                    self.logger.info("CQL host up", metadata: ["host": "\(id)", "down_for": "\(downFor)"])
                case .none:
                    self.logger.debug("CQL connected", metadata: ["host": "\(id)"])
                }
                await self.prepare(reprepare, on: connection, hostID: id)
                promise.succeed(connection)
                return connection
            } catch {
                let outcome = self.state.withLockedValue { state -> (CQLHostState.ConnectFailedAction, Int)? in
                    state.hosts[id]?.connecting = nil
                    guard !state.closed, var entry = state.hosts[id] else { return nil }
                    let reconnector = state.nextReconnector
                    let action = entry.health.connectFailed(
                        error, at: .now, stillConnected: entry.connections.contains { $0.isActive },
                        reconnector: reconnector
                    )
                    state.hosts[id] = entry
                    if case .wentDown = action {
                        state.nextReconnector += 1
                        state.reconnectTasks[reconnector] = self.reconnectTask(to: id, reconnector: reconnector)
                    }
                    return (action, entry.health.failures)
                }
                if let (action, failures) = outcome {
                    let delay = self.configuration.reconnectBackoff.delay(forAttempt: failures)
                    let metadata: Logger.Metadata = [
                        "host": "\(id)", "failures": "\(failures)", "retry_in": "\(delay)", "error": "\(error)",
                    ]
                    switch action {
                    case .wentDown:
                        self.logger.warning("CQL host down; reconnecting in the background", metadata: metadata)
                    case .stillDown:
                        self.logger.debug("CQL host still down", metadata: metadata)
                    case .stayedUp:
                        self.logger.debug("CQL connect failed; other connections stay open", metadata: metadata)
                    }
                }
                promise.fail(error)
                throw error
            }
        }
    }

    /// Prepares `queries` on `connection`'s node at once (through its shared cache: one PREPARE each). A failure is
    /// left for the request that needs the statement (it prepares again on UNPREPARED).
    func prepare(_ queries: [String], on connection: CQLConnection, hostID: String) async {
        guard !queries.isEmpty else { return }
        await withTaskGroup(of: Void.self) { group in
            for query in queries {
                group.addTask {
                    do {
                        _ = try await connection.prepare(query)
                    } catch {
                        self.logger.debug(
                            "CQL prepare on host failed", metadata: ["host": "\(hostID)", "error": "\(error)"])
                    }
                }
            }
        }
    }

    /// The loop that reconnects to a host that went down: waits the backoff delay for the failures so far, tries
    /// to connect, and again, until the host is up, removed from the cluster, or the client closes. Created under
    /// the state lock, so it first runs once it is registered.
    private func reconnectTask(to id: String, reconnector: UInt64) -> Task<Void, Never> {
        Task { [weak self] in
            while let delay = self?.reconnectDelay(to: id, reconnector: reconnector) {
                try? await Task.sleep(for: delay)
                if Task.isCancelled { break }
                _ = try? await self?.connection(to: id)
            }
            _ = self?.state.withLockedValue { $0.reconnectTasks.removeValue(forKey: reconnector) }
        }
    }

    /// How long loop `reconnector` waits before its next attempt; nil when it should stop.
    private func reconnectDelay(to id: String, reconnector: UInt64) -> Duration? {
        let failures = self.state.withLockedValue { state -> Int? in
            guard !state.closed, let health = state.hosts[id]?.health, health.isReconnecting(reconnector) else {
                return nil
            }
            return health.failures
        }
        return failures.map { self.configuration.reconnectBackoff.delay(forAttempt: $0) }
    }

    /// The cluster says a host is up (a status event): a host marked down is tried at once.
    func hostReportedUp(_ id: String) {
        let down = self.state.withLockedValue { state -> Bool in
            guard !state.closed else { return false }
            return state.hosts[id]?.health.reportedUp() ?? false
        }
        guard down else { return }
        Task { [weak self] in _ = try? await self?.connection(to: id) }
    }

    /// The error of a request for which no host is up: every host is down (or none is known), with each host's
    /// last connect failure as a cause.
    func allHostsDownError() -> CQLError {
        let causes = self.state.withLockedValue { state in
            state.order.compactMap { id -> CQLError.HostFailure? in
                guard let health = state.hosts[id]?.health, health.isDown else { return nil }
                let error =
                    health.lastError ?? CQLError(code: .connectFailed, message: "cannot connect", host: id)
                return CQLError.HostFailure(host: id, error: error)
            }
        }
        guard !causes.isEmpty else { return CQLError(code: .noHostAvailable, message: "no hosts are known") }
        return CQLError(
            code: .noHostAvailable,
            message: "every host is down, reconnecting in the background: "
                + causes.map(\.description).joined(separator: "; "),
            causes: causes
        )
    }

    private func connectionClosed(_ connection: CQLConnection, hostID: String) {
        self.state.withLockedValue { state in
            state.hosts[hostID]?.connections.removeAll { $0 === connection }
        }
        self.logger.debug("CQL connection closed", metadata: ["host": "\(hostID)"])
    }
}
