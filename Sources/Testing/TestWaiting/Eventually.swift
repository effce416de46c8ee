/// Waits for `condition`, checking it every `interval`, until it holds or `timeout` passes: the one wait of the
/// tests on something happening, so that a slow machine cannot fail them and a fast one does not wait for nothing.
/// - Parameters:
///   - timeout: the longest wait. Default: 30 s.
///   - interval: how often the condition is checked. Default: 10 ms.
///   - condition: what to wait for.
/// - Returns: whether the condition held in time (it is checked once more at the deadline).
public func eventually(
    within timeout: Duration = .seconds(30),
    checkingEvery interval: Duration = .milliseconds(10),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: interval)
    }
}
