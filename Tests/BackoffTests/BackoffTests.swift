import Backoff
import Testing

/// Returns the same 64 bits every time: 0 draws the shortest delay, `1 << 63` the middle of the span.
struct FixedGenerator: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

@Suite("Backoff: capped exponential delays with jitter")
struct BackoffTests {
    @Test("the ceiling doubles from the base and stops at the cap")
    func doubling() {
        let backoff = Backoff(base: .milliseconds(100), cap: .seconds(1), jitter: .none)
        #expect(
            (1...6).map { backoff.ceiling(forAttempt: $0) } == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1),
                .seconds(1),
            ])
        #expect((1...6).map { backoff.delay(forAttempt: $0) } == (1...6).map { backoff.ceiling(forAttempt: $0) })
    }

    @Test("another multiplier grows by that factor")
    func multiplier() {
        let backoff = Backoff(base: .seconds(1), multiplier: 3, cap: .seconds(60), jitter: .none)
        #expect(
            (1...5).map { backoff.ceiling(forAttempt: $0) }
                == [.seconds(1), .seconds(3), .seconds(9), .seconds(27), .seconds(60)])
        let flat = Backoff(base: .seconds(2), multiplier: 0.5, cap: .seconds(60), jitter: .none)
        #expect(flat.ceiling(forAttempt: 10) == .seconds(2))
        let notANumber = Backoff(base: .seconds(2), multiplier: .nan, cap: .seconds(60), jitter: .none)
        #expect(notANumber.ceiling(forAttempt: 10) == .seconds(2))
    }

    @Test(
        "edge attempts and settings never overflow",
        arguments: [0, -5, 1, 63, 64, 1000, Int.max]
    )
    func edges(attempt: Int) {
        let backoff = Backoff(base: .milliseconds(1), multiplier: 1e300, cap: .seconds(30))
        let ceiling = backoff.ceiling(forAttempt: attempt)
        #expect(ceiling == (attempt <= 1 ? .milliseconds(1) : .seconds(30)))
        #expect(Backoff(base: .zero, cap: .seconds(1)).ceiling(forAttempt: attempt) == .zero)
        #expect(Backoff(base: .seconds(5), cap: .seconds(1)).ceiling(forAttempt: attempt) == .seconds(1))
        #expect(Backoff(base: .seconds(5), cap: .zero).ceiling(forAttempt: attempt) == .zero)
    }

    @Test("full jitter spans zero to the ceiling")
    func fullJitter() {
        let backoff = Backoff(base: .milliseconds(500), cap: .seconds(30), jitter: .full)
        var low = FixedGenerator(value: 0)
        var middle = FixedGenerator(value: 1 << 63)
        var high = FixedGenerator(value: .max)
        #expect(backoff.delay(forAttempt: 3, using: &low) == .zero)
        #expect(backoff.delay(forAttempt: 3, using: &middle) == .seconds(1))
        let top = backoff.delay(forAttempt: 3, using: &high)
        #expect(top < .seconds(2) && top > .milliseconds(1999))
        for attempt in 1...20 {
            let delay = backoff.delay(forAttempt: attempt)
            #expect(delay >= .zero && delay <= backoff.ceiling(forAttempt: attempt))
        }
    }

    @Test("equal jitter spans half the ceiling to the ceiling")
    func equalJitter() {
        let backoff = Backoff(base: .seconds(1), cap: .seconds(30), jitter: .equal)
        var low = FixedGenerator(value: 0)
        var middle = FixedGenerator(value: 1 << 63)
        #expect(backoff.delay(forAttempt: 4, using: &low) == .seconds(4))
        #expect(backoff.delay(forAttempt: 4, using: &middle) == .seconds(6))
        for attempt in 1...20 {
            let delay = backoff.delay(forAttempt: attempt)
            let ceiling = backoff.ceiling(forAttempt: attempt)
            #expect(delay >= ceiling / 2 && delay <= ceiling)
        }
    }

    @Test("full jitter draws spread over the whole range")
    func spread() {
        let backoff = Backoff(base: .seconds(10), cap: .seconds(10), jitter: .full)
        var generator = SystemRandomNumberGenerator()
        let draws = (0..<2000).map { _ in backoff.delay(forAttempt: 1, using: &generator) }
        #expect(draws.contains { $0 < .seconds(1) })
        #expect(draws.contains { $0 > .seconds(9) })
        #expect(Set(draws).count > 1900)
    }
}
