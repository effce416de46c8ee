import ArgumentParser
import Kafka
import UserStreamRuntime

/// `userstream topics`: create and describe the pipeline's topics on a real Kafka.
struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Create and describe the pipeline's topics (partitions, replication factor, retention).",
        version: UserStreamCommand.version,
        subcommands: [Create.self, Describe.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the users topic and the dead-letter topic (existing ones are left as they are).",
            version: UserStreamCommand.version
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var kafka: KafkaOptions
        @Option(name: .long, help: "Partitions of the users topic (the most processors that can share the work). Default: 6. (env: USERSTREAM_PARTITIONS)")
        var partitions: Int?
        @Option(name: .long, help: "Partitions of the dead-letter topic. Default: 1. (env: USERSTREAM_DLQ_PARTITIONS)")
        var dlqPartitions: Int?
        @Option(name: .long, help: "Replication factor. Default: 1 (use 3 in production). (env: USERSTREAM_REPLICATION_FACTOR)")
        var replicationFactor: Int?
        @Option(name: .long, help: "Retention of the users topic, e.g. 7d as milliseconds: 604800000. Default: 604800000. (env: USERSTREAM_RETENTION_MS)")
        var retentionMs: Int?
        @Option(name: .long, help: "Retention of the dead-letter topic in milliseconds. Default: 2592000000 (30 days). (env: USERSTREAM_DLQ_RETENTION_MS)")
        var dlqRetentionMs: Int?

        func run() async throws {
            let settings = try global.bootstrap(command: "topics")
            let kafkaSettings = try kafka.resolved(settings)
            let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: kafkaSettings.brokers, clientID: "userstream-admin"))
            defer { admin.close() }
            let replication = try settings.int("replication-factor", replicationFactor, default: 1)
            let specs: [KafkaTopicSpecification] = [
                KafkaTopicSpecification(
                    name: kafkaSettings.topic,
                    partitions: try settings.int("partitions", partitions, default: 6),
                    replicationFactor: replication,
                    config: ["retention.ms": String(try settings.int("retention-ms", retentionMs, default: 604_800_000))]
                ),
                KafkaTopicSpecification(
                    name: kafkaSettings.dlqTopic,
                    partitions: try settings.int("dlq-partitions", dlqPartitions, default: 1),
                    replicationFactor: replication,
                    config: ["retention.ms": String(try settings.int("dlq-retention-ms", dlqRetentionMs, default: 2_592_000_000))]
                ),
            ]
            let missing = Set(try await admin.missingTopics(specs.map(\.name)))
            for spec in specs {
                if missing.contains(spec.name) {
                    try await admin.createTopics([spec])
                    print("created \(spec.name): \(spec.partitions) partitions, replication factor \(spec.replicationFactor)")
                } else {
                    print("exists  \(spec.name) (left as it is)")
                }
            }
        }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Describe the pipeline's topics.", version: UserStreamCommand.version)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var kafka: KafkaOptions

        func run() async throws {
            let settings = try global.bootstrap(command: "topics")
            let kafkaSettings = try kafka.resolved(settings)
            let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: kafkaSettings.brokers, clientID: "userstream-admin"))
            defer { admin.close() }
            for description in try await admin.describeTopics([kafkaSettings.topic, kafkaSettings.dlqTopic]) {
                print(description)
            }
        }
    }
}
