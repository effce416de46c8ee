import Foundation

/// The wall clock a ``Scheduler`` reads and waits on; tests inject a virtual one.
public protocol SchedulerClock: Sendable {
    /// The current instant.
    var now: Date { get }
    /// Returns at `deadline` (at once when it has passed); throws `CancellationError` when the task is cancelled.
    func sleep(until deadline: Date) async throws
}

/// The system's wall clock. A long wait is taken in steps of at most a minute, each re-reading the wall clock, so a
/// clock set forward or back (NTP, a suspended machine) moves the wake-up with it.
public struct SystemSchedulerClock: SchedulerClock {
    /// The system clock.
    public init() {}

    public var now: Date { Date() }

    public func sleep(until deadline: Date) async throws {
        while true {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return }
            try await Task.sleep(for: .milliseconds(Int64(min(left, 60) * 1000) + 1))
        }
    }
}
