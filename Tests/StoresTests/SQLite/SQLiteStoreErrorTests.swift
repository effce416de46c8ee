import Foundation
import Stores
import Testing

@Suite("SQLite errors name the store's file")
struct SQLiteStoreErrorTests {
    @Test("a file in a missing folder: the error names the path, the operation and what to check")
    func missingFolder() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("us-missing-\(UUID().uuidString)/users.sqlite").path
        let error = try #require(throws: SQLiteStoreError.self) {
            _ = try SQLiteUserStore(configuration: .init(path: path))
        }
        let line = "\(error)"
        #expect(line.hasPrefix("SQLite store \(path): open failed: "))
        #expect(line.contains("SQLITE_CANTOPEN"))
        #expect(line.contains("check that the folder exists and is writable"))
        #expect(!line.contains("\n"))
    }

    @Test("a file that is not a database: the error names the path and says so; it is not transient")
    func notADatabase() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("us-notadb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("users.sqlite").path
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        do {
            let store = try SQLiteUserStore(configuration: .init(path: path))
            do {
                try await store.prepare()
                Issue.record("prepare succeeded on a file that is not a database")
            } catch let error as SQLiteStoreError {
                #expect("\(error)".hasPrefix("SQLite store \(path): "))
                #expect("\(error)".contains("SQLITE_NOTADB"))
                #expect(!store.isTransient(error))
            }
            try? await store.close()
        } catch let error as SQLiteStoreError {
            #expect("\(error)".hasPrefix("SQLite store \(path): open failed: "))
            #expect("\(error)".contains("not a SQLite database"))
        }
    }
}
