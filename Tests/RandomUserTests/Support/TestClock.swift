import RandomUser
import Synchronization

/// A clock for tests: time only moves when something sleeps on it (or the test advances it), and every sleep is
/// recorded, so backoff and rate-limit waits are asserted without waiting for real.
final class TestClock: Sendable {
    private struct State {
        var now: Duration = .zero
        var wall: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z
        var sleeps: [Duration] = []
    }

    private let state = Mutex(State())

    /// Every duration slept, in order.
    var sleeps: [Duration] { self.state.withLock { $0.sleeps } }

    /// The monotonic now.
    var now: Duration { self.state.withLock { $0.now } }

    /// Moves time forward without a sleep.
    func advance(by duration: Duration) {
        self.state.withLock {
            $0.now += duration
            $0.wall += Int64(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        }
    }

    /// The clock to inject.
    var sourceClock: SourceClock {
        SourceClock(
            now: { self.state.withLock { $0.now } },
            wallMilliseconds: { self.state.withLock { $0.wall } },
            sleep: { duration in
                try Task.checkCancellation()
                self.state.withLock { $0.sleeps.append(duration) }
                self.advance(by: duration)
            }
        )
    }
}
