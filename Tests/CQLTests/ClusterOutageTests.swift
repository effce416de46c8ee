import TestLogging
import Logging
import TestWaiting
import Testing

@testable import CQL

/// Two of three nodes lost under load (quorum lost), then back: what the client logs.
@Suite("Client losing quorum on a fake three-node cluster", .serialized)
struct ClusterOutageTests {
    static let nodes = FakeClusterClientTests.nodes

    @Test("losing two nodes under load logs one warning per node going down and one line per node coming back")
    func oneLinePerHostStateChange() async throws {
        let cluster = try await FakeCluster.start(Self.nodes)
        let recorder = LogRecorder()
        var configuration = CQLClient.Configuration(contactPoints: ["127.0.0.1:\(cluster.port)"], port: cluster.port)
        configuration.reconnectBaseDelay = .milliseconds(10)
        configuration.reconnectMaximumDelay = .milliseconds(50)
        configuration.connection.requestTimeout = .seconds(2)
        configuration.connection.connectTimeout = .seconds(1)
        configuration.connectionsPerHost = 2
        configuration.busyConnectionThreshold = 4
        let client = try CQLClient(configuration: configuration, logger: recorder.logger())
        try await client.connect()
        let insert = try await client.prepare(FakeCluster.insert)
        let lost = ["127.0.0.2", "127.0.0.3"]
        let ids = Set(lost.map { "\($0):\(cluster.port)" })

        // Writes keep 64 requests in flight while the two nodes stop, and go on until both are down and their
        // reconnection loops have failed several times.
        let load = Task {
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<64 {
                    group.addTask {
                        var index = 0
                        while !Task.isCancelled {
                            index += 1
                            _ = try? await client.execute(
                                insert, [.text("w\(worker)-\(index)"), .text("v")], options: .init(isIdempotent: true))
                            await Task.yield()
                        }
                    }
                }
            }
        }
        #expect(await eventually { cluster.executions.count > 200 })
        for address in lost { await cluster.stopNode(address) }
        #expect(
            await eventually {
                client.state.withLockedValue { state in
                    ids.allSatisfy { (state.hosts[$0]?.health.failures ?? 0) >= 5 }
                }
            })
        let down = recorder.lines.filter { $0.level == .warning }
        #expect(down.count == 2, "\(down.map { "\($0.message) \($0.metadata)" })")
        #expect(Set(down.compactMap { $0.metadata["host"]?.description }) == ids)

        for address in lost { try await cluster.restartNode(address) }
        #expect(await eventually { recorder.count(.info, containing: "host up") == 2 })
        cluster.clearLog()
        #expect(await eventually { Set(cluster.executions.map(\.node)).count == 3 })
        load.cancel()
        _ = await load.value
        #expect(recorder.count(.info, containing: "host up") == 2)
        #expect(recorder.count(.warning) == 2)
        await client.close()
        await cluster.stop()
    }
}

/// Prepared statements on a fake three-node cluster whose nodes each keep their own prepared statements.
@Suite("Prepared statements on every node", .serialized)
struct PreparedEverywhereTests {
    static let nodes = FakeClusterClientTests.nodes

    static func client(_ cluster: FakeCluster, connectionsPerHost: Int = 2) throws -> CQLClient {
        var configuration = CQLClient.Configuration(contactPoints: ["127.0.0.1:\(cluster.port)"], port: cluster.port)
        configuration.reconnectBaseDelay = .milliseconds(10)
        configuration.reconnectMaximumDelay = .milliseconds(50)
        configuration.connection.requestTimeout = .seconds(5)
        configuration.connectionsPerHost = connectionsPerHost
        configuration.busyConnectionThreshold = 8
        return try CQLClient(configuration: configuration, logger: Logger(label: "test"))
    }

    /// Runs `count` writes at once, with keys whose token `owner` (if given) owns.
    static func writes(
        _ count: Int, _ client: CQLClient, _ statement: CQLPreparedStatement, _ cluster: FakeCluster,
        ownedBy owner: String? = nil
    ) async throws {
        let keys = (0..<(count * 10)).lazy.map { "k\($0)" }.filter { owner == nil || cluster.owner(of: $0) == owner }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for key in keys.prefix(count) {
                group.addTask {
                    _ = try await client.execute(
                        statement, [.text(key), .text("v")], options: .init(isIdempotent: true))
                }
            }
            try await group.waitForAll()
        }
    }

    static func prepares(_ cluster: FakeCluster) -> [Int] {
        Self.nodes.map { cluster.requestCount(.prepare, on: $0.address) }
    }

    static func unprepared(_ cluster: FakeCluster) -> [Int] {
        Self.nodes.map { cluster.unpreparedCount(on: $0.address) }
    }

    @Test("prepare reaches every up node once, so writes routed anywhere are never answered UNPREPARED")
    func preparedOnEveryNode() async throws {
        let cluster = try await FakeCluster.start(Self.nodes)
        let client = try Self.client(cluster)
        try await client.connect()
        let insert = try await client.prepare(FakeCluster.insert)
        #expect(Self.prepares(cluster) == [1, 1, 1])
        _ = try await client.prepare(FakeCluster.insert)
        try await Self.writes(300, client, insert, cluster)
        #expect(Set(cluster.executions.map(\.node)).count == 3)
        #expect(Self.unprepared(cluster) == [0, 0, 0])
        #expect(Self.prepares(cluster) == [1, 1, 1])
        await client.close()
        await cluster.stop()
    }

    @Test("many writes answered UNPREPARED at once by one node make one PREPARE there, and all succeed")
    func concurrentRepreparesCoalesce() async throws {
        let cluster = try await FakeCluster.start(Self.nodes)
        let client = try Self.client(cluster)
        try await client.connect()
        let insert = try await client.prepare(FakeCluster.insert)
        let before = cluster.requestCount(.prepare, on: "127.0.0.2")
        cluster.forgetPrepared(on: "127.0.0.2")  // an eviction, or a restart the client did not notice
        cluster.clearLog()

        try await Self.writes(100, client, insert, cluster, ownedBy: "127.0.0.2")

        #expect(cluster.executions.count == 100)
        #expect(cluster.unpreparedCount(on: "127.0.0.2") > 1)
        #expect(cluster.requestCount(.prepare, on: "127.0.0.2") == before + 1)
        await client.close()
        await cluster.stop()
    }

    @Test("a node that comes back is given the client's statements before writes need them")
    func repreparedWhenANodeComesUp() async throws {
        let cluster = try await FakeCluster.start(Self.nodes)
        let client = try Self.client(cluster, connectionsPerHost: 1)
        try await client.connect()
        let insert = try await client.prepare(FakeCluster.insert)
        let id = "127.0.0.2:\(cluster.port)"
        await cluster.stopNode("127.0.0.2")  // a restart forgets every prepared statement
        #expect(
            await eventually {
                _ = try? await client.query("SELECT data_center FROM system.local")
                _ = try? await client.connection(to: id)
                return client.state.withLockedValue { $0.hosts[id]?.health.isDown == true }
            })
        try await cluster.restartNode("127.0.0.2")
        #expect(await eventually { cluster.requestCount(.prepare, on: "127.0.0.2") == 2 })

        try await Self.writes(50, client, insert, cluster, ownedBy: "127.0.0.2")
        #expect(cluster.unpreparedCount(on: "127.0.0.2") == 0)
        #expect(cluster.requestCount(.prepare, on: "127.0.0.2") == 2)
        await client.close()
        await cluster.stop()
    }
}
