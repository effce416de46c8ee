import Testing

@testable import RandomUser

@Suite("Client-side rate limit")
struct RateLimiterTests {
    @Test("requests within the budget go at once; the next waits until enough of the window has passed")
    func budgetMath() {
        var budget = SlidingWindowBudget(budget: 19_000, window: .seconds(300))
        #expect(budget.reserve(5000, now: .seconds(0)) == .seconds(0))
        #expect(budget.reserve(5000, now: .seconds(10)) == .seconds(10))
        #expect(budget.reserve(5000, now: .seconds(20)) == .seconds(20))
        // 15,000 used; 5,000 more would make 20,000 > 19,000: wait until the first grant leaves the window.
        #expect(budget.reserve(5000, now: .seconds(30)) == .seconds(300))
        // 20,000 now counted (one grant in the future); 4,000 more needs the grant at 0 s gone: 300 s again.
        #expect(budget.reserve(4000, now: .seconds(40)) == .seconds(300))
        // Now 24,000 counted; 1,000 more needs the grants at 0 s and 10 s gone: 310 s.
        #expect(budget.reserve(1000, now: .seconds(50)) == .seconds(310))
        #expect(budget.usersInWindow == 25_000)
    }

    @Test("no window of the configured length ever holds more than the budget")
    func slidingInvariant() {
        var budget = SlidingWindowBudget(budget: 1000, window: .seconds(60))
        var grants: [(Duration, Int)] = []
        var now = Duration.zero
        var rng = SplitMix64(state: 42)
        for _ in 0..<500 {
            now += .milliseconds(Int64(rng.below(5000)))
            let count = 1 + rng.below(400)
            let at = budget.reserve(count, now: now)
            #expect(at >= now)
            grants.append((at, count))
        }
        for (start, _) in grants {
            let inWindow = grants.filter { $0.0 >= start && $0.0 < start + .seconds(60) }.reduce(0) { $0 + $1.1 }
            #expect(inWindow <= 1000)
        }
    }

    @Test("a count above the budget waits for an empty window instead of forever")
    func oversized() {
        var budget = SlidingWindowBudget(budget: 100, window: .seconds(10))
        #expect(budget.reserve(50, now: .seconds(0)) == .seconds(0))
        #expect(budget.reserve(500, now: .seconds(1)) == .seconds(10))
    }

    @Test("the limiter sleeps on the injected clock for the computed wait")
    func limiterSleeps() async throws {
        let clock = TestClock()
        let limiter = UserRateLimiter(
            configuration: .init(users: 10_000, window: .seconds(300)), clock: clock.sourceClock)
        #expect(try await limiter.acquire(6000) == .zero)
        clock.advance(by: .seconds(100))
        let waited = try await limiter.acquire(6000)
        #expect(waited == .seconds(200))
        #expect(clock.sleeps == [.seconds(200)])
    }
}
