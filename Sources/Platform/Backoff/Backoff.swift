/// Capped exponential backoff: the wait before retry `n` is `min(cap, base · multiplier^(n-1))`, optionally jittered.
///
/// A value type with no clock and no state: the caller counts attempts and sleeps. One policy for every retry in
/// the package (the HTTP source's retries, the CQL client's reconnects, store outages).
///
/// ```swift
/// let backoff = Backoff(base: .milliseconds(500), cap: .seconds(30), jitter: .full)
/// try await Task.sleep(for: backoff.delay(forAttempt: failures))
/// ```
public struct Backoff: Sendable, Hashable {
    /// How much of the exponential ceiling is randomised. A struct over a private enum, so new kinds don't break
    /// callers.
    public struct Jitter: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: Sendable, Hashable { case none, full, equal }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// No randomness: the delay is the ceiling (reconnects to one server, tests).
        public static let none = Jitter(.none)
        /// Uniform in `0..<ceiling`: spreads many clients the most (AWS's "full jitter").
        public static let full = Jitter(.full)
        /// Half the ceiling plus uniform in `0..<ceiling/2`: never shorter than half the ceiling.
        public static let equal = Jitter(.equal)

        /// `none`, `full` or `equal`.
        public var description: String {
            switch kind {
            case .none: "none"
            case .full: "full"
            case .equal: "equal"
            }
        }

        /// The delay for a ceiling and a uniform random fraction in `0..<1`.
        func apply(to ceiling: Duration, fraction: @autoclosure () -> Double) -> Duration {
            switch kind {
            case .none: ceiling
            case .full: ceiling * fraction()
            case .equal: ceiling / 2 + (ceiling / 2) * fraction()
            }
        }
    }

    /// The delay before the first retry (the ceiling after one failure).
    public var base: Duration
    /// The growth factor per failure; values below 1 (and NaN) count as 1. Default: 2.
    public var multiplier: Double
    /// The longest delay.
    public var cap: Duration
    /// How the ceiling is randomised. Default: ``Jitter/full``.
    public var jitter: Jitter

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - base: The delay before the first retry.
    ///   - multiplier: The growth factor per failure. Default: 2.
    ///   - cap: The longest delay.
    ///   - jitter: How the ceiling is randomised. Default: ``Jitter/full``.
    public init(base: Duration, multiplier: Double = 2, cap: Duration, jitter: Jitter = .full) {
        self.base = base
        self.multiplier = multiplier
        self.cap = cap
        self.jitter = jitter
    }

    /// The delay before the next try after `attempt` failures in a row, without jitter:
    /// `min(cap, base · multiplier^(attempt-1))`; `base` (capped) for an attempt below 1, zero when `base` or `cap`
    /// is not positive.
    ///
    /// - Parameter attempt: How many tries have failed in a row (1 after the first failure).
    public func ceiling(forAttempt attempt: Int) -> Duration {
        guard self.base > .zero, self.cap > .zero else { return .zero }
        guard self.base < self.cap else { return self.cap }
        // Powers by squaring, stopping once past the cap: a huge attempt costs a few steps and never overflows.
        let limit = self.cap / self.base
        var factor = 1.0
        var power = self.multiplier > 1 ? self.multiplier : 1
        var exponent = max(attempt, 1) - 1
        while exponent > 0 && factor < limit {
            if exponent & 1 == 1 { factor *= power }
            power *= power
            exponent >>= 1
        }
        return factor < limit ? self.base * factor : self.cap
    }

    /// The delay before the next try after `attempt` failures in a row: ``ceiling(forAttempt:)`` with ``jitter``,
    /// drawn from the system's random number generator.
    ///
    /// - Parameter attempt: How many tries have failed in a row (1 after the first failure).
    public func delay(forAttempt attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return self.delay(forAttempt: attempt, using: &generator)
    }

    /// The delay before the next try after `attempt` failures in a row, with ``jitter`` drawn from `generator`
    /// (a seeded or fixed generator makes it reproducible in tests).
    ///
    /// The fraction of the jittered span is the top 53 bits of one `generator.next()` over 2^53: a generator that
    /// returns 0 gives the shortest delay, `1 << 63` the middle, `UInt64.max` just under the longest.
    ///
    /// - Parameters:
    ///   - attempt: How many tries have failed in a row (1 after the first failure).
    ///   - generator: The source of randomness; not used with ``Jitter/none``.
    public func delay(forAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        self.jitter.apply(to: self.ceiling(forAttempt: attempt), fraction: Double(generator.next() >> 11) * 0x1p-53)
    }
}
