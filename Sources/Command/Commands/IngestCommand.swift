import ArgumentParser
import Pipeline

/// `userstream ingest`: fetch users from the source and produce them to Kafka.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Fetch users from the source and produce one Kafka message per user.",
        discussion: """
            One batch of --count users, or --count users every --interval for --duration (or until stopped). A user \
            counts as produced only when the broker acknowledged it. Checks at start that the topic exists. With \
            --max-lag, waits while the consumer group (--group) is that far behind.
            """,
        version: UserStreamCommand.version
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: SourceOptions
    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var processing: ProcessingOptions

    @Option(
        name: .long, parsing: .unconditional,
        help: ArgumentHelp(
            "Users to produce (per tick with --interval). Default: \(PipelineJob.defaultIngestCount). (env: USERSTREAM_COUNT)"))
    var count: String?

    @Option(name: .long, parsing: .unconditional, help: "Repeat every interval, e.g. 30s. Default: once. (env: USERSTREAM_INTERVAL)")
    var interval: String?

    @Option(
        name: .long, parsing: .unconditional,
        help: "With --interval: stop after this long. Default: until stopped. (env: USERSTREAM_DURATION)")
    var duration: String?

    @Option(
        name: .long, parsing: .unconditional,
        help: "First page to fetch (with a seed, pages are reproducible). Default: 1. (env: USERSTREAM_PAGE)")
    var page: String?

    func run() async throws {
        let configuration = try global.load(source, kafka, processing)
        var job = PipelineJob()
        job.count = try wholeNumberOption(count ?? environment("USERSTREAM_COUNT"), option: "--count", minimum: 1)
        job.interval = try durationOption(interval ?? environment("USERSTREAM_INTERVAL"), option: "--interval")
        job.duration = try durationOption(duration ?? environment("USERSTREAM_DURATION"), option: "--duration")
        job.firstPage = try wholeNumberOption(page ?? environment("USERSTREAM_PAGE"), option: "--page", minimum: 1) ?? 1
        let pipeline = try await PipelineBuilder(configuration: configuration, parts: .ingest, job: job).build()
        _ = try await pipeline.run()
        let counters = pipeline.counters
        print(
            "produced \(counters.produced.load(ordering: .relaxed)) users to \(configuration.kafka.topic) "
                + "(fetched \(counters.fetched.load(ordering: .relaxed)))")
    }
}
