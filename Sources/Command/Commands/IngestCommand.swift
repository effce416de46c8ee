import ArgumentParser
import Foundation
import Pipeline

/// `userstream ingest`: fetch users from the source and produce them to Kafka.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Fetch users from the source and produce one Kafka message per user.",
        discussion: """
            One batch of --count users. With --logical-time T, the users of that interval (seed and pages derive \
            from T), so a retry or a backfill produces the same users: this is what the Airflow DAG runs. A user \
            counts as produced only when the broker acknowledged it. Checks at start that the topic exists. With \
            --max-lag, waits while the consumer group (--group) is that far behind. For a schedule, use \
            `userstream schedule`.
            """,
        version: UserStreamCommand.version
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: SourceOptions
    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var processing: ProcessingOptions
    @OptionGroup var trace: TraceOptions

    @Option(
        name: .long, parsing: .unconditional,
        help: ArgumentHelp(
            "Users to produce. Default: \(PipelineJob.defaultIngestCount). (env: USERSTREAM_COUNT)"))
    var count: String?

    @Option(name: .long, parsing: .unconditional, help: .hidden)
    var interval: String?

    @Option(
        name: .long, parsing: .unconditional,
        help: ArgumentHelp(
            "Produce the users of this logical time (RFC 3339, e.g. 2026-12-06T00:00:00Z, as Airflow's "
                + "logical_date): the same time gives the same users. (env: USERSTREAM_LOGICAL_TIME)"))
    var logicalTime: String?

    @Option(
        name: .long, parsing: .unconditional,
        help: "First page to fetch (with a seed, pages are reproducible). Default: 1. (env: USERSTREAM_PAGE)")
    var page: String?

    func run() async throws {
        let configuration = try global.load(source, kafka, processing, trace)
        var job = PipelineJob()
        job.count = try wholeNumberOption(count ?? environment("USERSTREAM_COUNT"), option: "--count", minimum: 1)
        if interval != nil {
            throw ValidationError("--interval: scheduled ingestion is `userstream schedule --every 30s` (or --cron)")
        }
        if let text = logicalTime ?? environment("USERSTREAM_LOGICAL_TIME") {
            guard let time = LogicalTime.parse(text) else {
                throw ValidationError("--logical-time: '\(text)' must be an RFC 3339 time such as 2026-12-06T00:00:00Z")
            }
            job.logicalTime = time
        }
        job.firstPage = try wholeNumberOption(page ?? environment("USERSTREAM_PAGE"), option: "--page", minimum: 1) ?? 1
        let pipeline = try await PipelineBuilder(configuration: configuration, parts: .ingest, job: job).build()
        _ = try await pipeline.run()
        let counters = pipeline.counters
        print(
            "produced \(counters.produced.load(ordering: .relaxed)) users to \(configuration.kafka.topic) "
                + "(fetched \(counters.fetched.load(ordering: .relaxed)))")
    }
}
