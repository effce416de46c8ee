import Bench
import ArgumentParser
import Foundation
import Pipeline

/// `userstream bench transform`: the batch transform of a generated JSONL file, in a child process.
struct BenchTransformCommand: AsyncParsableCommand, BenchScenario {
    static let configuration = CommandConfiguration(
        commandName: "transform",
        abstract: "Transform a generated JSONL file in a child process: users/s, MB/s, peak RSS of the child.",
        discussion: """
            Writes the input to a temporary file, then runs this binary's 'transform' subcommand on it as a child \
            process (rows and rejects to /dev/null, as the Spark anchor's no-op sink) and reads the child's peak \
            resident memory with wait4. Target: ≥ 250,000 users/s and ≤ 150 MB.
            """
    )

    @OptionGroup var common: BenchCommonOptions

    @Option(name: .long, help: "Users in the input. Default: 1000000.")
    var count: Int = 1_000_000

    @Option(name: .long, help: "Worker threads of the child. Default: every core.")
    var threads: Int?

    @Option(name: .long, help: "Rows file of the child. Default: /dev/null.")
    var output: String = "/dev/null"

    @Option(name: .long, help: "Write the generated input to this file and keep it (to profile 'transform' on the same input). Default: a temporary file, removed.")
    var keepInput: String?

    func measure() async throws -> BenchReport {
        var configuration = TransformBenchmark.Configuration()
        configuration.count = count
        configuration.badFraction = common.badFraction
        configuration.threads = threads
        configuration.outputPath = output
        configuration.keepInput = keepInput != nil
        let benchmark = TransformBenchmark(configuration: configuration)
        let input = keepInput ?? common.folder + "/userstream-bench-\(getpid()).jsonl"
        return try benchmark.report(executable: BenchChildProcess.currentExecutable(), inputPath: input)
    }

    func run() async throws {
        try await BenchOutput.runOne(self, common: common)
    }
}
