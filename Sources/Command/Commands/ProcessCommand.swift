import ArgumentParser
import Pipeline

/// `userstream process`: consume, transform, store, commit.
struct ProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Consume the users topic, transform, write to the store, then commit the offsets.",
        discussion: """
            Run several with the same --group to share the partitions. Offsets are committed only after the rows \
            (or dead letters) are durably written. --count N stops after N input messages are handled and \
            committed; --idle-exit S stops once no record has arrived for S. It serves /metrics, /ready, the API and \
            the dashboard on --http (127.0.0.1:8080; off to turn it off; give each process on one machine its own).
            """,
        version: UserStreamCommand.version
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var processing: ProcessingOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var serving: ServingOptions
    @OptionGroup var trace: TraceOptions

    @Option(
        name: .long, parsing: .unconditional,
        help: "Stop after N input messages are handled and committed. Default: run until stopped. (env: USERSTREAM_COUNT)")
    var count: String?

    @Option(
        name: .long, parsing: .unconditional,
        help: "Stop once no record has arrived for this long, e.g. 10s. Default: never. (env: USERSTREAM_IDLE_EXIT)")
    var idleExit: String?

    func run() async throws {
        let configuration = try global.load(kafka, processing, store, serving, trace)
        var job = PipelineJob()
        job.count = try wholeNumberOption(count ?? environment("USERSTREAM_COUNT"), option: "--count", minimum: 1)
        job.idleExit = try durationOption(idleExit ?? environment("USERSTREAM_IDLE_EXIT"), option: "--idle-exit")
        job.serveHTTP = true
        try await runPipeline(configuration, parts: .process, job: job)
    }
}
