import ArgumentParser
import Kafka
import Logging
import UserStore
import UserStreamRuntime

/// `userstream run`: the whole pipeline in one process.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the main job in one process: broker + ingester + processor + store.",
        discussion: """
            With no --brokers, an embedded Kafka-protocol broker (librdkafka's mock cluster) is started in the \
            process; with --brokers, a real Kafka is used. Stops after --count users are handled, or on Ctrl-C \
            (graceful: the current batch is written and committed, clients are closed). Prints progress every \
            --progress-interval and a summary at the end.
            """,
        version: UserStreamCommand.version
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var sourceOptions: SourceOptions
    @OptionGroup var processing: ProcessingOptions

    @Option(name: .long, help: "Stop after N users are handled (stored or rejected). Default: run until stopped. (env: USERSTREAM_COUNT)")
    var count: Int?

    @Option(name: .long, help: "Partitions of the users topic on the embedded broker. Default: 6. (env: USERSTREAM_PARTITIONS)")
    var partitions: Int?

    @Option(name: .long, help: "Fixed bootstrap port of the embedded broker. Default: any free port. (env: USERSTREAM_PORT)")
    var port: Int?

    @Option(name: .long, help: "Most users handed to the producer but not yet read by the processor. The embedded broker keeps ~5 MiB per partition: about 4,000 users uncompressed, so stay under 3,000 per partition (more with --compression lz4). Default: 2000 per partition. (env: USERSTREAM_MAX_LAG)")
    var maxLag: Int?

    @Option(name: .long, help: "How often to print progress. Default: 2s. (env: USERSTREAM_PROGRESS_INTERVAL)")
    var progressInterval: String?

    func run() async throws {
        let settings = try global.bootstrap(command: "run")
        let logger = Logger(label: "userstream.run")
        var kafkaSettings = try kafka.resolved(settings)
        let external = settings.optionalString("brokers", kafka.brokers)
        let partitionCount = try settings.int("partitions", partitions, default: 6)
        let count = try settings.optionalInt("count", count)

        var broker: EmbeddedKafkaBroker?
        if external == nil {
            let embedded = try EmbeddedKafkaBroker(
                configuration: .init(
                    port: try settings.optionalInt("port", port),
                    topics: [(kafkaSettings.topic, partitionCount), (kafkaSettings.dlqTopic, 1)]
                )
            )
            kafkaSettings.brokers = embedded.bootstrapServers
            // In one process nothing crosses a network: compressing only costs CPU on both sides.
            if kafkaSettings.compression == nil { kafkaSettings.compression = "none" }
            broker = embedded
            logger.info("embedded broker started", metadata: ["bootstrap": "\(embedded.bootstrapServers)"])
        }
        defer { broker?.shutdown() }

        let store = try StoreFactory.make(storeOptions.resolved(settings), environment: .current, logger: logger)
        try await store.prepare()
        let counters = PipelineCounters()
        let producer = try KafkaProducer(configuration: Wiring.producerConfiguration(kafkaSettings), logger: logger)

        let source = try sourceOptions.makeSource(settings, defaultSource: "synthetic")
        var ingestConfiguration = Ingester.Configuration()
        ingestConfiguration.topic = kafkaSettings.topic
        ingestConfiguration.count = count ?? Int.max
        // Pages of 2,000: two in flight keep the producer busy, and librdkafka holds less awaiting acknowledgement.
        ingestConfiguration.pageSize = try sourceOptions.pageSize(settings, default: 2000)
        let maxLag = try settings.int("max-lag", maxLag, default: 2000 * partitionCount)
        var consumerConfiguration = Wiring.consumerConfiguration(kafkaSettings)
        // The lag bounds what the consumer can fetch ahead, so its prefetch queue may hold all of it: a full queue
        // pauses fetching for up to a second in librdkafka 2.0, which starved the processor.
        consumerConfiguration.prefetchKilobytes = max(consumerConfiguration.prefetchKilobytes, maxLag * 2)
        let consumer = try KafkaConsumer(
            configuration: consumerConfiguration,
            topics: [kafkaSettings.topic],
            logger: logger
        )
        let ingester = Ingester(
            source: source,
            producer: producer,
            flowControl: InProcessFlowControl(maxLag: maxLag, counters: counters),
            configuration: ingestConfiguration,
            counters: counters
        )
        // `run` is the throughput job: larger micro-batches cost a trickle at most 50 ms.
        var processorConfiguration = try processing.resolved(settings, kafka: kafkaSettings, defaultLinger: .milliseconds(50))
        processorConfiguration.maxMessages = count
        // The ingester, the broker and the processor share this process's memory: half the processor's default
        // queue of transformed records is enough to keep the writer busy, since the lag ends at the poll.
        processorConfiguration.maxPendingRecords = 10_000
        // The embedded broker keeps nothing once the process ends: on Ctrl-C, the ingester stops first (services
        // stop in reverse order) and the processor handles what was already produced before it stops.
        processorConfiguration.drainOnShutdown = { [counters] in
            counters.handled.load(ordering: .relaxed) + counters.lost.load(ordering: .relaxed)
                < counters.produced.load(ordering: .relaxed)
        }
        let processor = StreamProcessor(
            consumer: consumer,
            producer: producer,
            store: store,
            configuration: processorConfiguration,
            counters: counters
        )
        let reporter = ProgressReporter(
            counters: counters,
            interval: try settings.duration("progress-interval", progressInterval, default: .seconds(2))
        )
        let stored = try await Wiring.runServices(
            main: processor, companions: [ingester, reporter], producer: producer, store: store, logger: logger
        )
        print(reporter.summary(storeCount: stored))
    }
}

/// Options of the stream processor shared by `run` and `process`.
struct ProcessingOptions: ParsableArguments {
    @Option(name: .long, help: "Most records in one micro-batch. Default: 5000. (env: USERSTREAM_BATCH_SIZE)")
    var batchSize: Int?

    @Option(name: .long, help: "Longest wait for a micro-batch to fill. Default: 200ms. (env: USERSTREAM_BATCH_INTERVAL)")
    var batchInterval: String?

    @Option(name: .long, help: "Once a batch has a record, how much longer to wait for more. Default: 5ms (run: 50ms, for throughput). (env: USERSTREAM_BATCH_LINGER)")
    var batchLinger: String?

    @Option(name: .long, help: "Messages larger than this are rejected as too_large, unparsed. Default: 1048576. (env: USERSTREAM_MAX_MESSAGE_BYTES)")
    var maxMessageBytes: Int?

    @Flag(name: .long, inversion: .prefixedNo, help: "Stop with an error when records were lost by the broker (a gap in offsets). Default: log the lost range and go on. (env: USERSTREAM_FAIL_ON_GAP)")
    var failOnGap: Bool?

    func resolved(
        _ settings: Settings, kafka: ResolvedKafka, defaultLinger: Duration = .milliseconds(5)
    ) throws -> StreamProcessor.Configuration {
        var configuration = StreamProcessor.Configuration()
        configuration.topic = kafka.topic
        configuration.deadLetterTopic = kafka.dlqTopic
        configuration.batchSize = try settings.int("batch-size", batchSize, default: 5000)
        configuration.batchInterval = try settings.duration("batch-interval", batchInterval, default: .milliseconds(200))
        configuration.batchLinger = try settings.duration("batch-linger", batchLinger, default: defaultLinger)
        configuration.maxMessageBytes = try settings.int("max-message-bytes", maxMessageBytes, default: 1 << 20)
        configuration.failOnGap = try settings.bool("fail-on-gap", failOnGap, default: false)
        guard configuration.batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
        return configuration
    }
}
