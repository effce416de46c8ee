import NIOConcurrencyHelpers
import Synchronization
import UsersContract

/// The pipeline's running totals, shared by the ingester, the processor and the progress reporter.
///
/// Plain counters are atomics (read by the reporter while the workers write them); the per-reason
/// breakdowns sit behind one lock and are updated once per batch, not per record.
public final class PipelineCounters: Sendable {
    /// Users received from the source.
    public let fetched = Atomic<Int>(0)
    /// Messages handed to the producer (acknowledged or still in flight): what flow control counts.
    public let sent = Atomic<Int>(0)
    /// Messages acknowledged by the broker on `random_users`.
    public let produced = Atomic<Int>(0)
    /// Input messages the processor has taken out of its consumer (read, not yet necessarily written or committed),
    /// less those it gave back because their partitions were revoked before the commit (they are read again).
    public let polled = Atomic<Int>(0)
    /// Input messages handled (stored or rejected) and committed by the processor.
    public let handled = Atomic<Int>(0)
    /// Rows written to the store (after de-duplication within a batch).
    public let stored = Atomic<Int>(0)
    /// Records sent to the dead-letter topic.
    public let rejected = Atomic<Int>(0)
    /// Records dropped as older duplicates within a batch.
    public let duplicates = Atomic<Int>(0)
    /// Offsets lost in gaps the consumer detected (data the broker dropped before it was read).
    public let lost = Atomic<Int>(0)
    /// Polled batches committed.
    public let batches = Atomic<Int>(0)
    /// Store writes (transactions) committed; several polled batches may share one.
    public let writes = Atomic<Int>(0)
    /// When the first batch was polled, and when the last one was committed (``WallClock/monotonicNanoseconds()``;
    /// 0 before): the span over which the processor's sustained rate is measured.
    public let firstBatchNanos = Atomic<Int>(0)
    public let lastCommitNanos = Atomic<Int>(0)
    /// Rebalances that took partitions from this processor (the group moved them, or the member was dropped).
    public let revocations = Atomic<Int>(0)
    /// Store writes tried again after a transient failure (an outage, a busy or full store).
    public let storeRetries = Atomic<Int>(0)
    /// Since when (``WallClock/monotonicNanoseconds()``) the store has been failing, or 0 while it works: the
    /// processor's consumption is paused meanwhile.
    public let storeOutageSince = Atomic<Int>(0)

    /// How long the current store outage has lasted, or nil when there is none.
    public var storeOutage: Duration? {
        let since = storeOutageSince.load(ordering: .relaxed)
        guard since > 0 else { return nil }
        return .nanoseconds(max(0, WallClock.monotonicNanoseconds() - since))
    }

    /// Input messages handled per second between the first batch and the last commit, or nil before one.
    public var sustainedRate: Double? {
        let first = firstBatchNanos.load(ordering: .relaxed)
        let last = lastCommitNanos.load(ordering: .relaxed)
        guard first > 0, last > first else { return nil }
        return Double(handled.load(ordering: .relaxed)) * 1e9 / Double(last - first)
    }

    /// Nanoseconds the processor spent in each stage of its batches, for the summary's breakdown.
    public let stageNanoseconds = StageTimes()

    /// Milliseconds from a record's `fetched_at` to its row being durable in the store.
    public let endToEndLatency = LatencyHistogram()

    /// Milliseconds from a record's `fetched_at` to the poll that handed it to the processor: the part of
    /// ``endToEndLatency`` spent in the ingester, the producer and Kafka.
    public let consumeLatency = LatencyHistogram()

    /// Since when (``WallClock/monotonicNanoseconds()``) the brokers have acknowledged nothing while messages wait,
    /// or 0 (``ProduceWatch``).
    public let produceStalledSince = Atomic<Int>(0)

    /// How long the brokers have acknowledged nothing while messages wait, or nil.
    public var produceStall: Duration? {
        let since = produceStalledSince.load(ordering: .relaxed)
        guard since > 0 else { return nil }
        return .nanoseconds(max(0, WallClock.monotonicNanoseconds() - since))
    }

    /// Messages handed to the producer and neither acknowledged nor failed yet.
    public var awaitingAcknowledgement: Int {
        max(0, sent.load(ordering: .relaxed) - produced.load(ordering: .relaxed) - produceErrors.load(ordering: .relaxed))
    }

    /// Store writes that failed (each retry of an outage counts, and a failure for good).
    public let storeWriteErrors = Atomic<Int>(0)
    /// Messages the broker did not acknowledge (a delivery report with an error, or none before the timeout).
    public let produceErrors = Atomic<Int>(0)

    /// The users this process stored: counts by country and gender, and the latest ones (the HTTP face's figures).
    public let storedUsers = StoredUsersTally()

    /// The histograms of the metrics (batch size and duration, end-to-end latency); recording does nothing until
    /// the metrics are on.
    public let histograms = PipelineHistograms()

    private let breakdown = NIOLockedValueBox(TransformStats())

    /// A fresh set of zeros.
    public init() {}

    /// Adds one batch's transform statistics (reject reasons, quality violations).
    public func record(_ stats: TransformStats) {
        breakdown.withLockedValue { $0.merge(stats) }
    }

    /// The transform statistics so far.
    public var transformStats: TransformStats {
        breakdown.withLockedValue { $0 }
    }
}

/// Cumulative time per processor stage (poll, transform, write, commit), in nanoseconds. Updated once per stage
/// per batch, behind one lock.
public final class StageTimes: Sendable {
    /// A stage of the processor's batch.
    public enum Stage: Int, CaseIterable, Sendable {
        /// Waiting for and reading records from Kafka.
        case poll
        /// Applying the contract (parse, rules, de-duplication, dead-letter encoding).
        case transform
        /// Writing rows to the store and dead letters to Kafka.
        case write
        /// Committing offsets.
        case commit
    }

    private let nanoseconds = NIOLockedValueBox([Int](repeating: 0, count: Stage.allCases.count))

    /// Zeros.
    public init() {}

    /// Adds the time since `start` to `stage`; returns now, the next stage's start.
    @discardableResult
    public func add(_ stage: Stage, since start: ContinuousClock.Instant) -> ContinuousClock.Instant {
        let now = ContinuousClock.now
        let (seconds, attoseconds) = (now - start).components
        let elapsed = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        nanoseconds.withLockedValue { $0[stage.rawValue] += elapsed }
        return now
    }

    /// The total time of `stage` so far, in nanoseconds.
    public func total(_ stage: Stage) -> Int {
        nanoseconds.withLockedValue { $0[stage.rawValue] }
    }

    /// `poll 2.1 s (12%), transform 5.3 s (30%), …`: each stage's total time and its share of the processor's time.
    public var breakdown: String {
        let values = nanoseconds.withLockedValue { $0 }
        let total = Double(max(1, values.reduce(0, +)))
        return Stage.allCases.map { stage -> String in
            let percent = Int((Double(values[stage.rawValue]) * 100 / total).rounded())
            let seconds = (Double(values[stage.rawValue]) / 1e9 * 10).rounded() / 10
            return "\(stage) \(seconds) s (\(percent)%)"
        }.joined(separator: ", ")
    }
}
