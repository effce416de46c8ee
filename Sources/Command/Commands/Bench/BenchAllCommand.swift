import Bench
import ArgumentParser
import Pipeline

/// `userstream bench all`: every scenario in sequence, then a summary table.
struct BenchAllCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Run every scenario in sequence (cassandra only with CASSANDRA_HOST) and print a summary table.",
        discussion: "--scale shrinks every count (e.g. 0.1 for a quick look); the latency scenario keeps its rate."
    )

    @OptionGroup var common: BenchCommonOptions

    @Option(name: .long, help: "Multiplier of every scenario's count (and of the latency duration). Default: 1.")
    var scale: Double = 1

    @Option(name: .long, help: "Measured duration of the latency scenario. Default: 30s.")
    var latencyDuration: String = "30s"

    func run() async throws {
        try common.validateFraction()
        try common.bootstrapLogging()
        guard scale > 0 else { throw ValidationError("--scale must be above 0") }
        print(BenchOutput.machineLine())
        func scaled(_ count: Int) -> Int { max(1000, Int(Double(count) * scale)) }

        var transform = try BenchTransformCommand.parse([])
        transform.common = common
        transform.count = scaled(1_000_000)
        var contract = try BenchContractCommand.parse([])
        contract.common = common
        contract.count = scaled(200_000)
        var runScenario = try BenchRunCommand.parse([])
        runScenario.common = common
        runScenario.count = scaled(1_000_000)
        var latency = try BenchLatencyCommand.parse([])
        latency.common = common
        let seconds = (try BenchOutput.duration(latencyDuration, option: "--latency-duration")).seconds
        latency.duration = "\(max(2, Int((seconds * min(scale, 1)).rounded())))s"
        var produce = try BenchProduceCommand.parse([])
        produce.common = common
        produce.kafka.count = scaled(1_000_000)
        var consume = try BenchConsumeCommand.parse([])
        consume.common = common
        consume.kafka.count = scaled(1_000_000)
        var store = try BenchStoreCommand.parse([])
        store.common = common
        store.count = scaled(1_000_000)
        var cassandra = try BenchCassandraCommand.parse([])
        cassandra.common = common
        cassandra.count = scaled(100_000)

        let scenarios: [(String, any BenchScenario)] = [
            ("contract", contract), ("transform", transform), ("run", runScenario), ("store", store), ("latency", latency),
            ("produce", produce), ("consume", consume), ("cassandra", cassandra),
        ]
        var reports: [BenchReport] = []
        for (name, scenario) in scenarios {
            do {
                let report = try await scenario.measure()
                print(report.text)
                reports.append(report)
            } catch {
                let failed = BenchReport.skipped(name, reason: "failed: \(error)")
                print(failed.text)
                reports.append(failed)
            }
        }
        print("")
        print("Summary (\(BenchMachine.current()))")
        print(BenchReport.summaryTable(reports))
    }
}
