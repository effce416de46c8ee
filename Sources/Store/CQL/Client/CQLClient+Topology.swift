extension CQLClient {
    /// Reads `system.local` and `system.peers` on `connection` (which is connected to `localID`) and rebuilds the
    /// host list and the token ring.
    func refreshTopology(using connection: CQLConnection, localID: String) async throws {
        let options = CQLQueryOptions(consistency: .one, pageSize: nil)
        let local = try await connection.query("SELECT data_center, rack, tokens FROM system.local", options: options)
        var discovered: [CQLHost] = []
        if let row = local.rows.first, let (address, port) = self.hostAddress(localID) {
            discovered.append(
                CQLHost(
                    address: address,
                    port: port,
                    dataCenter: try row.decode(String?.self, column: "data_center"),
                    rack: try row.decode(String?.self, column: "rack"),
                    tokens: Self.tokens(try row.decode([String]?.self, column: "tokens"))
                ))
        }
        var peersRead = false
        if self.configuration.discoverPeers {
            let peers = try await connection.query(
                "SELECT peer, rpc_address, data_center, rack, tokens FROM system.peers", options: options
            )
            peersRead = true
            for row in peers.rows {
                guard let address = try Self.peerAddress(row) else { continue }
                discovered.append(
                    CQLHost(
                        address: address,
                        port: self.configuration.port,
                        dataCenter: try row.decode(String?.self, column: "data_center"),
                        rack: try row.decode(String?.self, column: "rack"),
                        tokens: Self.tokens(try row.decode([String]?.self, column: "tokens"))
                    ))
            }
        }
        let (removed, reconnectors) = self.state.withLockedValue { state -> ([CQLConnection], [Task<Void, Never>]) in
            for host in discovered {
                if state.hosts[host.id] == nil {
                    state.hosts[host.id] = HostEntry(host: host)
                    state.order.append(host.id)
                } else {
                    state.hosts[host.id]?.host = host
                }
            }
            var removed: [CQLConnection] = []
            var reconnectors: [Task<Void, Never>] = []
            if peersRead {
                let keep = Set(discovered.map(\.id)).union([localID])
                for id in state.order where !keep.contains(id) {
                    removed += state.hosts[id]?.connections ?? []
                    if let reconnector = state.hosts[id]?.health.reconnector,
                        let task = state.reconnectTasks.removeValue(forKey: reconnector)
                    {
                        reconnectors.append(task)
                    }
                    state.hosts[id] = nil
                }
                state.order.removeAll { !keep.contains($0) }
            }
            state.ring = CQLTokenRing(hosts: state.order.compactMap { state.hosts[$0]?.host })
            return (removed, reconnectors)
        }
        for task in reconnectors { task.cancel() }
        for connection in removed { try? await connection.close() }
        self.logger.debug("CQL topology", metadata: ["hosts": "\(self.hosts.map(\.id))"])
    }

    /// The address a `system.peers` row's node is reached at: `rpc_address`, or `peer` when that is 0.0.0.0 or
    /// null.
    static func peerAddress(_ row: CQLRow) throws -> String? {
        let rpc = try row.decode(CQLInet?.self, column: "rpc_address")
        let peer = try row.decode(CQLInet?.self, column: "peer")
        let unspecified = rpc.map { $0.bytes.allSatisfy { $0 == 0 } } ?? true
        return (unspecified ? peer : rpc)?.address
    }

    private func hostAddress(_ id: String) -> (String, Int)? {
        self.state.withLockedValue { state in state.hosts[id].map { ($0.host.address, $0.host.port) } }
    }

    static func tokens(_ texts: [String]?) -> [Int64] {
        (texts ?? []).compactMap { Int64($0) }
    }

    /// Loads the replication strategy of a keyspace once (for token-aware routing); on failure routing uses
    /// only the primary owner.
    func ensureReplication(of keyspace: String) async {
        let known = self.state.withLockedValue { state in
            state.replication[keyspace] != nil || state.replicationUnknown.contains(keyspace) || state.ring.isEmpty
        }
        guard !known else { return }
        do {
            let result = try await self.withRetries(routingKey: nil, keyspace: nil, idempotent: true) { connection in
                try await connection.query(
                    "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?", [keyspace],
                    options: CQLQueryOptions(consistency: .one, pageSize: nil)
                )
            }
            let map = try result.rows.first?.decode([String: String]?.self, column: "replication")
            self.state.withLockedValue { state in
                if let map {
                    state.replication[keyspace] = CQLReplication(map: map)
                } else {
                    state.replicationUnknown.insert(keyspace)
                }
            }
        } catch {
            self.logger.debug("CQL replication unknown", metadata: ["keyspace": "\(keyspace)", "error": "\(error)"])
            self.state.withLockedValue { _ = $0.replicationUnknown.insert(keyspace) }
        }
    }

    /// Keeps one connection registered for events: topology changes refresh the host list, `UP` has a host that is
    /// down tried at once, schema changes drop the cached replication. Re-registers on another host when that
    /// connection closes, or on the same one once it is back when every host was down.
    func startEventListener() {
        // One listener per client: a second `connect()` keeps the running one.
        guard self.state.withLockedValue({ $0.eventTask == nil && !$0.closed }) else { return }
        let task = Task { [weak self] in
            var failures = 0
            while !Task.isCancelled {
                guard let self else { return }
                do {
                    // Every host down: wait, as below, for the reconnection loops to bring one back.
                    guard let id = self.queryPlan(routingKey: nil, keyspace: nil).first else {
                        throw self.allHostsDownError()
                    }
                    let connection = try await self.connection(to: id)
                    try await connection.register()
                    failures = 0
                    for await event in connection.events {
                        await self.handle(event, using: connection, hostID: id)
                    }
                } catch {
                    self.logger.debug("CQL event connection failed", metadata: ["error": "\(error)"])
                }
                if self.state.withLockedValue({ $0.closed }) { return }
                failures += 1
                try? await Task.sleep(for: self.configuration.reconnectBackoff.delay(forAttempt: failures))
            }
        }
        let superseded = self.state.withLockedValue { state -> Bool in
            guard state.eventTask == nil, !state.closed else { return true }
            state.eventTask = task
            return false
        }
        if superseded { task.cancel() }
    }

    private func handle(_ event: CQLEvent, using connection: CQLConnection, hostID: String) async {
        self.logger.info("CQL event", metadata: ["event": "\(event)"])
        switch event {
        case .topologyChange:
            try? await self.refreshTopology(using: connection, localID: hostID)
        case .statusChange(let change, let address):
            let id = CQLHost(address: address.address, port: address.port ?? self.configuration.port).id
            if change == "UP" { self.hostReportedUp(id) }
        case .schemaChange(let change):
            self.state.withLockedValue { state in
                state.replication[change.keyspace] = nil
                state.replicationUnknown.remove(change.keyspace)
            }
        }
    }
}
