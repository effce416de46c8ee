import ArgumentParser
import Foundation
import Pipeline

/// `userstream schedule`: scheduled ingestion with a run history.
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Ingest on a schedule (--every or --cron), recording every run in the run history (--state).",
        discussion: """
            Each fire time is a run's logical time; a run produces --users-per-run users of that time (seed and \
            pages derive from it), so a retry or a re-run adds no new users. At most one run is active: a fire time \
            that passes during a run is recorded as skipped. A failed attempt is retried (--retries, --retry-delay \
            doubling up to 5m), each bounded by --run-timeout; a run that fails after its retries is recorded with \
            its error and the schedule goes on. With --catch-up, the intervals missed since the latest run in the \
            history are run first. `userstream runs` lists the history and re-runs a run by id. Stops on SIGINT or \
            SIGTERM (a run in progress is recorded as interrupted).
            """,
        version: UserStreamCommand.version
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: SourceOptions
    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var processing: ProcessingOptions
    @OptionGroup var schedule: ScheduleOptions
    @OptionGroup var trace: TraceOptions

    @Option(
        name: .long, parsing: .unconditional,
        help: "Stop after the fire times of this long. Default: until stopped. (env: USERSTREAM_DURATION)")
    var duration: String?

    @Option(
        name: .long,
        help: "Stop once this many scheduled runs have ended, successful or failed (skipped fire times do not count). Default: until stopped.")
    var runs: Int?

    func run() async throws {
        let configuration = try global.load(source, kafka, processing, schedule, trace)
        try validateSchedule(configuration)
        guard configuration.schedule.isSet else {
            throw ValidationError("no schedule: set --every (e.g. 5m) or --cron (e.g. \"0 * * * *\")")
        }
        if let runs, runs < 1 {
            throw ValidationError("--runs: \(runs) is not a count of runs; give 1 or more, or leave it out to run until stopped")
        }
        var job = PipelineJob()
        job.scheduled = true
        job.scheduleRuns = runs
        if let duration = try durationOption(duration ?? environment("USERSTREAM_DURATION"), option: "--duration") {
            job.scheduleDuration = duration
        }
        let pipeline = try await PipelineBuilder(configuration: configuration, parts: .ingest, job: job).build()
        _ = try await pipeline.run()
        let history = try RunHistory(path: configuration.schedule.state, create: false)
        let counts = try history.countsByState()
        print("runs in \(configuration.schedule.state): \(ScheduledRun.State.summary(counts))")
    }
}
