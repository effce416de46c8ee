import Bench
import ArgumentParser

/// `userstream bench`: the benchmarks (issue: speed and memory).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run the benchmarks and print users/s, MB/s, latency percentiles and peak memory.",
        discussion: """
            Each scenario generates its own input (synthetic RandomUser-shaped users, 2% bad records by default) and \
            prints its figures beside the issue's target and the Spark-era anchor, with the machine it ran on. \
            Build with -c release first (scripts/bench.sh does). See docs/performance.md.
            """,
        version: UserStreamCommand.version,
        subcommands: [
            BenchTransformCommand.self,
            BenchContractCommand.self,
            BenchRunCommand.self,
            BenchLatencyCommand.self,
            BenchProduceCommand.self,
            BenchConsumeCommand.self,
            BenchCassandraCommand.self,
            BenchStoreCommand.self,
            BenchAllCommand.self,
        ]
    )
}
