import ArgumentParser
import Kafka
import Logging
import UserStore
import UserStreamRuntime

/// `userstream process`: consume, transform, store, commit.
struct ProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Consume the users topic, transform, write to the store, then commit the offsets.",
        discussion: """
            Run several with the same --group to share the partitions. Offsets are committed only after the rows \
            (or dead letters) are durably written. --count N stops after N input messages are handled and \
            committed; --idle-exit S stops once no record has arrived for S.
            """,
        version: UserStreamCommand.version
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var processing: ProcessingOptions

    @Option(name: .long, help: "Stop after N input messages are handled and committed. Default: run until stopped. (env: USERSTREAM_COUNT)")
    var count: Int?

    @Option(name: .long, help: "Stop once no record has arrived for this long, e.g. 10s. Default: never. (env: USERSTREAM_IDLE_EXIT)")
    var idleExit: String?

    func run() async throws {
        let settings = try global.bootstrap(command: "process")
        let logger = Logger(label: "userstream.process")
        let kafkaSettings = try kafka.resolved(settings)
        try await Wiring.requireTopics([kafkaSettings.topic, kafkaSettings.dlqTopic], kafka: kafkaSettings)

        var configuration = try processing.resolved(settings, kafka: kafkaSettings)
        configuration.maxMessages = try settings.optionalInt("count", count)
        configuration.idleExit = try settings.optionalDuration("idle-exit", idleExit)

        let store = try StoreFactory.make(storeOptions.resolved(settings), environment: .current, logger: logger)
        try await store.prepare()
        let counters = PipelineCounters()
        let producer = try KafkaProducer(configuration: Wiring.producerConfiguration(kafkaSettings), logger: logger)
        let consumer = try KafkaConsumer(
            configuration: Wiring.consumerConfiguration(kafkaSettings),
            topics: [kafkaSettings.topic],
            logger: logger
        )
        let processor = StreamProcessor(
            consumer: consumer, producer: producer, store: store, configuration: configuration, counters: counters
        )
        let reporter = ProgressReporter(counters: counters)
        let stored = try await Wiring.runServices(
            main: processor, companions: [reporter], producer: producer, store: store, logger: logger
        )
        print(reporter.summary(storeCount: stored))
    }
}
