import Bench
import ArgumentParser
import Pipeline

/// Options of the Kafka throughput scenarios.
struct BenchKafkaOptions: ParsableArguments {
    @Option(name: .long, help: "Messages. Default: 1000000.")
    var count: Int = 1_000_000

    @Option(name: .long, help: "Partitions. Default: 6.")
    var partitions: Int = 6

    @Option(name: .long, help: "The producer's linger.ms. Default: 5.")
    var linger: Int = 5

    @Option(name: .customLong("consumer-property"), help: "consume: an extra librdkafka property of the consumer, key=value (repeatable; over the default fetch.wait.max.ms=5).")
    var consumerProperties: [String] = []

    var configuration: KafkaThroughputBenchmark.Configuration {
        get throws {
            var configuration = KafkaThroughputBenchmark.Configuration()
            configuration.count = count
            configuration.partitions = partitions
            configuration.lingerMilliseconds = linger
            configuration.consumerProperties.merge(
                try propertiesOption(consumerProperties, option: "--consumer-property")) { $1 }
            return configuration
        }
    }
}

/// `userstream bench produce`: producer throughput into the embedded broker.
struct BenchProduceCommand: AsyncParsableCommand, BenchScenario {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Kafka producer throughput into the embedded broker (1 KB users, lz4): msgs/s, MB/s."
    )

    @OptionGroup var common: BenchCommonOptions
    @OptionGroup var kafka: BenchKafkaOptions

    func measure() async throws -> BenchReport {
        try await KafkaThroughputBenchmark(configuration: try kafka.configuration).produceReport()
    }

    func run() async throws {
        try await BenchOutput.runOne(self, common: common)
    }
}

/// `userstream bench consume`: consumer throughput from the embedded broker, while producing.
struct BenchConsumeCommand: AsyncParsableCommand, BenchScenario {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Kafka consumer throughput (a group member, committing each poll) while the same messages are produced."
    )

    @OptionGroup var common: BenchCommonOptions
    @OptionGroup var kafka: BenchKafkaOptions

    func measure() async throws -> BenchReport {
        try await KafkaThroughputBenchmark(configuration: try kafka.configuration).consumeReport()
    }

    func run() async throws {
        try await BenchOutput.runOne(self, common: common)
    }
}
