import Pipeline
import Foundation
import RandomUser

/// `userstream transform` over a generated JSONL file, in a child process, so that its peak resident memory is
/// its own: the input is written to a temporary file first, then the child transforms it (rows and rejects to
/// `/dev/null` by default: the Spark anchor used a no-op sink).
public struct TransformBenchmark: Sendable {
    /// What to generate and how to run the child.
    public struct Configuration: Sendable {
        /// Users (lines) in the input. Default: 1,000,000.
        public var count = 1_000_000
        /// The generator's seed. Default: `bench`.
        public var seed = "bench"
        /// Fraction of bad records. Default: 0.02.
        public var badFraction = 0.02
        /// Worker threads of the child (`--threads`); nil lets it use every core. Default: nil.
        public var threads: Int?
        /// Where rows go. Default: `/dev/null`.
        public var outputPath = "/dev/null"
        /// Where rejects go. Default: `/dev/null`.
        public var rejectsPath = "/dev/null"
        /// Keep the generated input file after the run (for profiling the same input). Default: false.
        public var keepInput = false

        /// The defaults above.
        public init() {}
    }

    /// What the child reported and how it ran.
    public struct Result: Sendable, Hashable {
        /// Records the child transformed (from its summary).
        public var records: Int
        /// Rows it wrote (from its summary).
        public var rows: Int
        /// Dead letters it wrote (from its summary).
        public var rejects: Int
        /// Bytes of the input file.
        public var inputBytes: Int
        /// Seconds of the job as the child measured it (reading to last write).
        public var jobSeconds: Double
        /// The child process: wall time with start-up, peak memory, CPU.
        public var child: BenchChildProcess.Outcome

        /// Records per second of the job.
        public var usersPerSecond: Double { jobSeconds > 0 ? Double(records) / jobSeconds : 0 }
        /// Records per second including process start-up and exit.
        public var usersPerSecondWithStartUp: Double {
            child.wallSeconds > 0 ? Double(records) / child.wallSeconds : 0
        }
        /// Records per CPU second of the child (user + system): what the code costs, whatever else the machine
        /// is doing. On `n` idle cores the wall-clock rate is at most `n` times this.
        public var usersPerCPUSecond: Double {
            let cpu = child.userSeconds + child.systemSeconds
            return cpu > 0 ? Double(records) / cpu : 0
        }
        /// Input megabytes (10⁶ bytes) per second of the job.
        public var megabytesPerSecond: Double { jobSeconds > 0 ? Double(inputBytes) / 1e6 / jobSeconds : 0 }
    }

    /// The child's summary could not be read.
    public struct SummaryError: Error, CustomStringConvertible {
        /// `summary_unreadable`, `child_failed` or `child_timed_out`.
        public var code: String
        /// What the child printed on stderr.
        public var output: String
        public var description: String { "\(code): \(output.suffix(2000))" }
    }

    /// The configuration.
    public var configuration: Configuration

    /// Creates the benchmark.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Writes `count` synthetic users as JSON Lines to `path` (the same bytes as
    /// `SyntheticUserGenerator.generateJSONL`, in chunks so the generator's memory stays small).
    /// - Returns: the bytes written.
    public static func writeInput(count: Int, seed: String, badFraction: Double, to path: String) throws -> Int {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        defer { try? handle.close() }
        let generator = SyntheticUserGenerator(configuration: .init(seed: seed, badFraction: badFraction))
        var buffer: [UInt8] = []
        var written = 0
        var start = 0
        while start < count {
            let end = min(count, start + 50_000)
            buffer.removeAll(keepingCapacity: true)
            generator.appendJSONL(page: 1, indices: start..<end, into: &buffer)
            try handle.write(contentsOf: buffer)
            written += buffer.count
            start = end
        }
        return written
    }

    /// Reads `records`, `rows`, `rejected` and the job's seconds from the transform summary.
    public static func parseSummary(_ text: String) -> (records: Int, rows: Int, rejects: Int, seconds: Double)? {
        var records: Int?
        var seconds: Double?
        var rows = 0
        var rejects = 0
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            if line.hasPrefix("transform:"), words.count > 1 {
                records = Int(words[1])
                if let inIndex = words.lastIndex(of: "in"), inIndex + 1 < words.count {
                    seconds = Double(words[inIndex + 1])
                }
            } else if words.first == "rows", words.count >= 2 {
                rows = Int(words[1]) ?? 0
            } else if words.first == "rejected", words.count >= 2 {
                rejects = Int(words[1]) ?? 0
            }
        }
        guard let records, let seconds else { return nil }
        return (records, rows, rejects, seconds)
    }

    /// Writes the input to `inputPath`, runs `executable transform` on it as a child, removes the input.
    public func run(executable: String, inputPath: String) throws -> Result {
        let bytes = try Self.writeInput(
            count: configuration.count, seed: configuration.seed, badFraction: configuration.badFraction,
            to: inputPath)
        defer { if !configuration.keepInput { try? FileManager.default.removeItem(atPath: inputPath) } }
        var arguments = [
            "transform", "--input", inputPath, "--output", configuration.outputPath, "--rejects",
            configuration.rejectsPath, "--log-level", "warning",
        ]
        if let threads = configuration.threads { arguments += ["--threads", String(threads)] }
        let child = try BenchChildProcess(
            executable: executable, arguments: arguments, timeout: .seconds(60 + configuration.count / 10_000)
        ).run()
        guard !child.timedOut else { throw SummaryError(code: "child_timed_out", output: child.standardError) }
        guard child.status == 0 else { throw SummaryError(code: "child_failed", output: child.standardError) }
        guard let summary = Self.parseSummary(child.standardError) else {
            throw SummaryError(code: "summary_unreadable", output: child.standardError)
        }
        return Result(
            records: summary.records, rows: summary.rows, rejects: summary.rejects, inputBytes: bytes,
            jobSeconds: summary.seconds, child: child)
    }

    /// Runs and reports the figures with the issue's targets and anchors.
    public func report(executable: String, inputPath: String) throws -> BenchReport {
        let load = BenchResources.loadAverage()
        let result = try run(executable: executable, inputPath: inputPath)
        return BenchReport(
            scenario: "transform",
            figures: [
                BenchFigure(
                    "throughput", result.usersPerSecond, unit: "users/s", target: BenchTargets.transformUsersPerSecond,
                    anchor: "Spark job ≈ 19,500 users/s"),
                BenchFigure(
                    "throughput with start-up", result.usersPerSecondWithStartUp, unit: "users/s",
                    anchor: "Spark with start-up ≈ 14,900 users/s"),
                BenchFigure("throughput per CPU second", result.usersPerCPUSecond, unit: "users/s"),
                BenchFigure("bandwidth", result.megabytesPerSecond, unit: "MB/s"),
                BenchFigure(
                    "peak RSS", BenchFormat.mebibytes(result.child.peakResidentBytes), unit: "MiB",
                    target: BenchTargets.transformPeakMiB, direction: .lowerIsBetter,
                    anchor: BenchTargets.sparkMemoryAnchor),
            ],
            setup: [
                "input: \(result.records) users, \(BenchFormat.number(Double(result.inputBytes) / 1e6)) MB JSONL, \(Int(configuration.badFraction * 100))% bad",
                "child: \(executable) transform --input <tmp> --output \(configuration.outputPath) --rejects \(configuration.rejectsPath)"
                    + (configuration.threads.map { " --threads \($0)" } ?? ""),
                "outcome: \(result.rows) rows, \(result.rejects) rejects; job \(String(format: "%.2f", result.jobSeconds)) s, "
                    + "process \(String(format: "%.2f", result.child.wallSeconds)) s, CPU user \(String(format: "%.2f", result.child.userSeconds)) s + sys \(String(format: "%.2f", result.child.systemSeconds)) s; "
                    + "load average before \(String(format: "%.2f", load))"
                    + (BenchResources.cpuPressure().map { ", CPU pressure after \(String(format: "%.0f", $0))%" } ?? ""),
            ]
        )
    }
}
