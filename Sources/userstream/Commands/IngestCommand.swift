import ArgumentParser
import Kafka
import Logging
import UserStreamRuntime

/// `userstream ingest`: fetch users from the source and produce them to Kafka.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Fetch users from the source and produce one Kafka message per user.",
        discussion: """
            One batch of --count users, or --count users every --interval for --duration (or until Ctrl-C). A user \
            counts as produced only when the broker acknowledged it. Checks at start that the topic exists. Against \
            the embedded broker, pass --max-lag so the ingester waits for the consumer group to catch up.
            """,
        version: UserStreamCommand.version
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var sourceOptions: SourceOptions

    @Option(name: .long, help: "Users to produce (per tick with --interval). Default: 100. (env: USERSTREAM_COUNT)")
    var count: Int?

    @Option(name: .long, help: "Repeat every interval, e.g. 30s. Default: once. (env: USERSTREAM_INTERVAL)")
    var interval: String?

    @Option(name: .long, help: "With --interval: stop after this long. Default: until stopped. (env: USERSTREAM_DURATION)")
    var duration: String?

    @Option(name: .long, help: "First page to fetch (with a seed, pages are reproducible). Default: 1. (env: USERSTREAM_PAGE)")
    var page: Int?

    @Option(name: .long, help: "Wait while the group (--group) has more than N uncommitted messages. Default: no limit. (env: USERSTREAM_MAX_LAG)")
    var maxLag: Int?

    func run() async throws {
        let settings = try global.bootstrap(command: "ingest")
        let logger = Logger(label: "userstream.ingest")
        let kafkaSettings = try kafka.resolved(settings)
        try await Wiring.requireTopics([kafkaSettings.topic], kafka: kafkaSettings)

        var configuration = Ingester.Configuration()
        configuration.topic = kafkaSettings.topic
        configuration.count = try settings.int("count", count, default: 100)
        configuration.pageSize = try sourceOptions.pageSize(settings)
        configuration.firstPage = try settings.int("page", page, default: 1)
        configuration.interval = try settings.optionalDuration("interval", interval)
        configuration.duration = try settings.optionalDuration("duration", duration)

        let counters = PipelineCounters()
        let producer = try KafkaProducer(configuration: Wiring.producerConfiguration(kafkaSettings), logger: logger)
        var admin: KafkaAdmin?
        var flowControl: (any FlowControl)?
        if let lag = try settings.optionalInt("max-lag", maxLag) {
            let client = try KafkaAdmin(configuration: KafkaConfiguration(brokers: kafkaSettings.brokers, clientID: "userstream-ingest"))
            admin = client
            flowControl = GroupLagFlowControl(
                maxLag: lag, admin: client, group: kafkaSettings.group, topic: kafkaSettings.topic, logger: logger
            )
        }
        defer { admin?.close() }
        let ingester = Ingester(
            source: try sourceOptions.makeSource(settings, defaultSource: "randomuser"),
            producer: producer,
            flowControl: flowControl,
            configuration: configuration,
            counters: counters
        )
        let reporter = ProgressReporter(counters: counters)
        _ = try await Wiring.runServices(
            main: ingester, companions: [reporter], producer: producer, store: nil, logger: logger
        )
        print("produced \(counters.produced.load(ordering: .relaxed)) users to \(kafkaSettings.topic) (fetched \(counters.fetched.load(ordering: .relaxed)))")
    }
}
