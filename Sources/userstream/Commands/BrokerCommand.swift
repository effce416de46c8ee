import ArgumentParser
import Kafka
import Logging
import ServiceLifecycle
import UserStreamRuntime

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

    @Option(name: .long, help: "Bootstrap port. Default: 9092. (env: USERSTREAM_PORT)")
    var port: Int?

    @Option(name: .long, help: "Partitions of the users topic. Default: 6. (env: USERSTREAM_PARTITIONS)")
    var partitions: Int?

    @Option(name: .long, help: "The users topic. Default: random_users. (env: USERSTREAM_TOPIC)")
    var topic: String?

    @Option(name: .long, help: "The dead-letter topic. Default: random_users_dlq. (env: USERSTREAM_DLQ_TOPIC)")
    var dlqTopic: String?

    func run() async throws {
        let settings = try global.bootstrap(command: "broker")
        let logger = Logger(label: "userstream.broker")
        let broker = try EmbeddedKafkaBroker(
            configuration: .init(
                port: try settings.int("port", port, default: 9092),
                topics: [
                    (settings.string("topic", topic, default: "random_users"), try settings.int("partitions", partitions, default: 6)),
                    (settings.string("dlq-topic", dlqTopic, default: "random_users_dlq"), 1),
                ]
            )
        )
        defer { broker.shutdown() }
        print("embedded broker ready: bootstrap \(broker.bootstrapServers)")
        print("use: --brokers \(broker.bootstrapServers)   (Ctrl-C to stop)")
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: WaitForShutdown())],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
        print("embedded broker stopped")
    }
}

/// A service that only waits for the graceful shutdown signal.
struct WaitForShutdown: Service {
    func run() async throws {
        try? await gracefulShutdown()
    }
}
