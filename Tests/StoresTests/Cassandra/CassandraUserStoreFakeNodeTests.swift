import Bench
import CQL
import Logging
import Testing
import UsersContract

@testable import Stores

/// The store end to end against a fake node on 127.0.0.1 (see `FakeCassandraNode`): what it sends and what it reads.
@Suite("Cassandra store against a fake node", .serialized)
struct CassandraUserStoreFakeNodeTests {
    static func store(_ node: FakeCassandraNode, maxInFlight: Int = 32) throws -> CassandraUserStore {
        var configuration = CassandraUserStore.Configuration(contactPoints: ["127.0.0.1:\(node.port)"], port: node.port)
        configuration.maximumInFlightWrites = maxInFlight
        return try CassandraUserStore(configuration: configuration, logger: Logger(label: "test"))
    }

    @Test("prepare sends the contract's keyspace and table DDL")
    func prepare() async throws {
        let node = try await FakeCassandraNode.start()
        let store = try Self.store(node)
        try await store.prepare()
        let ddl = node.log.withLockedValue { $0.ddl }
        #expect(
            ddl.map { $0 + ";" }.joined(separator: "\n")
                == CassandraUserStore.schemaCQL(keyspace: "user_data", replication: .simple(replicationFactor: 1)))
        try await store.close()
        await node.stop()
    }

    @Test("upsert writes every row with absent columns unset (never null), and reads them back equal")
    func upsertAndRead() async throws {
        let node = try await FakeCassandraNode.start()
        let store = try Self.store(node)
        try await store.prepare()
        let full = (0..<2_500).map { CassandraBenchmark.syntheticRow(index: $0) }
        let sparse = UserRow(userID: "00000000-0000-4000-8000-000000000001", email: "s@x.io", processedAt: 1)
        try await store.upsert(full + [sparse])
        #expect(node.table.withLockedValue { $0.count } == 2_501)
        let log = node.log.withLockedValue { $0 }
        #expect(log.nullCount == 0)
        #expect(log.unsetCount == 19)  // the sparse row's 19 absent columns (25 minus the 6 it has)
        let sparseKey = CQLValue.blob(Array(sparse.userID.utf8))
        let sparseInsert = try #require(log.insertValues.first { $0.first == sparseKey })
        #expect(sparseInsert.last == .blob(withUnsafeBytes(of: Int64(1000).bigEndian) { Array($0) }))  // 1 ms = 1000 µs
        #expect(try await store.get(userID: full[7].userID) == full[7])
        #expect(try await store.get(userID: sparse.userID) == sparse)
        #expect(try await store.get(userID: "missing") == nil)
        #expect(try await store.count() == 2_501)
        try await store.close()
        await node.stop()
    }

    @Test("an older version does not overwrite a newer one (USING TIMESTAMP from fetchedAt)")
    func versions() async throws {
        let node = try await FakeCassandraNode.start()
        let store = try Self.store(node)
        let id = "00000000-0000-4000-8000-000000000002"
        try await store.upsert([UserRow(userID: id, email: "new@x.io", fetchedAt: 2_000, processedAt: 5)])
        try await store.upsert([UserRow(userID: id, email: "old@x.io", fetchedAt: 1_000, processedAt: 6)])
        #expect(try await store.get(userID: id)?.email == "new@x.io")
        try await store.close()
        await node.stop()
    }

    @Test("latest pages through the whole table and keeps the newest rows")
    func latest() async throws {
        let node = try await FakeCassandraNode.start()
        let store = try Self.store(node)
        let rows = (0..<2_300).map { CassandraBenchmark.syntheticRow(index: $0) }
        try await store.upsert(rows)
        let latest = try await store.latest(3)
        #expect(
            latest.map(\.processedAt) == [rows[2_299].processedAt, rows[2_298].processedAt, rows[2_297].processedAt])
        #expect(node.log.withLockedValue { $0.pagesServed } == 3)
        try await store.close()
        await node.stop()
    }

    @Test("delete says whether a row existed")
    func delete() async throws {
        let node = try await FakeCassandraNode.start()
        let store = try Self.store(node)
        let row = CassandraBenchmark.syntheticRow(index: 1)
        try await store.upsert([row])
        #expect(try await store.delete(userID: row.userID))
        #expect(try await !store.delete(userID: row.userID))
        #expect(try await store.get(userID: row.userID) == nil)
        try await store.close()
        await node.stop()
    }

    @Test("the benchmark writes every row and reports ordered percentiles")
    func benchmark() async throws {
        let node = try await FakeCassandraNode.start()
        let store = try Self.store(node)
        let result = try await CassandraBenchmark.run(store: store, rows: 500, concurrency: 16)
        #expect(result.rows == 500)
        #expect(node.table.withLockedValue { $0.count } == 500)
        #expect(result.p50Milliseconds <= result.p95Milliseconds)
        #expect(result.p95Milliseconds <= result.p99Milliseconds)
        try await store.close()
        await node.stop()
    }
}
