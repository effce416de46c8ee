import Logging
import ServiceLifecycle
import UsersContract

/// A sink for transformed users. Every implementation follows contract section 5:
/// `user_id` is the key, a write is an upsert, and a row whose `fetchedAt` is older than the
/// stored one does not overwrite it.
public protocol UserStore: Service {
    /// Creates the schema (keyspace / table) if it does not exist. Idempotent.
    func prepare() async throws
    /// Upserts the rows. When this returns, the rows are durable (a committed SQLite transaction,
    /// or acknowledged at the configured consistency level); only then may Kafka offsets be committed.
    func upsert(_ rows: [UserRow]) async throws
    /// The stored row of one user, or nil.
    func get(userID: String) async throws -> UserRow?
    /// The `limit` most recently processed users, newest first.
    func latest(_ limit: Int) async throws -> [UserRow]
    /// One page of users in key order, after the key `after` (exclusive; nil: from the first), at most `limit`:
    /// keyset pagination, each page one indexed range read (SQLite: `user_id` order; Cassandra: token order).
    func page(after: String?, limit: Int) async throws -> [UserRow]
    /// How many users are stored.
    func count() async throws -> Int
    /// Erases one user (the right to be forgotten). Returns whether a row existed.
    @discardableResult
    func delete(userID: String) async throws -> Bool
    /// Releases connections and files.
    func close() async throws
    /// Whether `error`, thrown by this store, may go away if the same call is tried again later: the store is
    /// unreachable, restarting, overloaded, busy or full. A bad schema, rejected credentials or a malformed request
    /// are not transient: trying again fails the same way.
    func isTransient(_ error: any Error) -> Bool
}

extension UserStore {
    /// Runs until the service group shuts down (or is cancelled), then closes the store. List it before the
    /// services that write to it, so that it closes after them.
    public func run() async throws {
        try? await gracefulShutdown()
        try await close()
        Logger(label: "userstream.store").info("store closed")
    }
}
