/// Thrown by ``withDeadline(_:_:)`` when the body did not finish in time.
public struct DeadlinePassed: Error, CustomStringConvertible {
    public var limit: Duration
    public var description: String { "did not finish within \(limit)" }
}

/// Runs `body`, failing with ``DeadlinePassed`` (and cancelling it) when it takes longer than `limit`: the wait of
/// the tests on something ending, so that a hang fails the test instead of stopping the whole run.
public func withDeadline<T: Sendable>(
    _ limit: Duration,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw DeadlinePassed(limit: limit)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw DeadlinePassed(limit: limit) }
        return first
    }
}
