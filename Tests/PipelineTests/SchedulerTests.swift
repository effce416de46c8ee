import Cron
import Foundation
import Kafka
import Logging
import NIOConcurrencyHelpers
import Pipeline
import ServiceLifecycle
import Synchronization
import TestWaiting
import Testing

/// A wall clock that moves only when told to, or when the scheduler sleeps (a sleep returns at once, at its
/// deadline): a day of schedule runs in milliseconds, and each run sees exactly the time it would.
final class VirtualSchedulerClock: SchedulerClock {
    private let instant: Mutex<Date>

    init(_ start: Date) {
        instant = Mutex(start)
    }

    var now: Date { instant.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        instant.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    func sleep(until deadline: Date) async throws {
        try Task.checkCancellation()
        instant.withLock { $0 = max($0, deadline) }
        await Task.yield()
    }
}

/// What the scheduler asked to run, in order.
final class RunLog: Sendable {
    private let times = Mutex<[Date]>([])
    var all: [Date] { times.withLock { $0 } }
    func append(_ time: Date) { times.withLock { $0.append(time) } }
}

/// An attempt that succeeds with one user.
let succeed: @Sendable (Date, RunLog, VirtualSchedulerClock) async throws -> ScheduledRunResult = { _, _, _ in
    ScheduledRunResult(fetched: 1, produced: 1)
}

/// An attempt that never finishes by itself: it waits on a stream nothing writes to, until the run timeout cancels it.
func hangUntilCancelled() async throws {
    let (stream, continuation) = AsyncStream<Void>.makeStream()
    for await _ in stream {}
    continuation.finish()
    try Task.checkCancellation()
}

struct SchedulerTestError: Error, CustomStringConvertible {
    var description: String
}

@Suite("Scheduler: fire times, overlaps, retries, catch-up, re-runs and the run history")
struct SchedulerTests {
    /// 2026-12-06T00:00:30Z.
    let start = Date(timeIntervalSince1970: 1_796_515_230)

    private func history() throws -> RunHistory {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("runs-\(UUID().uuidString).sqlite").path
        return try RunHistory(path: path)
    }

    private func time(_ text: String) -> Date {
        LogicalTime.parse(text)!
    }

    /// A schedule of `every` seconds on a virtual clock starting at `start`, run to `until` (its last fire time):
    /// each attempt is logged, then `attempt` decides it. Retries wait 10 s, 20 s, …
    /// without jitter.
    private func schedule(
        from start: Date? = nil, history: RunHistory? = nil, every seconds: Int64 = 60, until: String,
        logger: Logger = Logger(label: "test.scheduler"),
        configure change: (inout Scheduler.Configuration) -> Void = { _ in },
        attempt: @escaping @Sendable (_ time: Date, _ log: RunLog, _ clock: VirtualSchedulerClock) async throws ->
            ScheduledRunResult
    ) async throws -> (history: RunHistory, log: RunLog, scheduler: Scheduler) {
        var configuration = Scheduler.Configuration(trigger: try .interval(.seconds(seconds)))
        configuration.until = time(until)
        configuration.retryBackoff = .init(base: .seconds(10), cap: .seconds(60), jitter: .none)
        change(&configuration)
        let clock = VirtualSchedulerClock(start ?? self.start)
        let history = try history ?? self.history()
        let log = RunLog()
        let scheduler = Scheduler(configuration: configuration, history: history, clock: clock, logger: logger) { run in
            log.append(run.logicalDate)
            return try await attempt(run.logicalDate, log, clock)
        }
        try await scheduler.run()
        return (history, log, scheduler)
    }

    /// Fire times of 2026-12-06, e.g. `["00:01", "00:02"]`.
    private func times(_ clockTimes: [String]) -> [Date] {
        clockTimes.map { time("2026-12-06T\($0):00Z") }
    }

    @Test("each fire time runs once, for its own logical time, and is recorded success with its counts")
    func runsEachFireTime() async throws {
        let (history, log, _) = try await schedule(until: "2026-12-06T00:05:00Z") { _, _, _ in
            ScheduledRunResult(fetched: 10, produced: 10)
        }
        let expected = times(["00:01", "00:02", "00:03", "00:04", "00:05"])
        #expect(log.all == expected)
        let runs = try history.list(limit: 100).sorted { $0.id < $1.id }
        #expect(runs.map(\.logicalDate) == expected)
        #expect(runs.allSatisfy { $0.state == .success && $0.attempts == 1 && $0.produced == 10 && $0.error == nil })
        #expect(runs.allSatisfy { $0.trigger == .schedule && $0.startedAt != nil && $0.endedAt != nil })
        #expect(runs.allSatisfy { $0.users == 100 && $0.seed == LogicalTime.seed("userstream", $0.logicalDate) })
    }

    @Test("duration: the schedule stops after the last fire time within that long of its start (schedule --duration)")
    func stopsAfterDuration() async throws {
        // From 00:00:30, 150 s reach 00:03:00: the fire times 00:01, 00:02 and 00:03, not 00:04 (maxRuns 10 only
        // keeps a schedule that ignored the duration from running forever on the virtual clock).
        let (_, log, _) = try await schedule(until: "2026-12-06T01:00:00Z", configure: { $0.until = nil; $0.duration = .seconds(150); $0.maxRuns = 10 }) {
            _, _, _ in ScheduledRunResult(fetched: 1, produced: 1)
        }
        #expect(log.all == times(["00:01", "00:02", "00:03"]))
    }

    @Test("maxRuns: the schedule stops once that many runs have ended, failed ones included, skipped ones not")
    func stopsAfterMaxRuns() async throws {
        let (history, log, _) = try await schedule(until: "2026-12-06T01:00:00Z", configure: { $0.maxRuns = 3; $0.retries = 0 }) {
            _, log, clock in
            // The first run takes 2.5 minutes (00:02 and 00:03 are skipped); the second fails.
            if log.all.count == 1 { clock.advance(by: 150) }
            if log.all.count == 2 { throw SchedulerTestError(description: "source down") }
            return ScheduledRunResult(fetched: 5, produced: 5)
        }
        #expect(log.all == times(["00:01", "00:04", "00:05"]))
        let runs = try history.list(limit: 100).sorted { $0.logicalTime < $1.logicalTime }
        #expect(runs.map(\.state) == [.success, .skipped, .skipped, .failed, .success])
    }

    @Test("a run still active at the next fire times makes them skipped and recorded, not stacked")
    func overdueTicksAreSkipped() async throws {
        let (history, log, _) = try await schedule(until: "2026-12-06T00:05:00Z") { _, log, clock in
            // The first run takes 2.5 minutes: the fire times at 00:02 and 00:03 pass while it is active.
            if log.all.count == 1 { clock.advance(by: 150) }
            return ScheduledRunResult(fetched: 5, produced: 5)
        }
        #expect(log.all == times(["00:01", "00:04", "00:05"]))
        let runs = try history.list(limit: 100).sorted { $0.logicalTime < $1.logicalTime }
        #expect(runs.map(\.state) == [.success, .skipped, .skipped, .success, .success])
        let skipped = runs.filter { $0.state == .skipped }
        #expect(skipped.allSatisfy { $0.attempts == 0 && ($0.error ?? "").contains("still active") })
        #expect(try history.countsByState() == [.success: 3, .skipped: 2])
    }

    @Test("a failing attempt is retried with backoff; a run that fails every attempt records its error and the schedule goes on")
    func retries() async throws {
        let (history, log, _) = try await schedule(until: "2026-12-06T00:03:00Z", configure: { $0.retries = 2 }) { time, log, _ in
            switch LogicalTime.text(time) {
            case "2026-12-06T00:01:00Z" where log.all.count < 3:
                throw SchedulerTestError(description: "source: HTTP 503\nService Unavailable")
            case "2026-12-06T00:02:00Z":
                throw SchedulerTestError(description: "source: connection refused")
            default:
                return ScheduledRunResult(fetched: 7, produced: 7)
            }
        }
        let runs = try history.list(limit: 100).sorted { $0.logicalTime < $1.logicalTime }
        try #require(runs.map(\.state) == [.success, .failed, .success])
        // 00:01 succeeded on its third attempt (two retries), 10 s and then 20 s after the failures.
        #expect(runs[0].attempts == 3)
        #expect(runs[0].error == nil)
        let first = try #require(runs[0].startedAt)
        #expect(try #require(runs[0].endedAt) - first == 30_000)
        // 00:02 failed all three attempts; the error is one line; 00:03 ran after it.
        #expect(runs[1].attempts == 3)
        #expect(runs[1].error == "source: connection refused")
        #expect(runs[2].attempts == 1)
        #expect(log.all.filter { LogicalTime.text($0) == "2026-12-06T00:02:00Z" }.count == 3)
    }

    @Test("an attempt longer than the run timeout fails with a timeout and is retried")
    func runTimeout() async throws {
        let lines = NIOLockedValueBox<[String]>([])
        let (history, log, _) = try await schedule(
            until: "2026-12-06T00:01:00Z", logger: Logger(label: "test.scheduler") { _ in CapturingLogHandler(lines: lines) },
            configure: {
                $0.runTimeout = .milliseconds(100)
                $0.retries = 1
            }
        ) { _, log, _ in
            if log.all.count == 1 { try await hangUntilCancelled() }
            return ScheduledRunResult(fetched: 1, produced: 1)
        }
        let run = try #require(try history.list(limit: 10).first)
        #expect(run.state == .success)
        #expect(run.attempts == 2)
        #expect(log.all.count == 2)
        let warning = try #require(lines.withLockedValue { $0 }.first { $0.contains("run attempt failed") })
        #expect(warning.contains("longer than schedule.run-timeout (100ms)"))
    }

    @Test("catch-up runs the intervals missed after the latest recorded one, oldest first; off, they are not run")
    func catchUp() async throws {
        for enabled in [true, false] {
            // The last process ran 00:01 and stopped; this one starts at 00:05:30.
            let history = try history()
            _ = try history.add(
                logicalTime: time("2026-12-06T00:01:00Z").epochMilliseconds, trigger: .schedule, state: .success, at: 0)
            let (_, log, _) = try await schedule(
                from: time("2026-12-06T00:05:30Z"), history: history, until: "2026-12-06T00:07:00Z", configure: { $0.catchUp = enabled },
                attempt: succeed)

            let missed = times(["00:02", "00:03", "00:04", "00:05"])
            #expect(log.all == (enabled ? missed : []) + times(["00:06", "00:07"]), "catch-up \(enabled)")
            let catchUps = try history.list(limit: 100).filter { $0.trigger == .catchUp }
            #expect(catchUps.count == (enabled ? 4 : 0))
            #expect(catchUps.allSatisfy { $0.state == .success })
        }
    }

    @Test("catch-up after a long downtime runs only the latest intervals, at most maxCatchUp")
    func catchUpIsBounded() async throws {
        let history = try history()
        _ = try history.add(
            logicalTime: time("2026-12-06T00:00:00Z").epochMilliseconds, trigger: .schedule, state: .success, at: 0)
        // 600 minutes missed.
        let (_, log, _) = try await schedule(
            from: time("2026-12-06T10:00:30Z"), history: history, until: "2026-12-06T10:00:30Z",
            configure: {
                $0.catchUp = true
                $0.maxCatchUp = 3
            }, attempt: succeed)
        #expect(log.all == times(["09:58", "09:59", "10:00"]))
    }

    @Test("a failed run re-run by id produces its own logical time again and ends success")
    func rerun() async throws {
        let healthy = Atomic<Bool>(false)
        let (history, log, scheduler) = try await schedule(until: "2026-12-06T00:01:00Z", configure: { $0.retries = 0 }) { _, _, _ in
            guard healthy.load(ordering: .relaxed) else { throw SchedulerTestError(description: "broker down") }
            return ScheduledRunResult(fetched: 4, produced: 4)
        }
        let failed = try #require(try history.list(state: .failed, limit: 10).first)
        #expect(failed.error == "broker down")

        healthy.store(true, ordering: .relaxed)
        let rerun = try await scheduler.rerun(id: failed.id)
        #expect(rerun.id == failed.id)
        #expect(rerun.state == .success)
        #expect(rerun.trigger == .rerun)
        #expect(rerun.attempts == 2)
        #expect(rerun.produced == 4)
        #expect(log.all == times(["00:01", "00:01"]))
        #expect(try history.run(id: failed.id) == rerun)
        await #expect(throws: RunHistoryError.self) { _ = try await scheduler.rerun(id: 999) }
    }

    @Test("runs left running by a killed process are marked failed on start, with how to re-run them")
    func interruptedRuns() async throws {
        let history = try history()
        let stale = try history.add(
            logicalTime: time("2026-12-06T00:00:00Z").epochMilliseconds, trigger: .schedule, state: .running, at: 0)
        _ = try await schedule(history: history, until: "2026-12-06T00:00:00Z", attempt: succeed)
        let run = try #require(try history.run(id: stale.id))
        #expect(run.state == .failed)
        #expect(run.error?.contains("userstream runs rerun \(stale.id)") == true)
    }

    @Test("a graceful shutdown ends the wait for the next fire time at once")
    func shutdownEndsTheWait() async throws {
        let history = try history()
        let lines = NIOLockedValueBox<[String]>([])
        let scheduler = Scheduler(
            configuration: Scheduler.Configuration(trigger: try .interval(.seconds(3600))), history: history,
            logger: Logger(label: "test.scheduler") { _ in CapturingLogHandler(lines: lines) }
        ) { _ in ScheduledRunResult(fetched: 0, produced: 0) }
        let group = ServiceGroup(services: [scheduler], logger: .init(label: "test"))
        let finished = Atomic<Bool>(false)
        let running = Task {
            try await group.run()
            finished.store(true, ordering: .releasing)
        }
        // The scheduler is waiting for its next fire time, an hour away.
        #expect(await eventually(within: .seconds(30)) { lines.withLockedValue { $0 }.contains { $0.contains("schedule started") } })
        await group.triggerGracefulShutdown()
        let ended = await eventually(within: .seconds(30)) { finished.load(ordering: .acquiring) }
        #expect(ended)
        if !ended { running.cancel() }
        try await running.value
        #expect(try history.list(limit: 10).isEmpty)
    }

    @Test("the same logical time gives the same seed; another time another seed")
    func logicalTimeSeeds() {
        let a = time("2026-12-06T00:00:00Z")
        #expect(LogicalTime.seed("userstream", a) == "userstream-20261206T000000Z")
        #expect(LogicalTime.seed("userstream", time("2026-12-06T01:00:00+01:00")) == LogicalTime.seed("userstream", a))
        #expect(LogicalTime.seed("userstream", a.addingTimeInterval(60)) != LogicalTime.seed("userstream", a))
        #expect(LogicalTime.parse("yesterday") == nil)
    }
}
