import GRDB

/// A SQLite failure, named by the store's file and what it was doing: `SQLite store /data/users.sqlite: write
/// failed: database is locked (SQLITE_BUSY)`.
public struct SQLiteStoreError: Error, Sendable, CustomStringConvertible {
    /// The database file.
    public var path: String
    /// What the store was doing: `open`, `create the schema`, `write`, `read`, `delete`, `close`.
    public var operation: String
    /// SQLite's error.
    public var underlying: DatabaseError

    /// SQLite's primary result code, e.g. `SQLITE_BUSY`.
    public var resultCode: ResultCode { underlying.resultCode.primaryResultCode }

    public var description: String {
        let message = underlying.message ?? "\(underlying.resultCode)"
        return "SQLite store \(path): \(operation) failed: \(message) (\(Self.name(of: underlying.resultCode)))\(hint)"
    }

    /// What to do, for the failures a user can act on.
    private var hint: String {
        switch resultCode {
        case .SQLITE_CANTOPEN: "; check that the folder exists and is writable"
        case .SQLITE_READONLY, .SQLITE_PERM: "; the file or its folder is read-only"
        case .SQLITE_FULL: "; the disk is full"
        case .SQLITE_NOTADB: "; the file is not a SQLite database (is --store the right path?)"
        default: ""
        }
    }

    private static func name(of code: ResultCode) -> String {
        switch code.primaryResultCode {
        case .SQLITE_BUSY: "SQLITE_BUSY"
        case .SQLITE_LOCKED: "SQLITE_LOCKED"
        case .SQLITE_FULL: "SQLITE_FULL"
        case .SQLITE_IOERR: "SQLITE_IOERR"
        case .SQLITE_CANTOPEN: "SQLITE_CANTOPEN"
        case .SQLITE_NOMEM: "SQLITE_NOMEM"
        case .SQLITE_READONLY: "SQLITE_READONLY"
        case .SQLITE_PERM: "SQLITE_PERM"
        case .SQLITE_NOTADB: "SQLITE_NOTADB"
        case .SQLITE_CORRUPT: "SQLITE_CORRUPT"
        case .SQLITE_CONSTRAINT: "SQLITE_CONSTRAINT"
        case .SQLITE_ERROR: "SQLITE_ERROR"
        default: "SQLite code \(code.rawValue)"
        }
    }

    /// Runs `body`, naming a `DatabaseError` it throws by `path` and `operation`.
    static func naming<T>(_ path: String, _ operation: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DatabaseError {
            throw SQLiteStoreError(path: path, operation: operation, underlying: error)
        }
    }

    /// The same for a synchronous `body`.
    static func naming<T>(_ path: String, _ operation: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw SQLiteStoreError(path: path, operation: operation, underlying: error)
        }
    }
}
