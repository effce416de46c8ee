import Bench
import CQL
import NIOCore
import Testing
import UsersContract

@testable import Stores

@Suite("Cassandra store (no server)")
struct CassandraUserStoreUnitTests {
    /// `(name, type, primary key)` of each column definition of a `CREATE TABLE` statement.
    static func definitions(_ ddl: String) throws -> [(String, String, Bool)] {
        let start = try #require(ddl.firstIndex(of: "(")).utf16Offset(in: ddl) + 1
        let end = try #require(ddl.firstIndex(of: ")")).utf16Offset(in: ddl)
        let body = ddl.dropFirst(start).prefix(end - start)
        return body.split(separator: ",").map { definition in
            let words = definition.split(whereSeparator: \.isWhitespace).map(String.init)
            let key = words.dropFirst(2).joined(separator: " ")
            return (words[0], words[1], key == "PRIMARY KEY" || key == "PRIMARY KEY NOT NULL")
        }
    }

    @Test("schemaCQL is the keyspace with the chosen replication, and the table of UserRow.columns")
    func schemaText() throws {
        let cql = CassandraUserStore.schemaCQL(keyspace: "user_data", replication: .simple(replicationFactor: 1))
        #expect(
            cql.hasPrefix(
                """
                CREATE KEYSPACE IF NOT EXISTS user_data
                  WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
                CREATE TABLE IF NOT EXISTS user_data.users (
                  user_id text PRIMARY KEY,
                  title text,
                """))
        #expect(cql.hasSuffix("\n  source_offset bigint\n);"))
        let table = try #require(cql.split(separator: ";").dropFirst().first.map(String.init))
        let columns = try Self.definitions(table)
        #expect(columns.map(\.0) == UserRow.columnNames)
        #expect(columns.map(\.1) == UserRow.columns.map(\.type.cql))
        #expect(columns.map(\.2) == UserRow.columns.map(\.isPrimaryKey))
        let nts = CassandraUserStore.schemaCQL(keyspace: "ks", replication: .networkTopology(["dc2": 2, "dc1": 3]))
        #expect(
            nts.hasPrefix(
                "CREATE KEYSPACE IF NOT EXISTS ks\n  WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 2};"
            ))
    }

    @Test("the SQLite DDL is the table of UserRow.columns with SQLite types, the key not null, and the index")
    func sqliteSchemaText() throws {
        let sql = SQLiteUserStore.schemaSQL
        #expect(sql.hasPrefix("CREATE TABLE IF NOT EXISTS users (\n  user_id TEXT PRIMARY KEY NOT NULL,\n"))
        #expect(sql.hasSuffix(");\nCREATE INDEX IF NOT EXISTS users_processed_at ON users (processed_at);"))
        let columns = try Self.definitions(sql)
        #expect(columns.map(\.0) == UserRow.columnNames)
        #expect(columns.map(\.1) == UserRow.columns.map(\.type.sqlite))
        #expect(columns.map(\.2) == UserRow.columns.map(\.isPrimaryKey))
    }

    @Test("the upsert binds absent columns as unset and the fetchedAt timestamp in microseconds")
    func bindValues() {
        let row = UserRow(userID: "u1", email: "a@b.co", fetchedAt: 1_700_000_000_123, processedAt: 1_700_000_000_999)
        let values = CassandraUserStore.bindValues(row)
        #expect(values.count == UserRow.columnNames.count + 1)
        #expect(values[0] == .text("u1"))
        #expect(values[1] == .unset)  // title
        #expect(values[2] == .text("Unknown"))
        #expect(values[12] == .unset)  // latitude
        #expect(values[21] == .timestamp(1_700_000_000_123))
        #expect(values[22] == .timestamp(1_700_000_000_999))
        #expect(values.last == .bigint(1_700_000_000_123_000))
        #expect(!values.contains(.null))
        let noFetch = UserRow(userID: "u2", email: "a@b.co", processedAt: 5)
        #expect(CassandraUserStore.bindValues(noFetch).last == .bigint(5000))
        #expect(CassandraUserStore.bindValues(noFetch)[21] == .unset)
    }

    @Test("the upsert CQL names every column and ends with USING TIMESTAMP ?")
    func insertText() {
        let cql = CassandraUserStore.insertCQL(keyspace: "user_data", table: "users")
        #expect(cql.hasPrefix("INSERT INTO user_data.users (user_id, title, first_name,"))
        #expect(cql.hasSuffix(") USING TIMESTAMP ?"))
        #expect(cql.filter { $0 == "?" }.count == 26)
    }

    @Test("a stored row decodes back, nulls as nil")
    func decodeRow() throws {
        let full = CassandraBenchmark.syntheticRow(index: 3)
        let sparse = UserRow(userID: "u", email: "e@x.io", processedAt: 9)
        for row in [full, sparse] {
            let specs = UserRow.columns.map { column in
                CQLColumnSpec(
                    keyspace: "k", table: "t", name: column.name, type: FakeCassandraNode.type(column.type.cql))
            }
            let cells: [ByteBuffer?] = CassandraUserStore.bindValues(row).dropLast().map { value in
                if case .unset = value { return nil }
                var buffer = ByteBuffer()
                value.encodeBody(into: &buffer)
                return buffer
            }
            let cqlRow = CQLRow(columns: CQLColumns(specs), cells: cells)
            #expect(try CassandraUserStore.userRow(from: cqlRow) == row)
        }
    }

    @Test("within one upsert the later row of a user wins")
    func lastPerUser() {
        let a1 = UserRow(userID: "a", email: "1@x.io", processedAt: 1)
        let b = UserRow(userID: "b", email: "2@x.io", processedAt: 2)
        let a2 = UserRow(userID: "a", email: "3@x.io", processedAt: 3)
        #expect(CassandraUserStore.lastPerUser([a1, b, a2]) == [a2, b])
    }

    @Test("latest keeps the newest N by processed_at")
    func keepNewest() {
        var top: [UserRow] = []
        for (index, time) in [5, 1, 9, 3, 7, 9].enumerated() {
            CassandraUserStore.keepNewest(
                UserRow(userID: "u\(index)", email: "e@x.io", processedAt: Int64(time)), in: &top, limit: 3)
        }
        #expect(top.map(\.processedAt) == [9, 9, 7])
        #expect(top.map(\.userID) == ["u2", "u5", "u4"])
    }

    @Test("cassandra:// URLs parse hosts, keyspace, consistency, dc/rf and tls")
    func url() throws {
        let full = try CassandraUserStore.Configuration(
            url:
                "cassandra://10.0.0.1:9043,10.0.0.2/analytics?consistency=QUORUM&dc=eu-west&rf=3&tls=true&maxInFlight=64"
        )
        #expect(full.contactPoints == ["10.0.0.1:9043", "10.0.0.2:9042"])
        #expect(full.port == 9043)
        #expect(full.keyspace == "analytics")
        #expect(full.consistency == .quorum)
        #expect(full.localDataCenter == "eu-west")
        #expect(full.replication == .networkTopology(["eu-west": 3]))
        #expect(full.tls != nil)
        #expect(full.maximumInFlightWrites == 64)

        let defaults = try CassandraUserStore.Configuration(url: "cassandra:///")
        #expect(defaults.contactPoints == ["127.0.0.1"])
        #expect(defaults.keyspace == "user_data")
        #expect(defaults.consistency == .localQuorum)
        #expect(defaults.replication == .simple(replicationFactor: 1))
        #expect(defaults.tls == nil)

        #expect(full.discoverPeers)
        let simple = try CassandraUserStore.Configuration(
            url: "cassandra://db/user_data?rf=2&consistency=local_one&discover=false")
        #expect(!simple.discoverPeers)
        #expect(try !simple.clientConfiguration().discoverPeers)
        #expect(simple.replication == .simple(replicationFactor: 2))
        #expect(simple.consistency == .localOne)
        #expect(simple.contactPoints == ["db:9042"])
    }

    @Test(
        "bad URLs are refused with a reason, and credentials never come from a URL",
        arguments: [
            "http://x/ks", "cassandra://u:p@host/ks", "cassandra://h/ks?consistency=MOST", "cassandra://h/ks?rf=0",
            "cassandra://h/bad-name", "cassandra://h/ks?password=x", "cassandra://h:99999/ks",
            "cassandra://h/ks?what=1",
        ])
    func badURL(url: String) {
        #expect(throws: CassandraURLError.self) { try CassandraUserStore.Configuration(url: url) }
    }

    @Test("the configuration's description never shows the password")
    func redacted() {
        var configuration = CassandraUserStore.Configuration()
        configuration.credentials = CQLCredentials(username: "app", password: "s3cr3t-pw")
        #expect(!configuration.description.contains("s3cr3t-pw"))
        #expect(configuration.description.contains("app (password redacted)"))
        #expect(!"\(try! configuration.clientConfiguration())".contains("s3cr3t-pw"))
    }

    @Test("synthetic benchmark rows have unique UUID-shaped ids")
    func syntheticRows() {
        let ids = (0..<1000).map { CassandraBenchmark.syntheticRow(index: $0).userID }
        #expect(Set(ids).count == 1000)
        let pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/
        #expect(ids.allSatisfy { $0.wholeMatch(of: pattern) != nil })
    }
}
