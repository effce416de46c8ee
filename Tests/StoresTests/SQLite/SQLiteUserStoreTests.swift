import Foundation
import Testing
@testable import Stores
import UsersContract

@Suite("SQLite user store")
struct SQLiteUserStoreTests {
    /// A fresh store in its own temporary folder, removed after `body`.
    private func withStore(_ body: (SQLiteUserStore, String) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("us-sqlite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("users.sqlite").path
        let store = try SQLiteUserStore(configuration: .init(path: path))
        try await store.prepare()
        try await body(store, path)
        try await store.close()
    }

    private func row(_ id: String, fetchedAt: Int64?, processedAt: Int64 = 1, city: String? = "Cotia") -> UserRow {
        UserRow(
            userID: id, title: "Mr", firstName: "Damas", lastName: "Oliveira", gender: "male",
            email: "damas.oliveira@example.com", username: "goldenpeacock430",
            address: "6972 Rua Vinte E Quatro de Outubro, Cotia, Bahia, Brazil", city: city, state: "Bahia",
            country: "Brazil", postcode: "32158", latitude: -78.1478, longitude: -175.9694,
            dateOfBirth: -363_991_182_335, age: 64, registrationDate: 1_409_375_984_274,
            phone: "(49) 7072-4143", cell: "(97) 9244-6490", nationality: "BR",
            pictureURL: "https://randomuser.me/api/portraits/men/37.jpg",
            fetchedAt: fetchedAt, processedAt: processedAt, sourcePartition: 3, sourceOffset: 42
        )
    }

    @Test("a written row reads back equal, column for column")
    func roundTrip() async throws {
        try await withStore { store, _ in
            let original = row("4bbbf423-b3dd-409f-b35b-53957fc1b362", fetchedAt: 1_700_000_000_000)
            try await store.upsert([original])
            #expect(try await store.get(userID: original.userID) == original)
            #expect(try await store.count() == 1)
            #expect(try await store.get(userID: "00000000-0000-0000-0000-000000000000") == nil)
        }
    }

    @Test("prepare is idempotent and the data survives reopening the file")
    func reopen() async throws {
        try await withStore { store, path in
            try await store.prepare()
            try await store.upsert([row("a", fetchedAt: 1)])
            let second = try SQLiteUserStore(configuration: .init(path: path))
            try await second.prepare()
            #expect(try await second.count() == 1)
            try await second.close()
        }
    }

    @Test("an older record does not overwrite a newer one; a newer or equal one does")
    func freshness() async throws {
        try await withStore { store, _ in
            try await store.upsert([row("u", fetchedAt: 2000, city: "New")])
            try await store.upsert([row("u", fetchedAt: 1000, city: "Old")])
            #expect(try await store.get(userID: "u")?.city == "New")
            try await store.upsert([row("u", fetchedAt: 2000, city: "Same time")])
            #expect(try await store.get(userID: "u")?.city == "Same time")
            try await store.upsert([row("u", fetchedAt: 3000, city: "Newer")])
            #expect(try await store.get(userID: "u")?.city == "Newer")
            #expect(try await store.count() == 1)
        }
    }

    @Test("an absent column keeps the stored value, as an unset CQL column does")
    func absentKeepsValue() async throws {
        try await withStore { store, _ in
            try await store.upsert([row("u", fetchedAt: 1000, city: "Cotia")])
            try await store.upsert([row("u", fetchedAt: 2000, city: nil)])
            let stored = try #require(try await store.get(userID: "u"))
            #expect(stored.city == "Cotia")
            #expect(stored.fetchedAt == 2000)
        }
    }

    @Test("absent columns of a new row read back as nil")
    func absentIsNull() async throws {
        try await withStore { store, _ in
            let sparse = UserRow(userID: "s", email: "a@b.c", processedAt: 5)
            try await store.upsert([sparse])
            #expect(try await store.get(userID: "s") == sparse)
        }
    }

    @Test("latest returns the most recently processed users first; delete erases one")
    func latestAndDelete() async throws {
        try await withStore { store, _ in
            let rows = (0..<10).map { row("user-\($0)", fetchedAt: Int64($0), processedAt: Int64(100 + $0)) }
            try await store.upsert(rows)
            let latest = try await store.latest(3)
            #expect(latest.map(\.userID) == ["user-9", "user-8", "user-7"])
            #expect(try await store.delete(userID: "user-9"))
            #expect(try await store.delete(userID: "user-9") == false)
            #expect(try await store.count() == 9)
            #expect(try await store.latest(1).first?.userID == "user-8")
        }
    }

    @Test("a large batch is written in one call")
    func largeBatch() async throws {
        try await withStore { store, _ in
            let rows = (0..<5000).map { row(String(format: "%08d", $0), fetchedAt: 1) }
            try await store.upsert(rows)
            #expect(try await store.count() == 5000)
        }
    }

    @Test("rows are written in user_id order, and of two rows with one user_id the later is written last")
    func keyOrder() {
        let ids = [
            "f0000000-0000-0000-0000-000000000000", "0a000000-0000-0000-0000-000000000001", "b", "",
            "0a000000-0000-0000-0000-000000000000", "b", "0a000000-0000-0000-0000-000000000001", "0a00000000000000zz",
            "0a00000000000000z",
        ]
        let rows = ids.map { row($0, fetchedAt: 1) }
        let order = SQLiteUserStore.keyOrder(rows).map(Int.init)
        #expect(order.count == ids.count)
        #expect(order.map { ids[$0] } == ids.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        // Equal keys keep their order in the batch.
        #expect(order.filter { ids[$0] == "b" } == [2, 5])
        #expect(order.filter { ids[$0] == "0a000000-0000-0000-0000-000000000001" } == [1, 6])
    }

    @Test("within one write, the later of two rows with the same user_id and version wins")
    func laterRowInOneWriteWins() async throws {
        try await withStore { store, _ in
            var rows = (0..<300).map { row(String(format: "%08x-0000-0000-0000-000000000000", $0 * 7919 % 1000), fetchedAt: 5) }
            rows.append(row(rows[17].userID, fetchedAt: 5, city: "Later"))
            rows.insert(row(rows[17].userID, fetchedAt: 5, city: "Earlier"), at: 3)
            try await store.upsert(rows)
            #expect(try await store.get(userID: rows[18].userID)?.city == "Later")
            #expect(try await store.count() == 300)
        }
    }

    @Test("empty texts are stored as empty, not as NULL")
    func emptyTexts() async throws {
        try await withStore { store, _ in
            var original = row("", fetchedAt: 1)
            original.email = ""
            original.title = ""
            try await store.upsert([original])
            let read = try #require(try await store.get(userID: ""))
            #expect(read.email == "")
            #expect(read.title == "")
            #expect(read == original)
        }
    }

    @Test("sqlite:PATH takes synchronous and cache_kib parameters and rejects others")
    func locationParameters() throws {
        let plain = try StoreFactory.sqliteConfiguration("sqlite:users.sqlite")
        #expect(plain.path == "users.sqlite")
        #expect(plain.synchronous == .full)
        #expect(plain.cacheKiB == 16_384)
        let tuned = try StoreFactory.sqliteConfiguration("sqlite:///tmp/u.db?synchronous=normal&cache_kib=4096")
        #expect(tuned.path == "/tmp/u.db")
        #expect(tuned.synchronous == .normal)
        #expect(tuned.cacheKiB == 4096)
        #expect(try StoreFactory.sqliteConfiguration("sqlite:u.db?synchronous=FULL").synchronous == .full)
        #expect(throws: StoreFactory.Error.self) { try StoreFactory.sqliteConfiguration("sqlite:u.db?synchronous=off") }
        #expect(throws: StoreFactory.Error.self) { try StoreFactory.sqliteConfiguration("sqlite:u.db?cache_kib=0") }
        #expect(throws: StoreFactory.Error.self) { try StoreFactory.sqliteConfiguration("sqlite:?synchronous=full") }
    }
}
