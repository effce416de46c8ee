import Bench
import ArgumentParser
import Pipeline

/// `userstream bench run`: `userstream run` end to end in a child process.
struct BenchRunCommand: AsyncParsableCommand, BenchScenario {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "'userstream run' end to end (embedded broker + SQLite) in a child process: users/s, peak RSS.",
        discussion: "Target: ≥ 50,000 users/s sustained for 1,000,000 users, ≤ 200 MB. Arguments after -- go to 'run'."
    )

    @OptionGroup var common: BenchCommonOptions

    @Option(name: .long, help: "Users. Default: 1000000.")
    var count: Int = 1_000_000

    @Option(name: .long, help: "Runs; the figures are the median run's, with every run's range in a note. Default: 1.")
    var `repeat`: Int = 1

    @Argument(parsing: .postTerminator, help: "Extra arguments for 'run', after --.")
    var extra: [String] = []

    func measure() async throws -> BenchReport {
        var configuration = RunBenchmark.Configuration()
        configuration.count = count
        configuration.badFraction = common.badFraction
        configuration.extraArguments = extra
        return try RunBenchmark(configuration: configuration)
            .report(executable: BenchChildProcess.currentExecutable(), folder: common.folder, repeats: self.`repeat`)
    }

    func run() async throws {
        try await BenchOutput.runOne(self, common: common)
    }
}
