import NIOConcurrencyHelpers
import NIOCore
import Synchronization

/// The statements one node has prepared, shared by every connection to that node (Cassandra keeps prepared
/// statements per node, not per connection): one PREPARE per statement however many requests need it at once.
///
/// The cache has a generation that grows with every PREPARE that completes (of any statement); each statement
/// remembers the generation its last PREPARE completed in. A request reads the generation (one atomic load, no lock)
/// when it is sent; after an UNPREPARED answer it asks for a statement prepared *after* that: if one completed since,
/// it runs again at once; if one is in flight, it waits for it; otherwise it sends the PREPARE the others will wait
/// for.
final class CQLPreparedCache: Sendable {
    private struct Entry {
        var statement: CQLPreparedStatement?
        var generation: UInt64 = 0
        var inFlight: EventLoopFuture<CQLPreparedStatement>?
    }

    private enum Step {
        case done(CQLPreparedStatement)
        case wait(EventLoopFuture<CQLPreparedStatement>)
        case send(EventLoopPromise<CQLPreparedStatement>)
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    private let completed = Atomic<UInt64>(0)

    /// The statement for `query`, when this node has it.
    func cached(_ query: String) -> CQLPreparedStatement? {
        self.entries.withLockedValue { $0[query]?.statement }
    }

    /// The generation now, read when a request is sent (to pass to ``prepare(_:after:on:send:)`` after an UNPREPARED
    /// answer). Lock-free: it is read for every request.
    var generation: UInt64 { self.completed.load(ordering: .acquiring) }

    /// Forgets every statement (the node restarted, or may have): the next use prepares again, once. Returns the
    /// queries that were prepared.
    @discardableResult
    func invalidateAll() -> [String] {
        self.entries.withLockedValue { entries in
            var queries: [String] = []
            for (query, entry) in entries where entry.statement != nil {
                queries.append(query)
                entries[query]?.statement = nil
            }
            return queries
        }
    }

    /// The statement for `query`, prepared on this node after `generation` (nil: any time).
    /// - Parameters:
    ///   - generation: The generation a request was sent with; nil to take any prepared statement.
    ///   - eventLoop: Where the shared wait completes.
    ///   - send: Sends the PREPARE (called by at most one caller at a time per statement).
    func prepare(
        _ query: String,
        after generation: UInt64?,
        on eventLoop: any EventLoop,
        send: () async throws -> CQLPreparedStatement
    ) async throws -> CQLPreparedStatement {
        let step = self.entries.withLockedValue { entries -> Step in
            var entry = entries[query] ?? Entry()
            if let inFlight = entry.inFlight { return .wait(inFlight) }
            if let statement = entry.statement, generation.map({ entry.generation > $0 }) ?? true {
                return .done(statement)
            }
            let promise = eventLoop.makePromise(of: CQLPreparedStatement.self)
            entry.inFlight = promise.futureResult
            entries[query] = entry
            return .send(promise)
        }
        switch step {
        case .done(let statement):
            return statement
        case .wait(let future):
            return try await future.get()
        case .send(let promise):
            do {
                let statement = try await send()
                self.entries.withLockedValue { entries in
                    entries[query, default: Entry()].statement = statement
                    entries[query, default: Entry()].generation = self.completed.add(1, ordering: .acquiringAndReleasing).newValue
                    entries[query, default: Entry()].inFlight = nil
                }
                promise.succeed(statement)
                return statement
            } catch {
                self.entries.withLockedValue { $0[query]?.inFlight = nil }
                promise.fail(error)
                throw error
            }
        }
    }
}
