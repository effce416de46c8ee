import Bench
import ArgumentParser
import Foundation
import Stores
import Pipeline

/// `userstream bench store`: the SQLite store alone, batches of rows upserted one transaction each.
struct BenchStoreCommand: AsyncParsableCommand, BenchScenario {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "The SQLite store alone: rows/s of upserts in transactions of --batch-size rows, as the table grows."
    )

    @OptionGroup var common: BenchCommonOptions

    @Option(name: .long, help: "Rows. Default: 1000000.")
    var count: Int = 1_000_000

    @Option(name: .long, help: "Rows per transaction. Default: 5000.")
    var batchSize: Int = 5_000

    @Option(name: .long, help: "SQLite synchronous: full or normal.")
    var synchronous: SQLiteUserStore.Configuration.Synchronous = .full

    @Option(name: .long, help: "The writer's page cache in KiB. Default: 16384.")
    var cacheKib: Int = 16_384

    func measure() async throws -> BenchReport {
        var configuration = StoreBenchmark.Configuration(path: common.folder + "/userstream-bench-store-\(getpid()).db")
        configuration.count = count
        configuration.batchSize = batchSize
        configuration.synchronous = synchronous
        configuration.cacheKiB = cacheKib
        return try await StoreBenchmark(configuration: configuration).report()
    }

    func validate() throws {
        guard count > 0, batchSize > 0, cacheKib > 0 else {
            throw ValidationError("--count, --batch-size and --cache-kib must be positive")
        }
    }

    func run() async throws {
        try await BenchOutput.runOne(self, common: common)
    }
}

/// `--synchronous full|normal` for the bench commands that open a SQLite store.
extension SQLiteUserStore.Configuration.Synchronous: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(name: argument)
    }

    public var defaultValueDescription: String { description.lowercased() }
}
