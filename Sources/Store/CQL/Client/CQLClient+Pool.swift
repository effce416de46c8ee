import NIOCore

extension CQLClient {
    private enum Acquire {
        case use(CQLConnection)
        case wait(EventLoopFuture<CQLConnection>)
        case open(EventLoopPromise<CQLConnection>, CQLHost)
        case fail(CQLError)
    }

    /// A connection to a host: the least busy open one, or a new one while the pool is not full and the
    /// others are busy. A failed connect marks the host down for an exponentially growing delay.
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
            return .open(promise, entry.host)
        }
        switch step {
        case .use(let connection):
            return connection
        case .wait(let future):
            return try await future.get()
        case .fail(let error):
            throw error
        case .open(let promise, let host):
            do {
                let connection = try await CQLConnection.connect(
                    host: host.address,
                    port: host.port,
                    configuration: self.configuration.connection,
                    sslContext: self.sslContext,
                    eventLoopGroup: self.eventLoopGroup,
                    logger: self.logger
                )
                let closed = self.state.withLockedValue { state -> Bool in
                    state.hosts[id]?.connecting = nil
                    if state.closed { return true }
                    state.hosts[id]?.connections.append(connection)
                    state.hosts[id]?.failures = 0
                    state.hosts[id]?.downUntil = nil
                    return false
                }
                if closed {
                    try? await connection.close()
                    let error = CQLError(code: .clientClosed, message: "the client is closed")
                    promise.fail(error)
                    throw error
                }
                connection.closeFuture.whenComplete { [weak self] _ in self?.connectionClosed(connection, hostID: id) }
                self.logger.debug("CQL connected", metadata: ["host": "\(id)"])
                promise.succeed(connection)
                return connection
            } catch {
                let delay = self.state.withLockedValue { state -> Duration? in
                    state.hosts[id]?.connecting = nil
                    if state.closed { return nil }
                    let failures = (state.hosts[id]?.failures ?? 0) + 1
                    state.hosts[id]?.failures = failures
                    let delay = self.configuration.reconnectBackoff.delay(forAttempt: failures)
                    state.hosts[id]?.downUntil = .now + delay
                    return delay
                }
                if let delay {
                    self.logger.warning(
                        "CQL connect failed; host marked down",
                        metadata: ["host": "\(id)", "retry_in": "\(delay)", "error": "\(error)"]
                    )
                }
                promise.fail(error)
                throw error
            }
        }
    }

    private func connectionClosed(_ connection: CQLConnection, hostID: String) {
        self.state.withLockedValue { state in
            state.hosts[hostID]?.connections.removeAll { $0 === connection }
        }
        self.logger.debug("CQL connection closed", metadata: ["host": "\(hostID)"])
    }
}
