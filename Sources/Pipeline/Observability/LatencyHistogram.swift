import Synchronization

/// Millisecond latencies with exact counts per millisecond up to ``limit`` (larger values land in the last bucket),
/// for percentiles of the end-to-end latency (from `fetched_at` to the committed row). Recorded once per batch.
public final class LatencyHistogram: Sendable {
    /// Values at or above this many milliseconds are counted together.
    public let limit: Int
    private let state: Mutex<[Int]>

    /// An empty histogram. - Parameter limit: the highest exact value in milliseconds. Default: 60,000.
    public init(limit: Int = 60_000) {
        self.limit = limit
        self.state = Mutex(Array(repeating: 0, count: limit + 1))
    }

    /// Adds the latencies `now - start` for every start in `starts`.
    public func record(now: Int64, starts: some Sequence<Int64>) {
        state.withLock { buckets in
            for start in starts {
                let value = max(0, min(Int64(limit), now - start))
                buckets[Int(value)] += 1
            }
        }
    }

    /// How many values were recorded.
    public var count: Int { state.withLock { $0.reduce(0, +) } }

    /// The value below which `fraction` (0...1) of the recorded values lie, in milliseconds; nil when empty.
    public func percentile(_ fraction: Double) -> Int? {
        state.withLock { buckets in Self.percentile(fraction, of: buckets) }
    }

    /// The counts per millisecond, for percentiles of an interval (the difference of two snapshots).
    public func snapshot() -> [Int] {
        state.withLock { $0 }
    }

    /// The value below which `fraction` of the values counted in `buckets` lie; nil when there are none.
    public static func percentile(_ fraction: Double, of buckets: [Int]) -> Int? {
        let total = buckets.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = max(1, Int((fraction * Double(total)).rounded(.up)))
        var seen = 0
        for (value, count) in buckets.enumerated() {
            seen += count
            if seen >= rank { return value }
        }
        return buckets.count - 1
    }

    /// Forgets every value (for example after a warm-up).
    public func reset() {
        state.withLock { buckets in
            for index in buckets.indices { buckets[index] = 0 }
        }
    }
}
