import Bench
import ArgumentParser
import Foundation
import Pipeline

/// `userstream bench cassandra`: the CQL store against the Python driver, when `CASSANDRA_HOST` is set.
struct BenchCassandraCommand: AsyncParsableCommand, BenchScenario {
    static let configuration = CommandConfiguration(
        commandName: "cassandra",
        abstract: "Rows/s written by the Swift CQL client vs the Python cassandra-driver's execute_concurrent.",
        discussion: """
            Runs when CASSANDRA_HOST (host or host:port) is set; otherwise prints why it is skipped. Both clients \
            write the same synthetic rows into their own table of keyspace userstream_bench on that node. The \
            Python side needs 'pip install cassandra-driver'. Target: the Swift client ≥ 3× faster.
            """
    )

    @OptionGroup var common: BenchCommonOptions

    @Option(name: .long, help: "Rows each client writes. Default: 100000.")
    var count: Int = 100_000

    @Option(name: .long, help: "Writes in flight. Default: 256.")
    var concurrency: Int = 256

    @Option(name: .long, help: "The Python script. Default: scripts/bench_cassandra_driver.py (beside the binary's repository when not in the current folder).")
    var script: String?

    /// The script: the option, else `scripts/bench_cassandra_driver.py` in the current folder, else in the repository
    /// this binary was built in (`<repo>/.build*/release/userstream`).
    func scriptPath() -> String {
        if let script { return script }
        let relative = "scripts/bench_cassandra_driver.py"
        if FileManager.default.fileExists(atPath: relative) { return relative }
        let binary = URL(fileURLWithPath: BenchChildProcess.currentExecutable())
        var folder = binary.deletingLastPathComponent()
        for _ in 0..<4 {
            folder = folder.deletingLastPathComponent()
            let candidate = folder.appendingPathComponent(relative).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return relative
    }

    func measure() async throws -> BenchReport {
        guard let host = ProcessInfo.processInfo.environment["CASSANDRA_HOST"], !host.isEmpty else {
            return .skipped("cassandra", reason: "CASSANDRA_HOST is not set (e.g. CASSANDRA_HOST=127.0.0.1:9042)")
        }
        var configuration = CassandraComparisonBenchmark.Configuration()
        configuration.host = host
        configuration.count = count
        configuration.concurrency = concurrency
        configuration.scriptPath = scriptPath()
        // Credentials as the pipeline reads them: USERSTREAM_CASSANDRA_USERNAME and the password variable or file.
        configuration.credentials = try ConfigurationLoader().load().store.credentials
        return try await CassandraComparisonBenchmark(configuration: configuration).report()
    }

    func run() async throws {
        try await BenchOutput.runOne(self, common: common)
    }
}
