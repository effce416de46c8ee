import Bench
import ArgumentParser
import Foundation
import Logging
import Pipeline

/// Options every `bench` scenario has.
struct BenchCommonOptions: ParsableArguments {
    @Option(name: .long, help: "Fraction of bad records in the generated input (0...1). Default: 0.02.")
    var badFraction: Double = 0.02

    @Option(name: .long, help: "Folder for temporary files (inputs, SQLite stores). Default: the system's temporary folder.")
    var tmpDir: String?

    @Option(name: .long, help: "Log level of the pipeline's components. Default: warning.")
    var logLevel: String = "warning"

    /// The temporary folder.
    var folder: String {
        tmpDir ?? FileManager.default.temporaryDirectory.path
    }

    func validateFraction() throws {
        guard (0...1).contains(badFraction) else { throw ValidationError("--bad-fraction must be from 0 to 1") }
    }

    /// Installs the text log handler at `--log-level` (once per process).
    func bootstrapLogging() throws {
        guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
            throw ValidationError("--log-level: '\(logLevel)' is not a log level")
        }
        LogFormat.text.bootstrap(level: level)
    }
}

/// A benchmark scenario that `bench all` can run.
protocol BenchScenario {
    /// Runs the scenario and returns its figures.
    func measure() async throws -> BenchReport
}

/// How scenarios print.
enum BenchOutput {
    /// The machine line, printed once before the figures.
    static func machineLine() -> String {
        "machine: \(BenchMachine.current()); load average \(BenchFormat.number(BenchResources.loadAverage()))"
            + (BenchResources.cpuPressure().map { ", CPU pressure \(BenchFormat.number($0))% (time runnable tasks waited for a core)" } ?? "")
    }

    /// Bootstraps logging, runs one scenario and prints the machine and its report.
    static func runOne(_ scenario: some BenchScenario, common: BenchCommonOptions) async throws {
        try common.validateFraction()
        try common.bootstrapLogging()
        print(machineLine())
        let report = try await scenario.measure()
        print(report.text)
    }

    /// Parses `30s`, `500ms`, `2m` with the settings' duration syntax.
    static func duration(_ text: String, option: String) throws -> Duration {
        guard let duration = DurationText.parse(text) else {
            throw ValidationError("\(option): '\(text)' is not a duration such as 30s or 500ms")
        }
        return duration
    }
}
