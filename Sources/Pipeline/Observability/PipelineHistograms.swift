import Metrics
import Synchronization

/// The histograms of the pipeline's metrics, recorded once per written batch: its size
/// (`userstream_batch_size`), how long the write took (`userstream_batch_duration_seconds`) and each user's
/// end-to-end latency from `fetched_at` to the stored row (`userstream_end_to_end_latency_seconds`). Until
/// ``enable(factory:)`` recording does nothing (tests and commands without metrics pay nothing).
public final class PipelineHistograms: Sendable {
    private struct Handles: Sendable {
        let batchSize: Recorder
        let batchDuration: Metrics.Timer
        let endToEnd: Metrics.Timer
    }

    private let handles = Mutex<Handles?>(nil)

    /// Histograms that record nothing yet.
    public init() {}

    /// Records from now on through `factory`.
    public func enable(factory: any MetricsFactory) {
        let made = Handles(
            batchSize: Recorder(label: Self.batchSize, factory: factory),
            batchDuration: Metrics.Timer(label: Self.batchDuration, factory: factory),
            endToEnd: Metrics.Timer(label: Self.endToEnd, factory: factory))
        handles.withLock { $0 = made }
    }

    /// One written batch of `records` (rows and dead letters) that took `duration`; `fetchedAts` are its rows'
    /// `fetched_at` (UTC ms) and `now` the time they became durable.
    public func recordWrite(records: Int, duration: Duration, now: Int64, fetchedAts: [Int64]) {
        guard let handles = handles.withLock({ $0 }) else { return }
        handles.batchSize.record(records)
        handles.batchDuration.record(duration: duration)
        for start in fetchedAts {
            handles.endToEnd.recordMilliseconds(max(0, now - start))
        }
    }

    static let batchSize = "userstream_batch_size"
    static let batchDuration = "userstream_batch_duration_seconds"
    static let endToEnd = "userstream_end_to_end_latency_seconds"
}
