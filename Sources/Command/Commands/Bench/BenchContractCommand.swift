import Bench
import ArgumentParser
import Pipeline

/// `userstream bench contract`: the contract stage alone, one core, in-memory messages.
struct BenchContractCommand: AsyncParsableCommand, BenchScenario {
    static let configuration = CommandConfiguration(
        commandName: "contract",
        abstract: "The contract stage alone on one core (bytes in → row or reject): users/s. Target ≥ 200,000."
    )

    @OptionGroup var common: BenchCommonOptions

    @Option(name: .long, help: "Messages. Default: 200000.")
    var count: Int = 200_000

    func measure() async throws -> BenchReport {
        var configuration = ContractBenchmark.Configuration()
        configuration.count = count
        configuration.badFraction = common.badFraction
        configuration.warmUp = min(10_000, count)
        return ContractBenchmark(configuration: configuration).report()
    }

    func run() async throws {
        try await BenchOutput.runOne(self, common: common)
    }
}
