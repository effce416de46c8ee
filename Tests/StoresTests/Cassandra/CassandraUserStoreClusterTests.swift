import TestLogging
import CQL
import Logging
import Testing
import UsersContract

@testable import Stores

/// `prepare()` (what `schema --apply` and every start run) against a fake three-node cluster whose nodes hear of
/// schema changes late, as a real one's do, with one node down or lagging.
@Suite("Cassandra store schema on a fake three-node cluster", .serialized)
struct CassandraUserStoreClusterTests {
    static let addresses = ["127.0.0.1", "127.0.0.2", "127.0.0.3"]

    static func store(
        _ cluster: FakeCassandraNode, logger: Logger = Logger(label: "test")
    ) throws -> CassandraUserStore {
        var configuration = CassandraUserStore.Configuration(
            contactPoints: ["127.0.0.1:\(cluster.port)"], port: cluster.port,
            replication: .simple(replicationFactor: 3))
        configuration.requestTimeout = .seconds(5)
        configuration.schemaAgreementTimeout = .seconds(120)
        return try CassandraUserStore(configuration: configuration, logger: logger)
    }

    @Test("a new keyspace: both statements go to one coordinator, the table only once every node has the keyspace")
    func newKeyspaceOnLateNodes() async throws {
        let cluster = try await FakeCassandraNode.start(addresses: Self.addresses)
        cluster.schema.withLockedValue {
            $0.delays = ["127.0.0.2": .milliseconds(200), "127.0.0.3": .milliseconds(200)]
        }
        let store = try Self.store(cluster)

        try await store.prepare()

        let changes = cluster.schema.withLockedValue { $0.changes }
        #expect(changes.count == 2)
        #expect(Set(changes.map(\.connection)).count == 1, "\(changes)")
        #expect(changes.last?.keyspaceMissingOn == [], "\(changes)")
        for address in Self.addresses { #expect(cluster.has("user_data.users", on: address), "\(address)") }
        try await store.close()
        await cluster.stop()
    }

    @Test("a node that is down neither holds prepare back nor makes it warn")
    func downNodeDoesNotDelayStart() async throws {
        let cluster = try await FakeCassandraNode.start(addresses: Self.addresses)
        await cluster.stopNode("127.0.0.3")
        let recorder = LogRecorder()
        let store = try Self.store(cluster, logger: recorder.logger())

        let start = ContinuousClock.now
        try await store.prepare()

        // Far under the 120 s agreement timeout: the down node is not waited for.
        #expect(ContinuousClock.now - start < .seconds(60))
        let notAgreeing = recorder.lines(.warning).filter { !$0.message.contains("host down") }
        #expect(notAgreeing.isEmpty, "\(notAgreeing.map(\.message))")
        let ready = try #require(recorder.lines(.info, containing: "schema ready").first)
        #expect(ready.metadata["down_not_counted"]?.description.contains("127.0.0.3") == true)
        try await store.close()
        await cluster.stop()
    }

    @Test("schema ready is logged only once every up node has the table, even when a lagging node is asked")
    func readyOnlyWhenEveryUpNodeHasTheTable() async throws {
        let cluster = try await FakeCassandraNode.start(addresses: Self.addresses)
        // 127.0.0.3 gets changes 1 s late and meanwhile shows its peers at its own (old) version.
        cluster.schema.withLockedValue { schema in
            schema.delays["127.0.0.3"] = .seconds(1)
            schema.gossipLagging = ["127.0.0.3"]
        }
        let recorder = LogRecorder()
        let store = try Self.store(cluster, logger: recorder.logger())

        try await store.prepare()

        #expect(recorder.lines(.info, containing: "schema ready").count == 1)
        for address in Self.addresses { #expect(cluster.has("user_data.users", on: address), "\(address)") }
        try await store.close()
        await cluster.stop()
    }
}
