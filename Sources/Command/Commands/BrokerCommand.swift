import Foundation
import ArgumentParser
import Kafka
import Logging
import ServiceLifecycle
import Pipeline

/// `userstream broker`: a standalone embedded Kafka-protocol broker for several processes on one machine.
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Run an embedded Kafka-protocol broker (librdkafka's mock cluster) for local multi-process use.",
        discussion: """
            For development and tests on one machine only: it keeps about 5 MiB per partition in memory and drops \
            older data, keeps nothing on disk, and answers only on 127.0.0.1. Run `ingest` with --max-lag so the \
            ingester never runs further ahead of the processors than the broker keeps. Stops on Ctrl-C.
            """,
        version: UserStreamCommand.version
    )

    @OptionGroup var global: GlobalOptions

    @Option(
        name: .long, parsing: .unconditional,
        help: ArgumentHelp(
            "Bootstrap port on 127.0.0.1. Default: \(EmbeddedKafkaBroker.standalonePort), where ingest and process "
                + "look for it with --brokers embedded. (env: USERSTREAM_PORT; file: kafka.embedded-port)"))
    var port: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.partitions.help))
    var partitions: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.topic.help))
    var topic: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.deadLetterTopic.help))
    var dlqTopic: String?

    /// The pipeline settings the broker takes.
    struct Topics: SettingFlags {
        var port, partitions, topic, dlqTopic: String?
        var given: [String: SettingValue] {
            collect(
                entry(.embeddedPort, port), entry(.partitions, partitions), entry(.topic, topic),
                entry(.deadLetterTopic, dlqTopic))
        }
    }

    func run() async throws {
        var configuration = try global.load(Topics(port: port, partitions: partitions, topic: topic, dlqTopic: dlqTopic))
        configuration.kafka.embeddedPort = configuration.kafka.embeddedPort ?? EmbeddedKafkaBroker.standalonePort
        let broker = try PipelineBuilder(configuration: configuration, parts: .all).makeEmbeddedBroker()
        print("embedded broker ready: bootstrap \(broker.bootstrapServers)")
        print("use: --brokers \(broker.bootstrapServers)   (Ctrl-C to stop)")
        // Scripts wait for the ready line; stdout to a file or pipe is block-buffered.
        fflush(nil)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: broker)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "userstream.broker")
            )
        )
        try await group.run()
        print("embedded broker stopped")
    }
}
