import Pipeline
import Foundation
import RandomUser
import UsersContract

/// The contract stage alone on one core: in-memory messages (one user per `[UInt8]`, as the consumer hands
/// them over) through ``UserTransformer``, rows and dead letters built and dropped.
public struct ContractBenchmark: Sendable {
    /// What to generate and how often to go through it.
    public struct Configuration: Sendable {
        /// Messages transformed in the measured pass. Default: 200,000.
        public var count = 200_000
        /// The generator's seed. Default: `bench`.
        public var seed = "bench"
        /// Fraction of bad records. Default: 0.02 (as the issue's anchors).
        public var badFraction = 0.02
        /// Messages transformed before the measured pass (warm caches, grown tape). Default: 10,000.
        public var warmUp = 10_000

        /// The defaults above.
        public init() {}
    }

    /// What the measured pass did.
    public struct Result: Sendable, Hashable {
        /// Messages transformed.
        public var messages: Int
        /// Bytes of those messages.
        public var bytes: Int
        /// Rows made.
        public var rows: Int
        /// Dead letters made.
        public var rejects: Int
        /// Wall-clock seconds of the measured pass.
        public var seconds: Double
        /// CPU seconds of the measuring thread during the pass (unaffected by other processes' load).
        public var cpuSeconds: Double

        /// Messages per CPU second.
        public var usersPerCPUSecond: Double { cpuSeconds > 0 ? Double(messages) / cpuSeconds : 0 }

        /// Messages per second.
        public var usersPerSecond: Double { seconds > 0 ? Double(messages) / seconds : 0 }
        /// Megabytes (10⁶ bytes) per second.
        public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / 1e6 / seconds : 0 }
    }

    /// The configuration.
    public var configuration: Configuration

    /// Creates the benchmark.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The input: `count` synthetic users, one message each.
    public func makeMessages() -> [[UInt8]] {
        let generator = SyntheticUserGenerator(
            configuration: .init(seed: configuration.seed, badFraction: configuration.badFraction))
        var messages: [[UInt8]] = []
        messages.reserveCapacity(configuration.count)
        var page = 1
        while messages.count < configuration.count {
            let want = min(5000, configuration.count - messages.count)
            messages += generator.users(page: page, count: want).map(\.value)
            page += 1
        }
        return messages
    }

    /// Transforms `messages` once for the warm-up and once measured.
    public func run(messages: [[UInt8]]) -> Result {
        let now = WallClock.milliseconds()
        var transformer = UserTransformer(options: TransformOptions(runStartedAt: now))
        var rows = 0
        var rejects = 0
        func pass(_ slice: ArraySlice<[UInt8]>) {
            var offset: Int64 = 0
            for message in slice {
                let context = RecordContext(
                    topic: PipelineConfiguration.Kafka().topic, partition: 0, offset: offset, fetchedAt: now, receivedAt: now)
                offset += 1
                message.withUnsafeBytes { bytes in
                    transformer.transform(bytes, context: context, processedAt: now) { outcome in
                        switch outcome {
                        case .row: rows += 1
                        case .reject: rejects += 1
                        }
                    }
                }
            }
        }
        pass(messages.prefix(configuration.warmUp))
        rows = 0
        rejects = 0
        let cpuStarted = BenchResources.threadCPUSeconds()
        let started = ContinuousClock.now
        pass(messages[...])
        let seconds = (ContinuousClock.now - started).seconds
        let cpuSeconds = BenchResources.threadCPUSeconds() - cpuStarted
        return Result(
            messages: messages.count, bytes: messages.reduce(0) { $0 + $1.count }, rows: rows, rejects: rejects,
            seconds: seconds, cpuSeconds: cpuSeconds)
    }

    /// Generates the input, runs, and reports the figures with the issue's target and anchors.
    public func report() -> BenchReport {
        let messages = makeMessages()
        let result = run(messages: messages)
        return BenchReport(
            scenario: "contract",
            figures: [
                BenchFigure(
                    "throughput", result.usersPerSecond, unit: "users/s", target: BenchTargets.contractUsersPerSecond,
                    anchor: BenchTargets.cpythonAnchor),
                BenchFigure(
                    "throughput per CPU second", result.usersPerCPUSecond, unit: "users/s",
                    target: BenchTargets.contractUsersPerSecond),
                BenchFigure("bandwidth", result.megabytesPerSecond, unit: "MB/s", anchor: BenchTargets.foundationAnchor),
                BenchFigure(
                    "peak RSS (whole bench process)", BenchFormat.mebibytes(BenchResources.peakResidentBytes()),
                    unit: "MiB", direction: .lowerIsBetter),
            ],
            setup: [
                "\(result.messages) in-memory messages (\(BenchFormat.number(Double(result.bytes) / Double(max(result.messages, 1)))) bytes each on average, \(Int(configuration.badFraction * 100))% bad), one core, UserTransformer only",
                "outcome: \(result.rows) rows, \(result.rejects) dead letters in \(String(format: "%.3f", result.seconds)) s "
                    + "(thread CPU \(String(format: "%.3f", result.cpuSeconds)) s); load average \(String(format: "%.2f", BenchResources.loadAverage()))",
            ]
        )
    }
}
