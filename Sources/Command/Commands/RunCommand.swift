import ArgumentParser
import Pipeline

/// `userstream run`: the whole pipeline in one process.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the main job in one process: broker + ingester + processor + store.",
        discussion: """
            With --brokers embedded (the default), a Kafka-protocol broker (librdkafka's mock cluster) runs inside \
            the process; with --brokers host:port, a real Kafka is used. Stops after --count users are handled, or \
            on SIGINT/SIGTERM (graceful: the ingester stops, the processor drains and commits, then the consumer, \
            producer, store and broker close, in that order). With --every or --cron, ingestion runs on that \
            schedule (see `userstream schedule`) instead of as fast as the processor takes it. Prints progress every \
            --progress-interval and a summary at the end.
            """,
        version: UserStreamCommand.version
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: SourceOptions
    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var processing: ProcessingOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var serving: ServingOptions
    @OptionGroup var schedule: ScheduleOptions
    @OptionGroup var trace: TraceOptions

    @Option(
        name: .long, parsing: .unconditional,
        help: "Stop after N users are handled (stored or rejected). Default: run until stopped. (env: USERSTREAM_COUNT)")
    var count: String?

    func run() async throws {
        let configuration = try global.load(source, kafka, processing, store, serving, schedule, trace)
        try validateSchedule(configuration)
        var job = PipelineJob()
        job.scheduled = true
        job.serveHTTP = true
        job.count = try wholeNumberOption(count ?? environment("USERSTREAM_COUNT"), option: "--count", minimum: 1)
        try await runPipeline(configuration, parts: .all, job: job)
    }
}

/// Checks the schedule's settings together (one of --every and --cron; the cron's time zone): exit 64 with one line.
func validateSchedule(_ configuration: PipelineConfiguration) throws {
    do {
        _ = try configuration.schedule.trigger()
    } catch {
        StandardError.write("Error: \(error)\n")
        throw ExitCode(64)
    }
}

/// Builds the pipeline for `parts`, runs it until done or stopped, prints the summary.
func runPipeline(_ configuration: PipelineConfiguration, parts: PipelineParts, job: PipelineJob) async throws {
    let pipeline = try await PipelineBuilder(configuration: configuration, parts: parts, job: job).build()
    print(try await pipeline.run())
    if pipeline.uncommittedMessages > 0 {
        throw CommandFailure(
            "\(pipeline.uncommittedMessages) messages were stored but their offsets were not committed (the group "
                + "coordinator did not confirm them; see the warnings above): they will be delivered again")
    }
}
