import Foundation

/// The time a source sees: a monotonic "now", the wall clock and a way to sleep.
///
/// Sources take one so that tests can run backoff and rate-limit waits without sleeping for real
/// (inject a clock whose `sleep` records the duration and returns at once).
public struct SourceClock: Sendable {
    /// Monotonic time since an arbitrary fixed origin.
    public var now: @Sendable () -> Duration
    /// Wall-clock time in milliseconds since the Unix epoch (UTC): used for `fetched_at` and `Retry-After` dates.
    public var wallMilliseconds: @Sendable () -> Int64
    /// Suspends for the given duration; throws `CancellationError` when the task is cancelled.
    public var sleep: @Sendable (Duration) async throws -> Void

    /// Creates a clock from its three functions.
    ///
    /// - Parameters:
    ///   - now: Monotonic time since a fixed origin.
    ///   - wallMilliseconds: Wall-clock UTC milliseconds.
    ///   - sleep: Suspends for a duration.
    public init(
        now: @escaping @Sendable () -> Duration,
        wallMilliseconds: @escaping @Sendable () -> Int64,
        sleep: @escaping @Sendable (Duration) async throws -> Void
    ) {
        self.now = now
        self.wallMilliseconds = wallMilliseconds
        self.sleep = sleep
    }

    /// The real clock: `ContinuousClock`, the system's wall clock and `Task.sleep`.
    public static var system: SourceClock {
        SourceClock(
            now: { ContinuousClock.now - systemClockOrigin },
            wallMilliseconds: { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) },
            sleep: { duration in
                if duration > .zero { try await Task.sleep(for: duration) }
            }
        )
    }
}

private let systemClockOrigin = ContinuousClock.now

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (s, attoseconds) = self.components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
