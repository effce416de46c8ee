extension CQLClient {
    /// The hosts to try, in order: with a routing key and a known ring, the replicas of its token (local data
    /// center first, primary replica first); then the other hosts round-robin (local data center first). Hosts
    /// marked down are left out: their background reconnection brings them back.
    func queryPlan(routingKey: [UInt8]?, keyspace: String?) -> [String] {
        let localDC = self.configuration.localDataCenter
        return self.state.withLockedValue { state in
            let count = state.order.count
            guard count > 0 else { return [] }
            state.counter &+= 1
            let start = state.counter % count
            let rotated = Array(state.order[start...] + state.order[..<start])
            func isLocal(_ id: String) -> Bool {
                guard let localDC, let dc = state.hosts[id]?.host.dataCenter else { return true }
                return dc == localDC
            }
            var plan: [String] = []
            if let routingKey, !state.ring.isEmpty {
                let token = Murmur3.token(routingKey)
                let replication = keyspace.flatMap { state.replication[$0] }
                let replicas = state.ring.replicas(of: token, replication: replication)
                plan += replicas.filter(isLocal) + replicas.filter { !isLocal($0) }
            }
            for id in rotated where isLocal(id) && !plan.contains(id) { plan.append(id) }
            for id in rotated where !plan.contains(id) { plan.append(id) }
            return plan.filter { state.hosts[$0]?.health.isDown == false }
        }
    }

    /// Runs `body` on a connection of the first host of the plan that can take it. A host that cannot be
    /// connected to is skipped (nothing was sent). A request that failed in a retryable way is retried on the
    /// next host when `idempotent`, up to ``Configuration/maximumRetries`` times. When every host is down, fails at
    /// once with `noHostAvailable`.
    func withRetries<T: Sendable>(
        routingKey: [UInt8]?,
        keyspace: String?,
        idempotent: Bool,
        _ body: (CQLConnection) async throws -> T
    ) async throws -> T {
        try await self.withRetriesOnHost(routingKey: routingKey, keyspace: keyspace, idempotent: idempotent) {
            connection, _ in try await body(connection)
        }
    }

    /// ``withRetries(routingKey:keyspace:idempotent:_:)`` for work that needs to know the host (`address:port`) of
    /// the connection it runs on.
    func withRetriesOnHost<T: Sendable>(
        routingKey: [UInt8]?,
        keyspace: String?,
        idempotent: Bool,
        _ body: (CQLConnection, String) async throws -> T
    ) async throws -> T {
        if routingKey != nil, let keyspace { await self.ensureReplication(of: keyspace) }
        let plan = self.queryPlan(routingKey: routingKey, keyspace: keyspace)
        guard !plan.isEmpty else { throw self.allHostsDownError() }
        var failures: [CQLError.HostFailure] = []
        var lastError: (any Error)?
        var retries = 0
        for id in plan {
            let connection: CQLConnection
            do {
                connection = try await self.connection(to: id)
            } catch {
                if Self.isFatal(error) { throw error }
                failures.append(CQLError.HostFailure(host: id, error: error))
                lastError = error
                continue
            }
            do {
                return try await body(connection, id)
            } catch {
                guard Self.shouldRetry(error, idempotent: idempotent), retries < self.configuration.maximumRetries
                else {
                    throw error
                }
                retries += 1
                failures.append(CQLError.HostFailure(host: id, error: error))
                lastError = error
                self.logger.debug("CQL retrying on another host", metadata: ["host": "\(id)", "error": "\(error)"])
            }
        }
        throw CQLError(
            code: .noHostAvailable,
            message: "every host failed: \(failures.map(\.description).joined(separator: "; "))",
            underlying: lastError,
            causes: failures
        )
    }

    /// Whether a failed request may be sent again to another host: only idempotent work, and only after a
    /// transient failure (``CQLError/isTransient(_:)``: a timeout, a lost connection, an unavailable, overloaded or
    /// bootstrapping coordinator...).
    static func shouldRetry(_ error: any Error, idempotent: Bool) -> Bool {
        idempotent && CQLError.isTransient(error)
    }

    /// Errors that no other host will fix: refused credentials, a closed client, a malformed request.
    static func isFatal(_ error: any Error) -> Bool {
        if let error = error as? CQLServerError {
            return error.code == .authenticationError || error.code == .protocolError
        }
        if let error = error as? CQLError {
            return [.authenticationRequired, .unsupportedAuthenticator, .clientClosed, .invalidArgument].contains(
                error.code)
        }
        return false
    }
}
