import Bench
import CQL
import Foundation
import Testing
import UsersContract

@testable import Stores

/// Runs against a real Cassandra 4.x when `CASSANDRA_HOST` is set (`host` or `host:port`); skipped otherwise.
/// Optional: `CASSANDRA_USERNAME` / `CASSANDRA_PASSWORD` for a cluster with `PasswordAuthenticator`.
enum CassandraTestEnvironment {
    static let host = ProcessInfo.processInfo.environment["CASSANDRA_HOST"]
    static let isConfigured = host != nil
    static let skipReason: Comment = "CASSANDRA_HOST is not set: no Cassandra server to test against"

    static func configuration(keyspace: String) -> CassandraUserStore.Configuration {
        var configuration = CassandraUserStore.Configuration(contactPoints: [host ?? "127.0.0.1"], keyspace: keyspace)
        configuration.consistency = .one
        configuration.maximumInFlightWrites = 128
        let environment = ProcessInfo.processInfo.environment
        if let username = environment["CASSANDRA_USERNAME"], let password = environment["CASSANDRA_PASSWORD"] {
            configuration.credentials = CQLCredentials(username: username, password: password)
        }
        return configuration
    }

    /// A store on a fresh keyspace, schema created.
    static func freshStore() async throws -> CassandraUserStore {
        let keyspace = "userstream_test_\(UInt32.random(in: 0...UInt32.max))"
        let store = try CassandraUserStore(configuration: configuration(keyspace: keyspace))
        try await store.prepare()
        return store
    }

    /// Runs `body` on a fresh store, then drops its keyspace (also when `body` throws).
    static func withFreshStore(_ body: (CassandraUserStore) async throws -> Void) async throws {
        let store = try await freshStore()
        do {
            try await body(store)
        } catch {
            await drop(store)
            throw error
        }
        await drop(store)
    }

    static func drop(_ store: CassandraUserStore) async {
        _ = try? await store.client.query(
            "DROP KEYSPACE IF EXISTS \(store.configuration.keyspace)", options: .init(timeout: .seconds(60)))
        try? await store.close()
    }
}

@Suite(
    "Cassandra integration",
    .enabled(if: CassandraTestEnvironment.isConfigured, CassandraTestEnvironment.skipReason),
    .serialized
)
struct CassandraIntegrationTests {
    @Test("prepare creates the keyspace and table, twice without error")
    func schema() async throws {
        try await CassandraTestEnvironment.withFreshStore { store in
            try await store.prepare()
            let columns = try await store.client.query(
                "SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = 'users'",
                [store.configuration.keyspace], options: .init(consistency: .one)
            )
            let names = try Set(columns.rows.map { try $0.decode(String.self, column: "column_name") })
            #expect(names == Set(UserRow.columnNames))
        }
    }

    @Test("10,000 rows are written and read back equal; paging reads them all")
    func tenThousand() async throws {
        try await CassandraTestEnvironment.withFreshStore { store in
            let rows = (0..<10_000).map { CassandraBenchmark.syntheticRow(index: $0) }
            try await store.upsert(rows)
            #expect(try await store.count() == 10_000)
            for index in stride(from: 0, to: 10_000, by: 997) {
                #expect(try await store.get(userID: rows[index].userID) == rows[index])
            }
            var seen = Set<String>()
            for try await row in store.client.rows(
                "SELECT user_id FROM \(store.configuration.keyspace).users",
                options: .init(consistency: .one, pageSize: 777))
            {
                seen.insert(try row.decode(String.self, column: "user_id"))
            }
            #expect(seen == Set(rows.map(\.userID)))
            let latest = try await store.latest(5)
            #expect(latest.map(\.processedAt) == rows.map(\.processedAt).sorted(by: >).prefix(5).map { $0 })
        }
    }

    @Test("absent columns read back as null and an older version does not overwrite a newer one")
    func absentAndVersions() async throws {
        try await CassandraTestEnvironment.withFreshStore { store in
            let id = "6ba7b810-9dad-41d1-80b4-00c04fd430c8"
            let sparse = UserRow(userID: id, email: "a@b.co", fetchedAt: 2_000, processedAt: 2_000)
            try await store.upsert([sparse])
            let read = try #require(try await store.get(userID: id))
            #expect(read.title == nil)
            #expect(read.latitude == nil)
            #expect(read == sparse)
            var older = sparse
            older.email = "old@b.co"
            older.fetchedAt = 1_000
            try await store.upsert([older])
            #expect(try await store.get(userID: id)?.email == "a@b.co")
            #expect(try await store.delete(userID: id))
            #expect(try await store.get(userID: id) == nil)
            #expect(try await !store.delete(userID: id))
        }
    }

    @Test(
        "a wrong password gives a clear authentication error",
        .enabled(
            if: ProcessInfo.processInfo.environment["CASSANDRA_USERNAME"] != nil,
            "CASSANDRA_USERNAME is not set: the server may not require authentication"))
    func wrongPassword() async throws {
        var configuration = CassandraTestEnvironment.configuration(keyspace: "user_data")
        configuration.credentials = CQLCredentials(
            username: configuration.credentials?.username ?? "cassandra", password: "definitely-wrong"
        )
        let store = try CassandraUserStore(configuration: configuration)
        do {
            _ = try await store.count()
            Issue.record("expected an authentication error")
        } catch let error as CQLServerError {
            #expect(error.code == .authenticationError)
            #expect("\(error)".contains("Authentication_error"))
        }
        try await store.close()
    }

    @Test("the benchmark writes and reports figures")
    func benchmark() async throws {
        try await CassandraTestEnvironment.withFreshStore { store in
            let result = try await CassandraBenchmark.run(store: store, rows: 2_000, concurrency: 64)
            print("Cassandra benchmark: \(result)")
            #expect(result.rows == 2_000)
            #expect(result.p50Milliseconds <= result.p99Milliseconds)
        }
    }
}
