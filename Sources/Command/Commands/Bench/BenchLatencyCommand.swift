import Bench
import ArgumentParser
import Stores
import Pipeline

/// `userstream bench latency`: end-to-end latency at a steady rate, in process.
struct BenchLatencyCommand: AsyncParsableCommand, BenchScenario {
    static let configuration = CommandConfiguration(
        commandName: "latency",
        abstract: "End-to-end latency (fetched_at → row durable in the store) at a steady rate: p50/p90/p99/max.",
        discussion: """
            Embedded broker + ingester paced at --rate + processor + SQLite, in this process. The histogram is \
            reset after --warm-up. The consumer's poll returns when a batch is full or --batch-interval passed, so \
            a small interval gives low latency. Target at 5,000 users/s: p50 ≤ 10 ms, p99 ≤ 50 ms.
            """
    )

    @OptionGroup var common: BenchCommonOptions

    @Option(name: .long, help: "Users per second. Default: 5000.")
    var rate: Int = 5000

    @Option(name: .long, help: "Measured duration. Default: 30s.")
    var duration: String = "30s"

    @Option(name: .long, help: "Warm-up before measuring. Default: 5s.")
    var warmUp: String = "5s"

    @Option(name: .long, help: "The processor's batch interval. Default: 2ms.")
    var batchInterval: String = "2ms"

    @Option(name: .long, help: "The processor's batch size. Default: 5000.")
    var batchSize: Int = 5000

    @Option(name: .long, help: "The producer's linger.ms (ingester and dead letters). Default: 1.")
    var linger: Int = 1

    @Option(name: .long, help: "The ingester's tick. Default: 10ms.")
    var tick: String = "10ms"

    @Option(name: .long, help: "SQLite synchronous: full or normal.")
    var synchronous: SQLiteUserStore.Configuration.Synchronous = .full

    @Option(name: .customLong("consumer-property"), help: "An extra librdkafka property of the consumer, key=value (repeatable; over the default fetch.wait.max.ms=1).")
    var consumerProperties: [String] = []

    @Option(name: .customLong("producer-property"), help: "An extra librdkafka property of the producer, key=value (repeatable).")
    var producerProperties: [String] = []

    @Option(name: .long, help: "Produce N users as fast as flow control allows instead of --rate (in-process 'run' with these knobs; reports the throughput).")
    var flatOut: Int?

    func measure() async throws -> BenchReport {
        var configuration = LatencyBenchmark.Configuration()
        configuration.rate = rate
        configuration.flatOutCount = flatOut
        configuration.duration = try BenchOutput.duration(duration, option: "--duration")
        configuration.warmUp = try BenchOutput.duration(warmUp, option: "--warm-up")
        configuration.batchInterval = try BenchOutput.duration(batchInterval, option: "--batch-interval")
        configuration.tick = try BenchOutput.duration(tick, option: "--tick")
        configuration.batchSize = batchSize
        configuration.lingerMilliseconds = linger
        configuration.badFraction = common.badFraction
        configuration.consumerProperties.merge(
            try propertiesOption(consumerProperties, option: "--consumer-property")) { $1 }
        configuration.producerProperties = try propertiesOption(producerProperties, option: "--producer-property")
        configuration.synchronous = synchronous
        guard rate > 0 else { throw ValidationError("--rate must be at least 1") }
        return try await LatencyBenchmark(configuration: configuration).report(folder: common.folder)
    }

    func run() async throws {
        try await BenchOutput.runOne(self, common: common)
    }
}
