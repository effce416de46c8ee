import ArgumentParser
import Kafka
import Pipeline

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
        @Option(name: .long, help: "Partitions of the dead-letter topic. Default: 1.")
        var dlqPartitions = 1
        @Option(name: .long, help: "Retention of the users topic in milliseconds. Default: 604800000 (7 days).")
        var retentionMs = 604_800_000
        @Option(name: .long, help: "Retention of the dead-letter topic in milliseconds. Default: 2592000000 (30 days).")
        var dlqRetentionMs = 2_592_000_000

        func run() async throws {
            let configuration = try global.load(kafka)
            let kafka = configuration.kafka
            let builder = PipelineBuilder(configuration: configuration, parts: .process)
            let admin = try builder.admin(brokers: builder.externalBrokers)
            defer { admin.close() }
            let specs: [KafkaTopicSpecification] = [
                KafkaTopicSpecification(
                    name: kafka.topic, partitions: kafka.partitions, replicationFactor: kafka.replicationFactor,
                    config: ["retention.ms": String(retentionMs)]
                ),
                KafkaTopicSpecification(
                    name: kafka.deadLetterTopic, partitions: dlqPartitions, replicationFactor: kafka.replicationFactor,
                    config: ["retention.ms": String(dlqRetentionMs)]
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
            let configuration = try global.load(kafka)
            let kafka = configuration.kafka
            let builder = PipelineBuilder(configuration: configuration, parts: .process)
            let admin = try builder.admin(brokers: builder.externalBrokers)
            defer { admin.close() }
            let wanted = [kafka.topic, kafka.deadLetterTopic]
            let found = try await admin.describeTopics(wanted)
            for description in found {
                print(description)
            }
            let missing = wanted.filter { name in !found.contains { $0.name == name } }
            if !missing.isEmpty {
                throw CommandFailure(
                    "topic(s) \(missing.joined(separator: ", ")) do not exist on \(builder.externalBrokers); create "
                        + "them with: " + builder.createTopicsHint(brokers: builder.externalBrokers))
            }
        }
    }
}
