import Backoff
import Cron
import Foundation
import Logging
import ServiceLifecycle

/// What one attempt of a scheduled run did.
public struct ScheduledRunResult: Sendable, Equatable {
    /// Users the source returned.
    public var fetched: Int
    /// Users the broker acknowledged.
    public var produced: Int

    /// A result.
    public init(fetched: Int, produced: Int) {
        self.fetched = fetched
        self.produced = produced
    }
}

/// Runs ingestion on a schedule (an interval or a cron expression) and records every run in a ``RunHistory``.
///
/// - Each fire time is a run's **logical time**. A run ingests the users of its logical time (the seed and pages
///   derive from it, see ``LogicalTime``), so a retried or re-run interval produces the same users, and the
///   store's upsert does not grow.
/// - At most one run is active. A fire time that passes while a run is still active is recorded as `skipped`, not
///   stacked.
/// - A failed attempt is retried with capped exponential backoff (``Configuration-swift.struct/retryBackoff``),
///   each attempt bounded by ``Configuration-swift.struct/runTimeout``. After the last attempt the run is `failed`
///   with its error, and the schedule goes on.
/// - With ``Configuration-swift.struct/catchUp``, the intervals missed while no scheduler ran (after the latest
///   logical time in the history) are run first, oldest first, at most ``Configuration-swift.struct/maxCatchUp``.
/// - A graceful shutdown ends any wait at once and cancels the active attempt; that run is recorded `failed`
///   ("interrupted") and can be re-run by id.
public final class Scheduler: Service {
    /// How the schedule runs.
    public struct Configuration: Sendable {
        /// When runs are due.
        public var trigger: ScheduleTrigger
        /// The base of each run's seed: a run of logical time `t` uses `LogicalTime.seed(seed, t)`. Default: `userstream`.
        public var seed = "userstream"
        /// Users each run asks for. Default: 100.
        public var usersPerRun = 100
        /// The longest one attempt may take. Default: 5 minutes.
        public var runTimeout: Duration = .seconds(300)
        /// Attempts after the first one failed. Default: 3.
        public var retries = 3
        /// The wait before each retry. Default: 10 s doubling up to 5 minutes, with full jitter.
        public var retryBackoff = Backoff(base: .seconds(10), cap: .seconds(300))
        /// Run the intervals missed while no scheduler ran. Default: false.
        public var catchUp = false
        /// The most missed intervals run by catch-up (the latest ones). Default: 100.
        public var maxCatchUp = 100
        /// Stop after the last fire time at or before this instant. Default: nil (until shutdown).
        public var until: Date?
        /// Stop after the last fire time within this long of the scheduler's start (when ``until`` is nil).
        /// Default: nil (until shutdown).
        public var duration: Duration?
        /// Stop once this many scheduled runs have ended, successful or failed (skipped fire times do not count).
        /// Default: nil (until shutdown).
        public var maxRuns: Int?

        /// A schedule with the defaults above.
        public init(trigger: ScheduleTrigger) {
            self.trigger = trigger
        }
    }

    /// Runs one attempt of a run: its ``ScheduledRun/users`` users from ``ScheduledRun/seed``, for its logical time.
    public typealias Execute = @Sendable (_ run: ScheduledRun) async throws -> ScheduledRunResult

    private let configuration: Configuration
    private let history: RunHistory
    private let clock: any SchedulerClock
    private let execute: Execute
    private let logger: Logger

    /// A scheduler.
    public init(
        configuration: Configuration, history: RunHistory, clock: any SchedulerClock = SystemSchedulerClock(),
        logger: Logger = Logger(label: "userstream.scheduler"), execute: @escaping Execute
    ) {
        self.configuration = configuration
        self.history = history
        self.clock = clock
        self.logger = logger
        self.execute = execute
    }

    public func run() async throws {
        let interrupted = try history.failInterrupted(at: clock.now.epochMilliseconds)
        if interrupted > 0 {
            logger.warning(
                "runs left unfinished by a stopped process are marked failed",
                metadata: ["runs": "\(interrupted)", "state": "\(history.path)"])
        }
        logger.info(
            "schedule started",
            metadata: ["trigger": "\(configuration.trigger)", "state": "\(history.path)", "catch_up": "\(configuration.catchUp)"])
        await cancelWhenGracefulShutdown {
            do {
                try await self.loop()
            } catch {
                // Only a cancelled wait ends the loop with an error: the shutdown asked for.
            }
        }
        let counts = (try? history.countsByState()) ?? [:]
        logger.info("schedule stopped", metadata: ["runs": "\(ScheduledRun.State.summary(counts))"])
    }

    private func loop() async throws {
        var position = clock.now
        let until = configuration.until ?? configuration.duration.map { position.addingTimeInterval($0.seconds) }
        if configuration.catchUp, let latest = try history.latestLogicalTime() {
            position = try await catchUp(after: Date(epochMilliseconds: latest), through: position)
        }
        var ended = 0
        while !Task.isCancelled {
            guard let due = configuration.trigger.next(after: position) else {
                logger.notice("the schedule has no further fire time", metadata: ["trigger": "\(configuration.trigger)"])
                return
            }
            if let until, due > until { return }
            try await clock.sleep(until: due)
            var run = try add(due, trigger: .schedule)
            try await perform(&run)
            position = due
            ended += 1
            if let maxRuns = configuration.maxRuns, ended >= maxRuns { return }
            // Fire times that passed while the run was active are recorded, not run.
            let overdue = configuration.trigger.fireTimes(after: due, through: clock.now, limit: 1000)
                .filter { time in until.map { time <= $0 } ?? true }
            for time in overdue {
                _ = try add(
                    time, trigger: .schedule, state: .skipped,
                    error: "skipped: the run for \(LogicalTime.text(due)) (id \(run.id)) was still active at this time")
            }
            if let last = overdue.last {
                logger.warning(
                    "fire times passed while a run was active were skipped",
                    metadata: ["skipped": "\(overdue.count)", "run": "\(run.id)", "last_skipped": "\(LogicalTime.text(last))"])
                position = last
            }
        }
    }

    /// Runs the missed fire times after `latest` up to `now`, oldest first (the latest ``maxCatchUp``), and again for
    /// those that passed meanwhile. Returns where the schedule goes on from.
    private func catchUp(after latest: Date, through now: Date) async throws -> Date {
        var position = latest
        var end = now
        while !Task.isCancelled {
            var missed = configuration.trigger.fireTimes(after: position, through: end, limit: Int.max / 2)
            if missed.isEmpty { break }
            if missed.count > configuration.maxCatchUp {
                logger.warning(
                    "more intervals were missed than catch-up runs; running the latest ones",
                    metadata: ["missed": "\(missed.count)", "max": "\(configuration.maxCatchUp)"])
                missed = Array(missed.suffix(configuration.maxCatchUp))
            }
            logger.info("catching up missed intervals", metadata: ["runs": "\(missed.count)"])
            var queued: [ScheduledRun] = []
            for time in missed {
                queued.append(try add(time, trigger: .catchUp))
            }
            for var run in queued {
                try await perform(&run)
            }
            position = missed.last ?? position
            end = clock.now
        }
        return max(position, now)
    }

    /// Records a run of `time` with this schedule's seed and users.
    private func add(
        _ time: Date, trigger: ScheduledRun.Trigger, state: ScheduledRun.State = .queued, error: String? = nil
    ) throws -> ScheduledRun {
        try history.add(
            logicalTime: time.epochMilliseconds, trigger: trigger, state: state, at: clock.now.epochMilliseconds,
            seed: LogicalTime.seed(configuration.seed, time), users: configuration.usersPerRun, error: error)
    }

    /// Re-runs a recorded run for its logical time (any state but `running`), with the same retries; returns it as it
    /// ended.
    public func rerun(id: Int64) async throws -> ScheduledRun {
        guard var run = try history.run(id: id) else {
            throw RunHistoryError("no run \(id) in the run history \(history.path)")
        }
        if run.state == .running {
            throw RunHistoryError("run \(id) is running; wait for it to end")
        }
        run.trigger = .rerun
        run.error = nil
        try await perform(&run)
        return run
    }

    /// Runs `run`'s attempts and records each step; ends with the run `success` or `failed`.
    private func perform(_ run: inout ScheduledRun) async throws {
        let logicalTime = run.logicalDate
        run.state = .running
        run.startedAt = clock.now.epochMilliseconds
        run.endedAt = nil
        let firstAttempt = run.attempts + 1
        var failures = 0
        while true {
            run.attempts += 1
            try history.update(run)
            let metadata: Logger.Metadata = [
                "run": "\(run.id)", "logical_time": "\(LogicalTime.text(logicalTime))", "attempt": "\(run.attempts)",
            ]
            do {
                let execute = self.execute
                let attempt = run
                let result = try await withTimeout(configuration.runTimeout, waitingFor: "the run") {
                    try await execute(attempt)
                }
                run.state = .success
                run.fetched = result.fetched
                run.produced = result.produced
                run.error = nil
                run.endedAt = clock.now.epochMilliseconds
                try history.update(run)
                logger.info("run succeeded", metadata: metadata.merging(["produced": "\(result.produced)"]) { $1 })
                return
            } catch {
                if Task.isCancelled {
                    try finish(&run, error: "interrupted: the scheduler stopped during the run; re-run it with "
                        + "userstream runs rerun \(run.id)")
                    return
                }
                failures += 1
                run.error =
                    error is TimeoutError
                    ? "the attempt took longer than schedule.run-timeout (\(DurationText.format(configuration.runTimeout))); "
                        + "raise --run-timeout or lower --users-per-run"
                    : Self.oneLine(error)
                guard run.attempts - firstAttempt < configuration.retries else { break }
                let delay = configuration.retryBackoff.delay(forAttempt: failures)
                logger.warning(
                    "run attempt failed; retrying",
                    metadata: metadata.merging(["error": "\(run.error ?? "")", "retry_in_s": "\(delay.seconds)"]) { $1 })
                try history.update(run)
                do {
                    try await clock.sleep(until: clock.now.addingTimeInterval(delay.seconds))
                } catch {
                    try finish(&run, error: "interrupted before its retry: \(run.error ?? ""); re-run it with "
                        + "userstream runs rerun \(run.id)")
                    return
                }
            }
        }
        let reason = run.error ?? "unknown"
        try finish(&run, error: reason)
        logger.error(
            "run failed after its retries; the schedule goes on",
            metadata: [
                "run": "\(run.id)", "logical_time": "\(LogicalTime.text(logicalTime))", "attempts": "\(run.attempts)",
                "error": "\(reason)",
            ])
    }

    private func finish(_ run: inout ScheduledRun, error: String) throws {
        run.state = .failed
        run.error = error
        run.endedAt = clock.now.epochMilliseconds
        try history.update(run)
    }

    /// An error as one line.
    static func oneLine(_ error: any Error) -> String {
        "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
