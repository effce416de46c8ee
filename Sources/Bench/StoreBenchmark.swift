import Pipeline
import Foundation
import RandomUser
import Stores
import UsersContract

/// The SQLite store alone: synthetic users made into rows (outside the measured time), then upserted in
/// batches of a fixed size, one transaction each, as the processor's writer does. It shows what one store write
/// costs and how that cost grows with the table (the random `user_id` index).
public struct StoreBenchmark: Sendable {
    /// What to write and how.
    public struct Configuration: Sendable {
        /// Rows written. Default: 1,000,000.
        public var count = 1_000_000
        /// Rows per transaction. Default: 5,000.
        public var batchSize = 5_000
        /// The store's `synchronous` level. Default: `FULL`.
        public var synchronous = SQLiteUserStore.Configuration.Synchronous.full
        /// The writer's page cache in KiB. Default: the store's (16,384).
        public var cacheKiB = SQLiteUserStore.Configuration(path: "").cacheKiB
        /// The database file; removed before and after. Required.
        public var path: String
        /// The generator's seed. Default: `bench-store`.
        public var seed = "bench-store"

        /// A configuration for the file at `path`.
        public init(path: String) {
            self.path = path
        }
    }

    /// What the measured writes did.
    public struct Result: Sendable, Hashable {
        /// Rows written.
        public var rows: Int
        /// Transactions.
        public var writes: Int
        /// Seconds spent in ``UserStore/upsert(_:)``.
        public var seconds: Double
        /// The process's CPU seconds during the upserts (the writer and the background checkpoints).
        public var cpuSeconds: Double
        /// Rows per second over the tenths of the run, in order (the table grows from tenth to tenth).
        public var tenths: [Double]
        /// Bytes the process wrote to storage (`/proc/self/io` `write_bytes`) during the run.
        public var bytesWritten: Int

        /// Rows per second.
        public var rowsPerSecond: Double { seconds > 0 ? Double(rows) / seconds : 0 }
    }

    /// The configuration.
    public var configuration: Configuration

    /// Creates the benchmark.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Makes the rows of one batch: synthetic users through ``UserTransformer``, bad records left out.
    private func rows(
        page: Int, generator: SyntheticUserGenerator, transformer: inout UserTransformer, now: Int64
    ) -> [UserRow] {
        var rows: [UserRow] = []
        rows.reserveCapacity(configuration.batchSize)
        for (index, user) in generator.users(page: page, count: configuration.batchSize).enumerated() {
            let context = RecordContext(
                topic: PipelineConfiguration.Kafka().topic, partition: 0, offset: Int64(page * configuration.batchSize + index),
                fetchedAt: now, receivedAt: now)
            user.value.withUnsafeBytes { bytes in
                transformer.transform(bytes, context: context, processedAt: now) { outcome in
                    if case .row(let row) = outcome { rows.append(row) }
                }
            }
        }
        return rows
    }

    /// Writes `count` rows into a new store at the configured path and measures the upserts.
    public func run() async throws -> Result {
        removeFiles()
        defer { removeFiles() }
        let store = try SQLiteUserStore(
            configuration: .init(
                path: configuration.path, synchronous: configuration.synchronous, cacheKiB: configuration.cacheKiB))
        try await store.prepare()
        let generator = SyntheticUserGenerator(configuration: .init(seed: configuration.seed, badFraction: 0))
        let now = WallClock.milliseconds()
        var transformer = UserTransformer(options: TransformOptions(runStartedAt: now))
        let tenth = max(1, configuration.count / 10)
        var written = 0
        var writes = 0
        var seconds = 0.0
        var cpuSeconds = 0.0
        var tenths: [Double] = []
        var tenthRows = 0
        var tenthSeconds = 0.0
        let bytesBefore = BenchResources.storageBytesWritten()
        var page = 1
        while written < configuration.count {
            var batch = rows(page: page, generator: generator, transformer: &transformer, now: now)
            page += 1
            if batch.count > configuration.count - written { batch.removeLast(batch.count - (configuration.count - written)) }
            let cpuStarted = BenchResources.cpuSeconds()
            let started = ContinuousClock.now
            try await store.upsert(batch)
            let elapsed = (ContinuousClock.now - started).seconds
            cpuSeconds += BenchResources.cpuSeconds() - cpuStarted
            seconds += elapsed
            written += batch.count
            writes += 1
            tenthRows += batch.count
            tenthSeconds += elapsed
            if tenthRows >= tenth {
                tenths.append(Double(tenthRows) / tenthSeconds)
                tenthRows = 0
                tenthSeconds = 0
            }
        }
        try await store.close()
        return Result(
            rows: written, writes: writes, seconds: seconds, cpuSeconds: cpuSeconds, tenths: tenths,
            bytesWritten: BenchResources.storageBytesWritten() - bytesBefore)
    }

    private func removeFiles() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: configuration.path + suffix) }
    }

    /// Runs and reports the figures.
    public func report() async throws -> BenchReport {
        let result = try await run()
        let tenths = result.tenths.map { BenchFormat.number($0) }.joined(separator: ", ")
        return BenchReport(
            scenario: "store",
            figures: [
                BenchFigure("throughput", result.rowsPerSecond, unit: "rows/s"),
                BenchFigure("throughput in the last tenth", result.tenths.last ?? 0, unit: "rows/s"),
                BenchFigure(
                    "CPU per row", result.cpuSeconds / Double(max(result.rows, 1)) * 1e6, unit: "µs",
                    direction: .lowerIsBetter),
                BenchFigure(
                    "written to storage per row", Double(result.bytesWritten) / Double(max(result.rows, 1)) / 1024,
                    unit: "KiB", direction: .lowerIsBetter),
            ],
            setup: [
                "SQLite store at \(configuration.path), synchronous = \(configuration.synchronous), "
                    + "page cache \(configuration.cacheKiB) KiB, "
                    + "\(result.writes) transactions of \(configuration.batchSize) rows (synthetic users through the contract, made outside the measured time)",
                "rows/s by tenth of the run: \(tenths)",
                "outcome: \(result.rows) rows in \(String(format: "%.2f", result.seconds)) s of upserts "
                    + "(process CPU \(String(format: "%.2f", result.cpuSeconds)) s); load average \(String(format: "%.2f", BenchResources.loadAverage()))",
            ]
        )
    }
}
