import Pipeline
import Foundation
import CQL
import Stores

/// Rows per second written to one Cassandra node by the Swift CQL client (``CassandraBenchmark``, many writes in
/// flight) and, in the same run against the same node, by the Python `cassandra-driver`'s `execute_concurrent`
/// (`scripts/bench_cassandra_driver.py`), each into its own table of the same schema.
public struct CassandraComparisonBenchmark: Sendable {
    /// Where Cassandra is and what to write.
    public struct Configuration: Sendable {
        /// The node, `host` or `host:port` (the `CASSANDRA_HOST` variable). Default: `127.0.0.1`.
        public var host = "127.0.0.1"
        /// The keyspace both tables go in (created with replication factor 1). Default: `userstream_bench`.
        public var keyspace = "userstream_bench"
        /// Rows each client writes. Default: 100,000.
        public var count = 100_000
        /// Writes in flight at once, for both clients. Default: 256.
        public var concurrency = 256
        /// The Python script. Default: `scripts/bench_cassandra_driver.py`.
        public var scriptPath = "scripts/bench_cassandra_driver.py"
        /// The Python interpreter. Default: `python3` (looked up on `PATH`).
        public var python = "python3"
        /// The Cassandra username and password, from the pipeline configuration. Default: nil.
        public var credentials: CQLCredentials?

        /// The defaults above.
        public init() {}
    }

    /// The Python side could not run or its output could not be read.
    public struct DriverError: Error, CustomStringConvertible {
        /// `driver_missing`, `driver_failed` or `output_unreadable`.
        public var code: String
        /// What the script printed.
        public var output: String
        public var description: String { "\(code): \(output.suffix(1500))" }
    }

    /// The configuration.
    public var configuration: Configuration

    /// Creates the benchmark.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// `host` and `port` of ``Configuration/host``.
    var hostAndPort: (host: String, port: Int) {
        let parts = configuration.host.split(separator: ":")
        if parts.count == 2, let port = Int(parts[1]) { return (String(parts[0]), port) }
        return (configuration.host, 9042)
    }

    /// Writes with the Swift client into `<keyspace>.users_swift`.
    public func runSwift() async throws -> CassandraBenchmark.Result {
        let (host, port) = hostAndPort
        var storeConfiguration = CassandraUserStore.Configuration(
            contactPoints: [host], port: port, keyspace: configuration.keyspace, table: "users_swift",
            consistency: .one, maximumInFlightWrites: configuration.concurrency)
        storeConfiguration.credentials = configuration.credentials
        let store = try CassandraUserStore(configuration: storeConfiguration)
        do {
            try await store.prepare()
            let result = try await CassandraBenchmark.run(
                store: store, rows: configuration.count, concurrency: configuration.concurrency)
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// Runs the Python script into `<keyspace>.users_python`; returns rows per second and seconds.
    public func runPython() throws -> (rowsPerSecond: Double, seconds: Double) {
        let (host, port) = hostAndPort
        let child = try BenchChildProcess(
            executable: "/usr/bin/env",
            arguments: [
                configuration.python, configuration.scriptPath, "--host", host, "--port", String(port),
                "--keyspace", configuration.keyspace, "--table", "users_python", "--count", String(configuration.count),
                "--concurrency", String(configuration.concurrency), "--userstream", BenchChildProcess.currentExecutable(),
            ]
        ).run()
        if child.status == 3 { throw DriverError(code: "driver_missing", output: child.standardError) }
        guard child.status == 0 else { throw DriverError(code: "driver_failed", output: child.standardError) }
        // The script's last line: {"rows": N, "seconds": S, "rows_per_second": R}
        guard let line = child.standardOutput.split(separator: "\n").last,
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let rate = object["rows_per_second"] as? Double, let seconds = object["seconds"] as? Double
        else { throw DriverError(code: "output_unreadable", output: child.standardOutput + child.standardError) }
        return (rate, seconds)
    }

    /// Runs both and reports the Swift rate, the Python rate and the ratio against the 3× target.
    public func report() async throws -> BenchReport {
        let swift = try await runSwift()
        var figures = [
            BenchFigure("Swift CQL client", swift.rowsPerSecond, unit: "rows/s"),
            BenchFigure("Swift write p99", swift.p99Milliseconds, unit: "ms", direction: .lowerIsBetter),
        ]
        var notes: [String] = []
        do {
            let python = try runPython()
            figures.append(BenchFigure("Python execute_concurrent", python.rowsPerSecond, unit: "rows/s"))
            figures.append(
                BenchFigure(
                    "speed-up", python.rowsPerSecond > 0 ? swift.rowsPerSecond / python.rowsPerSecond : 0, unit: "×",
                    target: BenchTargets.cassandraSpeedup))
        } catch let error as DriverError where error.code == "driver_missing" {
            notes.append("Python side skipped: cassandra-driver is not installed (pip install cassandra-driver)")
        }
        return BenchReport(
            scenario: "cassandra",
            figures: figures,
            setup: [
                "\(configuration.count) rows each, \(configuration.concurrency) writes in flight, consistency ONE, node \(configuration.host), "
                    + "keyspace \(configuration.keyspace) (tables users_swift, users_python)",
                "python: \(configuration.python) \(configuration.scriptPath) (execute_concurrent_with_args, prepared INSERT ... USING TIMESTAMP)",
            ],
            notes: notes
        )
    }
}
