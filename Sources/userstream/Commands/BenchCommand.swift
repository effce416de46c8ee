import ArgumentParser

/// `userstream bench`: the benchmarks (issue: speed and memory).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run the benchmarks and print users/s, MB/s, latency percentiles and peak memory.",
        version: UserStreamCommand.version,
        subcommands: []
    )
}
