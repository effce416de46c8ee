/// Whether one host is up or down, as a pure state machine: each event returns what the client does about it
/// (one log line per change, starting the background reconnection). The client keeps one per host behind its lock.
///
/// A host is down from a failed connect while it has no open connection until a connect succeeds; requests skip it
/// meanwhile, and one reconnection loop per outage (identified by a number) tries it again with the backoff.
struct CQLHostState {
    enum Health {
        /// Connected, or not tried yet.
        case up
        /// The last connect failed at a time the host had no open connection; `reconnector` is the loop that tries
        /// again.
        case down(since: ContinuousClock.Instant, reconnector: UInt64)
    }

    enum ConnectFailedAction: Equatable {
        /// The host went down: log one warning and start reconnection loop `reconnector`.
        case wentDown(reconnector: UInt64)
        /// It was down already: the running loop goes on (no warning).
        case stillDown
        /// Another connection to the host is still open: the host stays up.
        case stayedUp
    }

    enum ConnectedAction: Equatable {
        /// The host came back after being down this long: log one info line.
        case cameUp(downFor: Duration)
        /// It was up already.
        case none
    }

    private var health: Health = .up
    /// Failed connects in a row (the backoff's attempt number).
    private(set) var failures = 0
    /// The error of the last failed connect; nil once a connect succeeds.
    private(set) var lastError: (any Error)?

    /// Whether requests skip the host.
    var isDown: Bool { self.reconnector != nil }

    /// The number of the reconnection loop of the current outage; nil while up.
    var reconnector: UInt64? {
        switch self.health {
        case .up: nil
        case .down(_, let reconnector): reconnector
        }
    }

    /// Whether loop `reconnector` is the one that should keep trying (the outage it was started for goes on).
    func isReconnecting(_ reconnector: UInt64) -> Bool { self.reconnector == reconnector }

    /// A connect failed with `error`.
    /// - Parameters:
    ///   - stillConnected: Whether another connection to the host is open (a pool growing past one).
    ///   - reconnector: The number the reconnection loop gets if the host goes down now.
    mutating func connectFailed(
        _ error: any Error,
        at now: ContinuousClock.Instant,
        stillConnected: Bool,
        reconnector: UInt64
    ) -> ConnectFailedAction {
        self.failures += 1
        self.lastError = error
        switch self.health {
        case .up:
            if stillConnected { return .stayedUp }
            self.health = .down(since: now, reconnector: reconnector)
            return .wentDown(reconnector: reconnector)
        case .down:
            return .stillDown
        }
    }

    /// A connect succeeded.
    mutating func connected(at now: ContinuousClock.Instant) -> ConnectedAction {
        self.failures = 0
        self.lastError = nil
        switch self.health {
        case .up:
            return .none
        case .down(let since, _):
            self.health = .up
            return .cameUp(downFor: now - since)
        }
    }

    /// The cluster reported the host `UP` (a status event): the next attempt waits only the base delay.
    /// - Returns: whether the host is down, so that it is worth trying at once.
    mutating func reportedUp() -> Bool {
        guard self.isDown else { return false }
        self.failures = min(self.failures, 1)
        return true
    }
}
