import Synchronization

/// A client-side limit on users requested per time window, shared by everything that calls one address.
///
/// The RandomUser API allows 20,000 users per 5 minutes per address and answers 429 above that; the default
/// budget (19,000 per 300 s) stays under it. Callers ``acquire(_:)`` before each request and are suspended until the
/// request fits. Waiting is done with the injected ``SourceClock``.
public final class UserRateLimiter: Sendable {
    /// The limiter's settings.
    public struct Configuration: Sendable {
        /// Users allowed in any window. Default: 19,000.
        public var users: Int = 19_000
        /// The window length. Default: 300 s.
        public var window: Duration = .seconds(300)

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - users: Users allowed in any window. Default: 19,000.
        ///   - window: The window length. Default: 300 s.
        public init(users: Int = 19_000, window: Duration = .seconds(300)) {
            self.users = users
            self.window = window
        }
    }

    /// The settings the limiter was made with.
    public let configuration: Configuration
    private let clock: SourceClock
    private let state: Mutex<SlidingWindowBudget>

    /// Creates a limiter.
    ///
    /// - Parameters:
    ///   - configuration: Budget and window.
    ///   - clock: The clock used to read the time and to wait. Default: ``SourceClock/system``.
    public init(configuration: Configuration = Configuration(), clock: SourceClock = .system) {
        self.configuration = configuration
        self.clock = clock
        self.state = Mutex(SlidingWindowBudget(budget: configuration.users, window: configuration.window))
    }

    /// Reserves `count` users, waiting until they fit the budget.
    ///
    /// - Parameter count: Users about to be requested.
    /// - Returns: How long the caller was made to wait.
    /// - Throws: `CancellationError` if the task is cancelled while waiting (the reservation stays counted).
    @discardableResult
    public func acquire(_ count: Int) async throws -> Duration {
        let now = self.clock.now()
        let at = self.state.withLock { $0.reserve(count, now: now) }
        let wait = at - now
        if wait > .zero { try await self.clock.sleep(wait) }
        return wait
    }
}
