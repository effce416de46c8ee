import Metrics
import Synchronization

/// The batch histograms of the pipeline's metrics, recorded once per written batch: its size
/// (`userstream_batch_size`) and how long the write took (`userstream_batch_duration_seconds`). Until
/// ``enable(factory:)`` recording does nothing (tests and commands without metrics pay nothing). The end-to-end
/// latency histogram is not recorded here, per user: ``PipelineMetrics`` derives it at each scrape from
/// ``PipelineCounters/endToEndLatency``, which the writer records anyway.
public final class PipelineHistograms: Sendable {
    private struct Handles: Sendable {
        let batchSize: Recorder
        let batchDuration: Metrics.Timer
    }

    private let handles = Mutex<Handles?>(nil)

    /// Histograms that record nothing yet.
    public init() {}

    /// Records from now on through `factory`.
    public func enable(factory: any MetricsFactory) {
        let made = Handles(
            batchSize: Recorder(label: Self.batchSize, factory: factory),
            batchDuration: Metrics.Timer(label: Self.batchDuration, factory: factory))
        handles.withLock { $0 = made }
    }

    /// One written batch of `records` (rows and dead letters) that took `duration`.
    public func recordWrite(records: Int, duration: Duration) {
        guard let handles = handles.withLock({ $0 }) else { return }
        handles.batchSize.record(records)
        handles.batchDuration.record(duration: duration)
    }

    static let batchSize = "userstream_batch_size"
    static let batchDuration = "userstream_batch_duration_seconds"
}
