import Logging
import NIOCore
import Testing

@testable import CQL

@Suite("Token ring and routing")
struct TokenRingTests {
    static let hosts = [
        CQLHost(address: "a", port: 1, dataCenter: "dc1", tokens: [-100, 100]),
        CQLHost(address: "b", port: 1, dataCenter: "dc2", tokens: [0]),
        CQLHost(address: "c", port: 1, dataCenter: "dc1", tokens: [200]),
    ]

    @Test("the owner is the node of the first token ≥ the key's token, wrapping")
    func owners() {
        let ring = CQLTokenRing(hosts: Self.hosts)
        #expect(ring.primaryOwner(of: -150) == "a:1")
        #expect(ring.primaryOwner(of: -100) == "a:1")
        #expect(ring.primaryOwner(of: -50) == "b:1")
        #expect(ring.primaryOwner(of: 0) == "b:1")
        #expect(ring.primaryOwner(of: 150) == "c:1")
        #expect(ring.primaryOwner(of: 250) == "a:1")
        #expect(ring.primaryOwner(of: .max) == "a:1")
    }

    @Test("SimpleStrategy replicas are the owner and the next distinct nodes clockwise")
    func simpleReplicas() {
        let ring = CQLTokenRing(hosts: Self.hosts)
        #expect(ring.replicas(of: -50, replication: .simple(replicationFactor: 2)) == ["b:1", "a:1"])
        #expect(ring.replicas(of: 150, replication: .simple(replicationFactor: 3)) == ["c:1", "a:1", "b:1"])
        #expect(ring.replicas(of: 150, replication: .simple(replicationFactor: 5)) == ["c:1", "a:1", "b:1"])
        #expect(ring.replicas(of: 150, replication: nil) == ["c:1"])
    }

    @Test("NetworkTopologyStrategy replicas take nodes per data center")
    func ntsReplicas() {
        let ring = CQLTokenRing(hosts: Self.hosts)
        #expect(ring.replicas(of: -50, replication: .networkTopology(["dc1": 1, "dc2": 1])) == ["b:1", "a:1"])
        #expect(ring.replicas(of: -50, replication: .networkTopology(["dc1": 2])) == ["a:1", "c:1"])
    }

    @Test("replication maps from system_schema parse both strategies")
    func replicationMap() {
        let simple = CQLReplication(map: [
            "class": "org.apache.cassandra.locator.SimpleStrategy", "replication_factor": "3",
        ])
        #expect(simple == .simple(replicationFactor: 3))
        let nts = CQLReplication(map: [
            "class": "org.apache.cassandra.locator.NetworkTopologyStrategy", "dc1": "3", "dc2": "2",
        ])
        #expect(nts == .networkTopology(["dc1": 3, "dc2": 2]))
        #expect(nts.cql == "{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 2}")
    }

    @Test("a composite routing key is [short length][bytes][0] per component")
    func compositeKey() throws {
        let result = CQLPreparedResult(
            id: [1],
            bindColumns: [
                CQLColumnSpec(keyspace: "k", table: "t", name: "a", type: .int),
                CQLColumnSpec(keyspace: "k", table: "t", name: "b", type: .varchar),
            ],
            partitionKeyIndices: [1, 0],
            resultMetadata: CQLRowsMetadata(columnCount: 0, columns: [])
        )
        let statement = CQLPreparedStatement(query: "Q", result: result)
        #expect(statement.routingKey([.int(1), .text("xy")]) == [0, 2, 0x78, 0x79, 0, 0, 4, 0, 0, 0, 1, 0])
        #expect(statement.routingKey([.int(1), .unset]) == nil)
        let single = CQLPreparedStatement(
            query: "Q",
            result: CQLPreparedResult(
                id: [1], bindColumns: result.bindColumns, partitionKeyIndices: [1],
                resultMetadata: CQLRowsMetadata(columnCount: 0, columns: [])
            ))
        #expect(single.routingKey([.int(1), .text("xy")]) == [0x78, 0x79])
        #expect(throws: CQLError.self) { try statement.bind([.int(1)]) }
    }

    @Test("host strings parse with and without ports, IPv6 in brackets")
    func hostParsing() {
        #expect(CQLHost.parse("10.0.0.1", defaultPort: 9042)! == ("10.0.0.1", 9042))
        #expect(CQLHost.parse("db:9043", defaultPort: 9042)! == ("db", 9043))
        #expect(CQLHost.parse("[::1]:9044", defaultPort: 9042)! == ("::1", 9044))
        #expect(CQLHost.parse("db:x", defaultPort: 9042) == nil)
        #expect(CQLHost(address: "::1", port: 9042).id == "[::1]:9042")
    }
}

@Suite("Client policies")
struct ClientPolicyTests {
    @Test("only idempotent work is retried, and only after transient failures")
    func retryPolicy() {
        let timeout = CQLError(code: .timeout, message: "t")
        let closed = CQLError(code: .connectionClosed, message: "c")
        let writeTimeout = CQLServerError(code: .writeTimeout, message: "w")
        let unavailable = CQLServerError(code: .unavailable, message: "u")
        let overloaded = CQLServerError(code: .overloaded, message: "o")
        let syntax = CQLServerError(code: .syntaxError, message: "s")
        for error in [timeout, closed] as [any Error] + [writeTimeout, unavailable, overloaded] as [any Error] {
            #expect(CQLClient.shouldRetry(error, idempotent: true))
            #expect(!CQLClient.shouldRetry(error, idempotent: false))
        }
        #expect(!CQLClient.shouldRetry(syntax, idempotent: true))
        #expect(CQLClient.isFatal(CQLServerError(code: .authenticationError, message: "a")))
        #expect(!CQLClient.isFatal(timeout))
    }

    @Test("reconnection delays double from the base up to the maximum")
    func backoff() {
        var configuration = CQLClient.Configuration()
        configuration.reconnectBaseDelay = .milliseconds(100)
        configuration.reconnectMaximumDelay = .seconds(1)
        #expect(configuration.reconnectBackoff.jitter == .none)
        #expect(
            (1...6).map { configuration.reconnectBackoff.delay(forAttempt: $0) } == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1),
                .seconds(1),
            ])
    }

    @Test("the client configuration's description redacts the password")
    func redacted() {
        var configuration = CQLClient.Configuration()
        configuration.credentials = CQLCredentials(username: "app", password: "hunter2")
        #expect(!configuration.description.contains("hunter2"))
    }
}

@Suite("Client against fake nodes on 127.0.0.x", .serialized)
struct FakeClusterClientTests {
    static let nodes = [
        FakeCluster.Node(address: "127.0.0.1", dataCenter: "dc1", tokens: [-6_000_000_000_000_000_000, 0]),
        FakeCluster.Node(
            address: "127.0.0.2", dataCenter: "dc1", tokens: [-3_000_000_000_000_000_000, 3_000_000_000_000_000_000]),
        FakeCluster.Node(address: "127.0.0.3", dataCenter: "dc1", tokens: [6_000_000_000_000_000_000]),
    ]

    static func client(_ cluster: FakeCluster, maximumRetries: Int = 2) throws -> CQLClient {
        var configuration = CQLClient.Configuration(contactPoints: ["127.0.0.1:\(cluster.port)"], port: cluster.port)
        configuration.maximumRetries = maximumRetries
        configuration.connection.requestTimeout = .seconds(5)
        return try CQLClient(configuration: configuration, logger: Logger(label: "test"))
    }

    @Test("connect discovers every node with its data center and tokens")
    func discovery() async throws {
        let cluster = try await FakeCluster.start(Self.nodes)
        let client = try Self.client(cluster)
        try await client.connect()
        let hosts = client.hosts.sorted { $0.address < $1.address }
        #expect(hosts.map(\.address) == ["127.0.0.1", "127.0.0.2", "127.0.0.3"])
        #expect(hosts.map(\.tokens) == Self.nodes.map(\.tokens))
        #expect(hosts.allSatisfy { $0.dataCenter == "dc1" && $0.port == cluster.port })
        await client.close()
        await cluster.stop()
    }

    @Test("with PasswordAuthenticator, the right password connects and a wrong one fails with Authentication_error")
    func authentication() async throws {
        let cluster = try await FakeCluster.start(Self.nodes)
        cluster.requiredToken.withLockedValue { $0 = [0] + Array("app".utf8) + [0] + Array("right".utf8) }
        var configuration = CQLClient.Configuration(contactPoints: ["127.0.0.1:\(cluster.port)"], port: cluster.port)
        configuration.credentials = CQLCredentials(username: "app", password: "wrong")
        let refused = try CQLClient(configuration: configuration, logger: Logger(label: "test"))
        do {
            try await refused.connect()
            Issue.record("a wrong password must fail")
        } catch let error as CQLServerError {
            #expect(error.code == .authenticationError)
            #expect("\(error)".contains("Authentication_error"))
        }
        await refused.close()
        configuration.credentials = CQLCredentials(username: "app", password: "right")
        let accepted = try CQLClient(configuration: configuration, logger: Logger(label: "test"))
        try await accepted.connect()
        #expect(accepted.hosts.count == 3)
        _ = try await accepted.query("SELECT now() FROM system.local")
        await accepted.close()
        await cluster.stop()
    }

    @Test("each write goes to the node that owns its partition key's Murmur3 token")
    func tokenAware() async throws {
        let cluster = try await FakeCluster.start(Self.nodes)
        let client = try Self.client(cluster)
        try await client.connect()
        let insert = try await client.prepare(FakeCluster.insert)
        cluster.clearLog()
        let keys = (0..<30).map { "user-\($0)" }
        for key in keys {
            _ = try await client.execute(insert, [.text(key), .text("v")], options: .init(isIdempotent: true))
        }
        let log = cluster.executions
        #expect(log.count == keys.count)
        for entry in log { #expect(entry.node == cluster.owner(of: entry.key), "key \(entry.key)") }
        #expect(Set(log.map(\.node)).count == 3)
        await client.close()
        await cluster.stop()
    }

    @Test("an idempotent write that times out on its replica is retried on another node")
    func retryIdempotent() async throws {
        let cluster = try await FakeCluster.start(Self.nodes)
        let client = try Self.client(cluster)
        try await client.connect()
        let insert = try await client.prepare(FakeCluster.insert)
        let key = "retry-me"
        let owner = cluster.owner(of: key)
        cluster.setBehaviour(.error(code: 0x1100), for: owner)
        cluster.clearLog()
        _ = try await client.execute(insert, [.text(key), .text("v")], options: .init(isIdempotent: true))
        let log = cluster.executions
        #expect(log.count == 2)
        #expect(log.first?.node == owner)
        #expect(log.last?.node != owner)

        cluster.clearLog()
        do {
            _ = try await client.execute(insert, [.text(key), .text("v")], options: .init(isIdempotent: false))
            Issue.record("a non-idempotent write must not be retried")
        } catch let error as CQLServerError {
            #expect(error.code == .writeTimeout)
            #expect(error.writeType == "SIMPLE")
        }
        #expect(cluster.executions.count == 1)
        await client.close()
        await cluster.stop()
    }

    @Test("a node that drops the connection mid-request fails the request or retries it, never hangs")
    func droppedConnection() async throws {
        let cluster = try await FakeCluster.start(Self.nodes)
        let client = try Self.client(cluster)
        try await client.connect()
        let insert = try await client.prepare(FakeCluster.insert)
        let key = "dropped"
        let owner = cluster.owner(of: key)
        cluster.setBehaviour(.closeOnExecute, for: owner)
        do {
            _ = try await client.execute(insert, [.text(key), .text("v")], options: .init(isIdempotent: false))
            Issue.record("expected connectionClosed")
        } catch let error as CQLError {
            #expect(error.code == .connectionClosed)
        }
        cluster.clearLog()
        _ = try await client.execute(insert, [.text(key), .text("v")], options: .init(isIdempotent: true))
        #expect(cluster.executions.last?.node != owner)
        await client.close()
        await cluster.stop()
    }

    @Test("a node that cannot be reached is skipped and marked down with a backoff")
    func unreachableNode() async throws {
        let cluster = try await FakeCluster.start(Self.nodes)
        await cluster.stopListening("127.0.0.3")  // before the client ever connects to it
        var configuration = CQLClient.Configuration(contactPoints: ["127.0.0.1:\(cluster.port)"], port: cluster.port)
        configuration.reconnectBaseDelay = .seconds(60)  // stays down for the whole test
        configuration.listenForEvents = false
        let client = try CQLClient(configuration: configuration, logger: Logger(label: "test"))
        try await client.connect()
        #expect(client.hosts.count == 3)
        let insert = try await client.prepare(FakeCluster.insert)
        let key = (0..<100).map { "k\($0)" }.first { cluster.owner(of: $0) == "127.0.0.3" }!
        cluster.clearLog()
        _ = try await client.execute(insert, [.text(key), .text("v")], options: .init(isIdempotent: false))
        #expect(cluster.executions.count == 1)
        #expect(cluster.executions.first?.node != "127.0.0.3")
        let plan = client.queryPlan(routingKey: Array(key.utf8), keyspace: "ks")
        #expect(!plan.contains("127.0.0.3:\(cluster.port)"))
        #expect(plan.count == 2)
        await client.close()
        await cluster.stop()
    }
}
