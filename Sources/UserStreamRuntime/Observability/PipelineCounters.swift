import NIOConcurrencyHelpers
import Synchronization
import UsersPipeline

/// The pipeline's running totals, shared by the ingester, the processor and the progress reporter.
///
/// Plain counters are atomics (read by the reporter while the workers write them); the per-reason
/// breakdowns sit behind one lock and are updated once per batch, not per record.
public final class PipelineCounters: Sendable {
    /// Users received from the source.
    public let fetched = Atomic<Int>(0)
    /// Messages acknowledged by the broker on `random_users`.
    public let produced = Atomic<Int>(0)
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
    /// Batches committed.
    public let batches = Atomic<Int>(0)

    /// Milliseconds from a record's `fetched_at` to the commit of its row.
    public let endToEndLatency = LatencyHistogram()

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
