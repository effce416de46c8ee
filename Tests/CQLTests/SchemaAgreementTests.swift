import Logging
import TestWaiting
import Testing

@testable import CQL

/// Schema changes on a three-node fake cluster whose nodes hear of DDL late, one of them possibly down.
@Suite("Schema agreement on a fake three-node cluster", .serialized)
struct SchemaAgreementTests {
    static let nodes = FakeClusterClientTests.nodes
    static let keyspaceDDL =
        "CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}"
    static let tableDDL = "CREATE TABLE IF NOT EXISTS ks.t (k text PRIMARY KEY, v text)"

    static func client(_ cluster: FakeCluster, logger: Logger = Logger(label: "test")) throws -> CQLClient {
        var configuration = CQLClient.Configuration(contactPoints: ["127.0.0.1:\(cluster.port)"], port: cluster.port)
        configuration.connection.requestTimeout = .seconds(5)
        configuration.connection.connectTimeout = .seconds(1)
        configuration.reconnectBaseDelay = .seconds(60)  // a stopped node stays down for the whole test
        return try CQLClient(configuration: configuration, logger: logger)
    }

    /// Runs the two DDL statements on one node over its own connection, as another client would.
    static func runDDL(on address: String, _ cluster: FakeCluster) async throws {
        let connection = try await CQLConnection.connect(host: address, port: cluster.port)
        _ = try await connection.query(Self.keyspaceDDL)
        _ = try await connection.query(Self.tableDDL)
        try await connection.close()
    }

    @Test("the statements of a schema go through one connection, each once the up nodes have the one before")
    func oneCoordinatorAndAWaitBetweenStatements() async throws {
        let cluster = try await FakeCluster.start(Self.nodes)
        cluster.schema.withLockedValue {
            $0.delays = ["127.0.0.2": .milliseconds(300), "127.0.0.3": .milliseconds(300)]
        }
        let client = try Self.client(cluster)
        try await client.connect()

        let agreement = try await client.applySchema([Self.keyspaceDDL, Self.tableDDL], agreementTimeout: .seconds(10))

        #expect(agreement.agreed, "\(agreement)")
        let changes = cluster.schemaChanges
        #expect(changes.count == 2)
        #expect(Set(changes.map(\.connection)).count == 1, "one connection: \(changes.map(\.connection))")
        #expect(Set(changes.map(\.node)).count == 1)
        // When CREATE TABLE ran, every node already had the keyspace: the client waited for agreement in between.
        #expect(changes.last?.keyspaceMissingOn == [], "\(changes.map(\.keyspaceMissingOn))")
        for node in Self.nodes { #expect(cluster.has("ks.t", on: node.address), "\(node.address)") }
        await client.close()
        await cluster.stop()
    }

    @Test("a node that is down does not count: its stale version in system.peers does not hold agreement back")
    func downNodeDoesNotCount() async throws {
        let cluster = try await FakeCluster.start(Self.nodes)
        await cluster.stopNode("127.0.0.3")
        let client = try Self.client(cluster)
        try await client.connect()
        try await Self.runDDL(on: "127.0.0.1", cluster)
        #expect(cluster.schemaVersion(of: "127.0.0.3") != cluster.schemaVersion(of: "127.0.0.1"))

        let start = ContinuousClock.now
        #expect(try await client.waitForSchemaAgreement(timeout: .seconds(120)))
        // Far under the timeout: the down node's version is not waited for.
        #expect(ContinuousClock.now - start < .seconds(60))

        let agreement = try await client.applySchema([Self.tableDDL], agreementTimeout: .seconds(4))
        #expect(agreement.agreed, "\(agreement)")
        #expect(agreement.down == ["127.0.0.3:\(cluster.port)"])
        await client.close()
        await cluster.stop()
    }

    @Test("a node that has not heard of a change yet cannot end the wait: agreement waits until it has the table")
    func laggingNodeIsWaitedFor() async throws {
        let cluster = try await FakeCluster.start(Self.nodes)
        // 127.0.0.3 gets schema changes 1.5 s late, and meanwhile shows its peers at its own (old) version.
        cluster.schema.withLockedValue { schema in
            schema.delays["127.0.0.3"] = .milliseconds(1_500)
            schema.gossipLagging = ["127.0.0.3"]
        }
        let client = try Self.client(cluster)
        try await client.connect()
        try await Self.runDDL(on: "127.0.0.1", cluster)
        #expect(!cluster.has("ks.t", on: "127.0.0.3"))

        #expect(try await client.waitForSchemaAgreement(timeout: .seconds(10)))
        for node in Self.nodes { #expect(cluster.has("ks.t", on: node.address), "\(node.address)") }
        await client.close()
        await cluster.stop()
    }

    @Test("the up nodes without a table are named, each asked about its own schema")
    func hostsMissingTable() async throws {
        let cluster = try await FakeCluster.start(Self.nodes)
        cluster.schema.withLockedValue { $0.delays["127.0.0.3"] = .seconds(60) }
        let client = try Self.client(cluster)
        try await client.connect()
        try await Self.runDDL(on: "127.0.0.1", cluster)
        #expect(await client.hostsMissingTable("t", inKeyspace: "ks") == ["127.0.0.3:\(cluster.port)"])
        #expect(await client.hostsMissingTable("other", inKeyspace: "ks").count == 3)
        await client.close()
        await cluster.stop()
    }
}
