import Foundation
import StreamJSON
import Testing
import UsersContract

@Suite("The users columns: one list, the contract's")
struct UserColumnsTests {
    /// `(name, CQL type, primary key)` of each column of the `CREATE TABLE` in the contract's section 2.
    static func contractColumns() throws -> [(String, String, Bool)] {
        let spec = Fixtures.directory.deletingLastPathComponent().appendingPathComponent("spec/users-contract.md")
        let text = try String(contentsOf: spec, encoding: .utf8)
        let start = try #require(text.range(of: "CREATE TABLE IF NOT EXISTS user_data.users (")).upperBound
        let end = try #require(text.range(of: ");", range: start..<text.endIndex)).lowerBound
        return text[start..<end].split(separator: ",").map { definition in
            let words = definition.split(whereSeparator: \.isWhitespace).map(String.init)
            return (words[0], words[1], words.dropFirst(2) == ["PRIMARY", "KEY"])
        }
    }

    @Test("the columns are the contract's: names, order, CQL types and the key")
    func contract() throws {
        let expected = try Self.contractColumns()
        #expect(expected.count == 25)
        #expect(UserRow.columns.map(\.name) == expected.map(\.0))
        #expect(UserRow.columns.map(\.type.cql) == expected.map(\.1))
        #expect(UserRow.columns.map(\.isPrimaryKey) == expected.map(\.2))
        #expect(UserRow.columnNames == UserRow.columns.map(\.name))
    }

    @Test("SQLite stores text as TEXT, coordinates as REAL, integers and timestamps as INTEGER")
    func sqliteTypes() {
        let pairs = UserRow.columns.map { ($0.type.cql, $0.type.sqlite) }
        let types = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
        #expect(
            types == ["text": "TEXT", "double": "REAL", "int": "INTEGER", "bigint": "INTEGER", "timestamp": "INTEGER"])
    }

    @Test("a full row's JSON line has every column, in table order")
    func rowJSONKeys() throws {
        let row = UserRow(
            userID: "u", title: "Mr", email: "a@b.co", username: "n", address: "a", city: "c", state: "s", country: "c",
            postcode: "1", latitude: 1, longitude: 2, dateOfBirth: 3, age: 4, registrationDate: 5, phone: "p",
            cell: "c", nationality: "NL", pictureURL: "https://x.y/z", fetchedAt: 6, processedAt: 7, sourcePartition: 8,
            sourceOffset: 9)
        let line = RowJSON.encode(row)
        let keys = try line.withUnsafeBytes { buffer in
            var parser = JSONParser()
            return try parser.parse(buffer).root.members.map { $0.key.string ?? "" }
        }
        #expect(keys == UserRow.columnNames)
    }
}
