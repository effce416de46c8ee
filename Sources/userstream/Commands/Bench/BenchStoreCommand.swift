import ArgumentParser
import Foundation
import UserStore
import UserStreamRuntime

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

    @Option(name: .long, help: "synchronous: full or normal. Default: full.")
    var synchronous: String = "full"

    @Option(name: .long, help: "The writer's page cache in KiB. Default: 16384.")
    var cacheKib: Int = 16_384

    func measure() async throws -> BenchReport {
        var configuration = StoreBenchmark.Configuration(path: common.folder + "/userstream-bench-store-\(getpid()).db")
        configuration.count = count
        configuration.batchSize = batchSize
        guard let level = SQLiteUserStore.Configuration.Synchronous(name: synchronous) else {
            throw ValidationError("--synchronous must be full or normal")
        }
        configuration.synchronous = level
        guard cacheKib > 0 else { throw ValidationError("--cache-kib must be positive") }
        configuration.cacheKiB = cacheKib
        return try await StoreBenchmark(configuration: configuration).report()
    }

    func validate() throws {
        guard count > 0, batchSize > 0 else { throw ValidationError("--count and --batch-size must be positive") }
    }

    func run() async throws {
        try await BenchOutput.runOne(self, common: common)
    }
}
