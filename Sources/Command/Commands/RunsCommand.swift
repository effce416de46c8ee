import ArgumentParser
import Foundation
import Pipeline

/// `userstream runs`: the schedule's run history.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the schedule's runs, or re-run one by id.",
        version: UserStreamCommand.version,
        subcommands: [List.self, Rerun.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List runs, newest first: id, logical time, trigger, state, attempts, users, error.",
            version: UserStreamCommand.version)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var history: HistoryOptions
        @Option(name: .customLong("status"), help: "Only runs in this state: queued, running, success, failed, skipped.")
        var status: String?
        @Option(name: .long, help: "Only runs whose logical time is at or after this RFC 3339 time.")
        var since: String?
        @Option(name: .long, help: "Show at most this many. Default: 20.")
        var limit = 20
        @Flag(name: .long, help: "One JSON object per run and line, for scripts.")
        var json = false

        func validate() throws {
            if let status, ScheduledRun.State(rawValue: status) == nil {
                throw ValidationError("--status: '\(status)' must be one of "
                    + ScheduledRun.State.allCases.map(\.rawValue).joined(separator: ", "))
            }
            if let since, LogicalTime.parse(since) == nil {
                throw ValidationError("--since: '\(since)' must be an RFC 3339 time such as 2026-12-06T00:00:00Z")
            }
            if limit < 1 { throw ValidationError("--limit: '\(limit)' must be an integer of at least 1") }
        }

        func run() async throws {
            let configuration = try global.load(history)
            let runs: [ScheduledRun]
            do {
                let history = try RunHistory(path: configuration.schedule.state, create: false)
                runs = try history.list(
                    state: status.flatMap(ScheduledRun.State.init(rawValue:)),
                    since: since.flatMap(LogicalTime.parse)?.epochMilliseconds,
                    limit: limit)
            } catch let error as RunHistoryError {
                throw CommandFailure(error.description)
            }
            if json {
                for run in runs { print(Self.json(run)) }
                return
            }
            var rows = [["id", "logical time", "trigger", "state", "attempts", "produced", "took", "error"]]
            for run in runs {
                var took: String?
                if let start = run.startedAt, let end = run.endedAt {
                    took = DurationText.format(.milliseconds(max(0, end - start)))
                }
                rows.append([
                    "\(run.id)", LogicalTime.text(run.logicalDate), run.trigger.rawValue, run.state.rawValue,
                    "\(run.attempts)", "\(run.produced)/\(run.users)", took ?? "-", run.error ?? "",
                ])
            }
            print(Self.table(rows), terminator: "")
        }

        /// Left-aligned columns two spaces apart; the last column is not padded.
        static func table(_ rows: [[String]]) -> String {
            let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
            return rows.map { row in
                row.enumerated().map { column, cell in
                    column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                }.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
            }.joined()
        }

        /// One run as a JSON object on one line.
        static func json(_ run: ScheduledRun) -> String {
            var object: [String: Any] = [
                "id": run.id, "logical_time": LogicalTime.text(run.logicalDate), "trigger": run.trigger.rawValue,
                "state": run.state.rawValue, "attempts": run.attempts, "seed": run.seed, "users": run.users,
                "fetched": run.fetched, "produced": run.produced, "queued_at": LogicalTime.text(Date(epochMilliseconds: run.queuedAt)),
            ]
            if let started = run.startedAt { object["started_at"] = LogicalTime.text(Date(epochMilliseconds: started)) }
            if let ended = run.endedAt { object["ended_at"] = LogicalTime.text(Date(epochMilliseconds: ended)) }
            if let error = run.error { object["error"] = error }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }

    struct Rerun: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a recorded run again for its logical time (the same users), with the schedule's retries.",
            version: UserStreamCommand.version)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var source: SourceOptions
        @OptionGroup var kafka: KafkaOptions
        @OptionGroup var schedule: ScheduleOptions
        @Argument(help: "The run's id (see `userstream runs`).") var id: Int64

        func run() async throws {
            let configuration = try global.load(source, kafka, schedule)
            let builder = PipelineBuilder(configuration: configuration, parts: .ingest)
            let run: ScheduledRun
            do {
                run = try await builder.rerun(id: id)
            } catch let error as RunHistoryError {
                throw CommandFailure(error.description)
            }
            print("run \(run.id) \(run.state.rawValue) after \(run.attempts) attempts: produced \(run.produced)"
                + (run.error.map { " (\($0))" } ?? ""))
            if run.state != .success { throw ExitCode(1) }
        }
    }
}
