import Allocator
#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle
import Synchronization
import UsersContract

/// Prints the pipeline's progress (users fetched, produced, stored, rejected, rate) every few seconds to stderr,
/// and renders the final summary.
public final class ProgressReporter: Service {
    private let counters: PipelineCounters
    private let interval: Duration
    private let started: ContinuousClock.Instant
    private let write: @Sendable (String) -> Void
    private let parts: PipelineParts

    /// A reporter printing every `interval` (default 2 s) through `write` (default: stderr), for a process that
    /// runs `parts` (default: both): `ingest` alone shows what it fetched and produced and its produce rate,
    /// `process` alone what it consumed, stored and rejected.
    public init(
        counters: PipelineCounters,
        interval: Duration = .seconds(2),
        parts: PipelineParts = .all,
        write: @escaping @Sendable (String) -> Void = ProgressReporter.standardError
    ) {
        self.counters = counters
        self.interval = interval
        self.parts = parts
        self.started = .now
        self.write = write
    }

    /// Writes a line to stderr.
    @Sendable public static func standardError(_ line: String) {
        StandardError.write(line + "\n")
    }

    /// Writes each line as an info event of `logger`: with `--log-format json`, progress is JSON like every other
    /// line on stderr.
    public static func logging(to logger: Logger) -> @Sendable (String) -> Void {
        { line in logger.info("\(line)") }
    }

    public func run() async throws {
        var lastHandled = rateCount
        var lastTime = ContinuousClock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
            } catch {
                break
            }
            let now = ContinuousClock.now
            let handled = rateCount
            let rate = Double(handled - lastHandled) / (now - lastTime).seconds
            lastHandled = handled
            lastTime = now
            write(progressLine(rate: rate))
        }
    }

    /// What the rate counts: users produced when this process only ingests, else messages handled.
    public var rateCount: Int {
        parts.contains(.process) ? counters.handled.load(ordering: .relaxed) : counters.produced.load(ordering: .relaxed)
    }

    /// One progress line: totals and the current rate.
    public func progressLine(rate: Double) -> String {
        let elapsed = (ContinuousClock.now - started).seconds
        var line = "[\(format(elapsed, digits: 1))s]"
        if parts.contains(.ingest) {
            // A message can be read before its delivery report arrives: what was handled was produced.
            let produced = max(counters.produced.load(ordering: .relaxed), counters.handled.load(ordering: .relaxed))
            line += " fetched \(counters.fetched.load(ordering: .relaxed)) produced \(produced)"
        }
        if parts == .process { line += " consumed \(counters.handled.load(ordering: .relaxed))" }
        if parts.contains(.process) {
            line += " stored \(counters.stored.load(ordering: .relaxed)) rejected \(counters.rejected.load(ordering: .relaxed))"
        }
        return line + " | \(Int(rate.rounded())) users/s" + storeFigures() + Self.memoryFigures()
    }

    /// ` | STORE FAILING for 12s (7 retries), consumption paused` during a store outage, or nothing.
    func storeFigures() -> String {
        var text = ""
        if let stall = counters.produceStall {
            text += " | PRODUCE STALLED for \(DurationText.wholeSeconds(stall))"
                + " (\(counters.awaitingAcknowledgement) waiting for the brokers)"
        }
        guard let outage = counters.storeOutage else { return text }
        return text + " | STORE FAILING for \(DurationText.wholeSeconds(outage))"
            + " (\(counters.storeRetries.load(ordering: .relaxed)) retries), consumption paused"
    }

    /// ` | memory: N MiB in use, M MiB resident` from the allocator, or nothing when it gives no figures.
    static func memoryFigures() -> String {
        guard let statistics = Allocator.statistics() else { return "" }
        return " | memory: \(statistics.allocated >> 20) MiB in use, \(statistics.resident >> 20) MiB resident (allocator)"
    }

    /// The final summary: totals, wall time, mean rate, reject reasons and quality violations.
    public func summary(storeCount: Int? = nil) -> String {
        let elapsed = (ContinuousClock.now - started).seconds
        let handled = counters.handled.load(ordering: .relaxed)
        var lines = [
            "UserStream summary",
            "  wall time      \(format(elapsed, digits: 2)) s",
            "  fetched        \(counters.fetched.load(ordering: .relaxed))",
            "  produced       \(counters.produced.load(ordering: .relaxed))",
            "  handled        \(handled)  (\(Int((Double(handled) / max(elapsed, 0.001)).rounded())) users/s over the wall time"
                + (counters.sustainedRate.map { "; \(Int($0.rounded())) users/s from the first batch to the last commit)" } ?? ")"),
            "  stored         \(counters.stored.load(ordering: .relaxed))",
            "  rejected       \(counters.rejected.load(ordering: .relaxed))",
            "  in-batch repeats \(counters.duplicates.load(ordering: .relaxed))  (a user twice in one batch: only the newest "
                + "written; a user sent again later is an upsert of its row, so rows in store counts users)",
        ]
        let retries = counters.storeRetries.load(ordering: .relaxed)
        if retries > 0 { lines.append("  store retries  \(retries)  (writes tried again after a transient store failure)") }
        let lost = counters.lost.load(ordering: .relaxed)
        if lost > 0 { lines.append("  LOST           \(lost)  (see the error log for the ranges)") }
        if let storeCount { lines.append("  rows in store  \(storeCount)") }
        if counters.batches.load(ordering: .relaxed) > 0 {
            let writes = counters.writes.load(ordering: .relaxed)
            lines.append(
                "  batches        \(counters.batches.load(ordering: .relaxed)) polled, \(writes) store writes "
                    + "(\(counters.stored.load(ordering: .relaxed) / max(1, writes)) rows each); "
                    + "time in \(counters.stageNanoseconds.breakdown)"
            )
        }
        let latency = counters.endToEndLatency
        if let p50 = latency.percentile(0.5), let p99 = latency.percentile(0.99) {
            lines.append(
                "  latency        p50 \(Self.milliseconds(p50, cap: latency.limit)), "
                    + "p99 \(Self.milliseconds(p99, cap: latency.limit))  (fetched_at → row durable in the store)")
        }
        let stats = counters.transformStats
        for (reason, count) in stats.rejectsByReason.sorted(by: { $0.key.code < $1.key.code }) {
            lines.append("  reject \(reason.code): \(count)")
        }
        for (violation, count) in stats.violationsByCode.sorted(by: { $0.key.code < $1.key.code }) {
            lines.append("  violation \(violation.code): \(count)")
        }
        return lines.joined(separator: "\n")
    }

    /// `12 ms`, or `≥ 60 s` at the histogram's cap (the value is at least that, not that).
    public static func milliseconds(_ value: Int, cap: Int) -> String {
        value >= cap ? "≥ \(cap / 1000) s" : "\(value) ms"
    }

    private func format(_ value: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        return "\(rounded)"
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
