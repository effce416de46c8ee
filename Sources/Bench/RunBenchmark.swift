import Pipeline
import Foundation

/// `userstream run` end to end (embedded broker, synthetic source, processor, SQLite) in a child process:
/// users per second from its summary, peak resident memory from `wait4`.
public struct RunBenchmark: Sendable {
    /// What the child runs.
    public struct Configuration: Sendable {
        /// Users to handle. Default: 1,000,000.
        public var count = 1_000_000
        /// Fraction of bad records. Default: 0.02.
        public var badFraction = 0.02
        /// Extra arguments for `run` (e.g. `--batch-size 10000`). Default: none.
        public var extraArguments: [String] = []

        /// The defaults above.
        public init() {}
    }

    /// The figures of `run`'s summary.
    public struct Summary: Sendable, Hashable {
        /// `wall time` in seconds (from the command's start, broker start-up included).
        public var wallSeconds: Double
        /// Users handled (stored or rejected) and committed.
        public var handled: Int
        /// Rows written.
        public var stored: Int
        /// Dead letters.
        public var rejected: Int
        /// Rows in the store at the end, when printed.
        public var rowsInStore: Int?
        /// Records lost by the broker, when any.
        public var lost: Int
        /// The summary's latency p50 and p99 in milliseconds, when printed.
        public var latencyP50: Int?
        /// See ``latencyP50``.
        public var latencyP99: Int?
        /// Users per second from the first batch to the last commit (without start-up and group join), when
        /// the summary prints it.
        public var sustainedUsersPerSecond: Double?
        /// The processor's time per stage (`poll …, transform …, write …, commit …`), when printed.
        public var stageTimes: String?
    }

    /// What the child did.
    public struct Result: Sendable, Hashable {
        /// Its summary.
        public var summary: Summary
        /// The child process.
        public var child: BenchChildProcess.Outcome

        /// Users handled per CPU second of the child (all its threads: broker, clients, processor, SQLite).
        public var usersPerCPUSecond: Double {
            let cpu = child.userSeconds + child.systemSeconds
            return cpu > 0 ? Double(summary.handled) / cpu : 0
        }

        /// Users handled per second of the command's own wall time.
        public var usersPerSecond: Double {
            summary.wallSeconds > 0 ? Double(summary.handled) / summary.wallSeconds : 0
        }

        /// The sustained rate when the summary printed one, else the rate over the wall time.
        public var sustainedOrOverall: Double {
            summary.sustainedUsersPerSecond ?? usersPerSecond
        }
    }

    /// The configuration.
    public var configuration: Configuration

    /// Creates the benchmark.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Reads the figures of a `run` summary; nil when there is no `handled` line.
    public static func parseSummary(_ text: String) -> Summary? {
        var summary = Summary(wallSeconds: 0, handled: -1, stored: 0, rejected: 0, rowsInStore: nil, lost: 0)
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count >= 2 else { continue }
            switch (words[0], words[1]) {
            case ("wall", "time"): summary.wallSeconds = words.count > 2 ? Double(words[2]) ?? 0 : 0
            case ("handled", _):
                summary.handled = Int(words[1]) ?? -1
                // handled  N  (W users/s over the wall time; S users/s from the first batch to the last commit)
                if let semicolon = line.firstIndex(of: ";") {
                    let rest = line[line.index(after: semicolon)...].split(separator: " ")
                    summary.sustainedUsersPerSecond = rest.first.flatMap { Double($0) }
                }
            case ("batches", _):
                if let range = line.range(of: "time in ") { summary.stageTimes = String(line[range.upperBound...]) }
            case ("stored", _): summary.stored = Int(words[1]) ?? 0
            case ("rejected", _): summary.rejected = Int(words[1]) ?? 0
            case ("LOST", _): summary.lost = Int(words[1]) ?? 0
            case ("rows", "in"): summary.rowsInStore = words.count > 3 ? Int(words[3]) : nil
            case ("latency", _):
                // latency        p50 3 ms, p99 12 ms  (...)
                if let p50 = words.firstIndex(of: "p50"), p50 + 1 < words.count { summary.latencyP50 = Int(words[p50 + 1]) }
                if let p99 = words.firstIndex(of: "p99"), p99 + 1 < words.count { summary.latencyP99 = Int(words[p99 + 1]) }
            default: break
            }
        }
        return summary.handled >= 0 ? summary : nil
    }

    /// Runs `executable run --count N --store sqlite:<folder>/users.sqlite` and reads its summary.
    public func run(executable: String, folder: String) throws -> Result {
        let storePath = folder + "/bench-run.sqlite"
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: storePath + suffix) }
        }
        let arguments =
            [
                "run", "--count", String(configuration.count), "--store", "sqlite:\(storePath)",
                "--source", "synthetic", "--bad-fraction", String(configuration.badFraction),
                "--progress-interval", "1h", "--log-level", "warning",
                // The HTTP face is on, as in any run, on a free port: a busy 8080 does not stop the benchmark.
                "--http", "127.0.0.1:0",
            ] + configuration.extraArguments
        // `run --count N` waits for N users to be handled; records the embedded broker dropped never are.
        let timeout = Duration.seconds(60 + configuration.count / 5_000)
        let child = try BenchChildProcess(executable: executable, arguments: arguments, timeout: timeout).run()
        if child.timedOut {
            throw TransformBenchmark.SummaryError(
                code: "child_timed_out", output: "stopped after \(timeout): " + child.standardError)
        }
        guard child.status == 0, let summary = Self.parseSummary(child.standardOutput) else {
            throw TransformBenchmark.SummaryError(
                code: child.status == 0 ? "summary_unreadable" : "child_failed",
                output: child.standardOutput + child.standardError)
        }
        return Result(summary: summary, child: child)
    }

    /// Runs `repeats` times and reports the figures with the issue's targets and anchors: those of the median run
    /// by sustained rate, the largest peak RSS, and the range of every run in a note.
    public func report(executable: String, folder: String, repeats: Int = 1) throws -> BenchReport {
        let load = BenchResources.loadAverage()
        var results: [Result] = []
        for _ in 0..<max(1, repeats) {
            results.append(try run(executable: executable, folder: folder))
        }
        results.sort { $0.sustainedOrOverall < $1.sustainedOrOverall }
        let result = results[results.count / 2]
        let peak = results.map(\.child.peakResidentBytes).max() ?? result.child.peakResidentBytes
        var figures = [
            BenchFigure(
                "throughput", result.usersPerSecond, unit: "users/s", target: BenchTargets.runUsersPerSecond,
                anchor: BenchTargets.sparkAnchor),
        ]
        if let sustained = result.summary.sustainedUsersPerSecond {
            figures.append(
                BenchFigure(
                    "throughput sustained (first batch → last commit)", sustained, unit: "users/s",
                    target: BenchTargets.runUsersPerSecond))
        }
        figures += [
            BenchFigure("throughput per CPU second", result.usersPerCPUSecond, unit: "users/s"),
            BenchFigure(
                "peak RSS", BenchFormat.mebibytes(peak), unit: "MiB",
                target: BenchTargets.runPeakMiB, direction: .lowerIsBetter, anchor: BenchTargets.sparkMemoryAnchor),
        ]
        if let p50 = result.summary.latencyP50, let p99 = result.summary.latencyP99 {
            figures.append(BenchFigure("latency p50 (flat out, default batching)", Double(p50), unit: "ms", direction: .lowerIsBetter))
            figures.append(BenchFigure("latency p99 (flat out, default batching)", Double(p99), unit: "ms", direction: .lowerIsBetter))
        }
        var notes: [String] = []
        if results.count > 1 {
            func range(_ values: [Double]) -> String {
                "\(BenchFormat.number(values.min() ?? 0))–\(BenchFormat.number(values.max() ?? 0))"
            }
            notes.append(
                "\(results.count) runs (figures of the median run by sustained rate; peak RSS the largest): sustained "
                    + range(results.map(\.sustainedOrOverall)) + " users/s, over the wall time "
                    + range(results.map(\.usersPerSecond)) + " users/s, per CPU second "
                    + range(results.map(\.usersPerCPUSecond)) + " users/s, peak RSS "
                    + range(results.map { BenchFormat.mebibytes($0.child.peakResidentBytes) }) + " MiB"
            )
        }
        let lost = results.map(\.summary.lost).reduce(0, +)
        if lost > 0 { notes.append("the broker dropped \(lost) records (see the run's log)") }
        return BenchReport(
            scenario: "run",
            figures: figures,
            setup: [
                "child: \(executable) run --count \(configuration.count) --store sqlite:<tmp> --source synthetic --bad-fraction \(configuration.badFraction)"
                    + (configuration.extraArguments.isEmpty ? "" : " " + configuration.extraArguments.joined(separator: " ")),
                "outcome: handled \(result.summary.handled), stored \(result.summary.stored), rejected \(result.summary.rejected)"
                    + (result.summary.rowsInStore.map { ", \($0) rows in store" } ?? "")
                    + "; \(String(format: "%.2f", result.summary.wallSeconds)) s (process \(String(format: "%.2f", result.child.wallSeconds)) s, CPU user \(String(format: "%.1f", result.child.userSeconds)) s + sys \(String(format: "%.1f", result.child.systemSeconds)) s); "
                    + "load average before \(String(format: "%.2f", load))"
                    + (BenchResources.cpuPressure().map { ", CPU pressure after \(String(format: "%.0f", $0))%" } ?? ""),
            ],
            notes: notes + (result.summary.stageTimes.map { ["processor time in \($0)"] } ?? [])
        )
    }
}
