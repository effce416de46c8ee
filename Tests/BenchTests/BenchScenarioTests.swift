import Pipeline
import BatchTransform
import Foundation
import Synchronization
import Testing
import Bench
import UsersContract

/// The benchmark scenarios at tiny sizes: the figures they report are consistent (counts add up, percentiles are
/// ordered). Nothing here times anything.
@Suite("Benchmark scenarios (tiny sizes, figures sane)", .serialized)
struct BenchScenarioTests {
    @Test("contract: every message becomes a row or a dead letter, and bad records are rejected")
    func contractCountsAddUp() throws {
        var configuration = ContractBenchmark.Configuration()
        configuration.count = 600
        configuration.warmUp = 50
        configuration.badFraction = 0.2
        let benchmark = ContractBenchmark(configuration: configuration)
        let messages = benchmark.makeMessages()
        #expect(messages.count == 600)
        let result = benchmark.run(messages: messages)
        #expect(result.messages == 600)
        #expect(result.rows + result.rejects == 600)
        #expect(result.rejects > 0)
        #expect(result.rows > result.rejects)
        #expect(result.bytes == messages.reduce(0) { $0 + $1.count })
        #expect(result.seconds > 0)
        #expect(result.usersPerSecond > 0)
    }

    @Test("transform: the input file has one line per user and the job's summary parses to the same counts")
    func transformSummaryParses() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.jsonl").path
        let bytes = try TransformBenchmark.writeInput(count: 777, seed: "t", badFraction: 0.1, to: input)
        let text = try #require(FileManager.default.contents(atPath: input))
        #expect(text.count == bytes)
        #expect(text.filter { $0 == UInt8(ascii: "\n") }.count == 777)

        var configuration = BatchTransformJob.Configuration()
        configuration.threads = 2
        let result = try BatchTransformJob(configuration: configuration)
            .run(inputPath: input, outputPath: "/dev/null", rejectsPath: "/dev/null")
        let parsed = try #require(TransformBenchmark.parseSummary(result.summaryText))
        #expect(parsed.records == 777)
        #expect(parsed.rows == result.stats.rows)
        #expect(parsed.rejects == result.stats.rejects)
        #expect(parsed.rows + parsed.rejects == 777)
        #expect(parsed.seconds >= 0)
    }

    @Test("store: every row is written and each tenth of the run has its rate")
    func storeBenchmark() async throws {
        var configuration = StoreBenchmark.Configuration(
            path: FileManager.default.temporaryDirectory.appendingPathComponent("us-bench-store-\(UUID().uuidString).db").path)
        configuration.count = 2_000
        configuration.batchSize = 100
        let result = try await StoreBenchmark(configuration: configuration).run()
        #expect(result.rows == 2_000)
        #expect(result.writes == 20)
        #expect(result.tenths.count == 10)
        #expect(result.tenths.allSatisfy { $0 > 0 })
        #expect(result.rowsPerSecond > 0)
        #expect(!FileManager.default.fileExists(atPath: configuration.path))
    }

    @Test("run: the command's summary parses (handled, stored, rejected, rows in store, latency)")
    func runSummaryParses() throws {
        let counters = PipelineCounters()
        counters.handled.store(1000, ordering: .relaxed)
        counters.stored.store(980, ordering: .relaxed)
        counters.rejected.store(20, ordering: .relaxed)
        counters.endToEndLatency.record(now: 100, starts: [97, 90, 50])
        let text = ProgressReporter(counters: counters).summary(storeCount: 980)
        let summary = try #require(RunBenchmark.parseSummary(text))
        #expect(summary.handled == 1000)
        #expect(summary.stored == 980)
        #expect(summary.rejected == 20)
        #expect(summary.rowsInStore == 980)
        #expect(summary.lost == 0)
        #expect(summary.latencyP50 == 10)
        #expect(summary.latencyP99 == 50)
        #expect(summary.wallSeconds >= 0)
        #expect(RunBenchmark.parseSummary("nothing here") == nil)
        let line = "  handled        1000  (900 users/s over the wall time; 1200 users/s from the first batch to the last commit)"
        #expect(RunBenchmark.parseSummary(line)?.sustainedUsersPerSecond == 1200)
    }

    @Test("child process: exit status, output and peak memory are reported")
    func childProcessOutcome() throws {
        let outcome = try BenchChildProcess(
            executable: "/bin/sh", arguments: ["-c", "echo out; echo err >&2; exit 3"]
        ).run()
        #expect(outcome.status == 3)
        #expect(outcome.standardOutput == "out\n")
        #expect(outcome.standardError == "err\n")
        #expect(outcome.peakResidentBytes > 0)
        #expect(BenchChildProcess.currentExecutable().hasPrefix("/"))
    }

    @Test("child process: a child past its timeout is stopped and reported")
    func childProcessTimeout() throws {
        let outcome = try BenchChildProcess(
            executable: "/bin/sh", arguments: ["-c", "sleep 30"], timeout: .milliseconds(200)
        ).run()
        #expect(outcome.timedOut)
        #expect(outcome.status != 0)
        #expect(outcome.wallSeconds < 29)
    }

    @Test("produce: every message is acknowledged and counted")
    func produceCounts() async throws {
        var configuration = KafkaThroughputBenchmark.Configuration()
        configuration.count = 2500
        configuration.chunk = 1000
        configuration.distinctUsers = 300
        configuration.partitions = 2
        let result = try await KafkaThroughputBenchmark(configuration: configuration).produce()
        #expect(result.messages == 2500)
        #expect(result.bytes > 2500 * 500)
        #expect(result.lost == 0)
        #expect(result.messagesPerSecond > 0)
    }

    @Test("consume: every produced message is received or reported lost")
    func consumeCounts() async throws {
        var configuration = KafkaThroughputBenchmark.Configuration()
        configuration.count = 2500
        configuration.chunk = 500
        configuration.distinctUsers = 300
        configuration.partitions = 2
        let result = try await KafkaThroughputBenchmark(configuration: configuration).consume()
        #expect(result.messages + result.lost == 2500)
        #expect(result.lost == 0)
        #expect(result.bytes > 0)
        #expect(result.commitP50Milliseconds > 0)
        #expect(result.commitP50Milliseconds <= result.commitMaxMilliseconds)
    }

    @Test("latency: every produced user is handled and the percentiles are ordered")
    func latencyPercentilesOrdered() async throws {
        var configuration = LatencyBenchmark.Configuration()
        configuration.rate = 1000
        configuration.warmUp = .milliseconds(1500)
        configuration.duration = .milliseconds(1500)
        configuration.partitions = 2
        let folder = FileManager.default.temporaryDirectory.path
        let benchmark = LatencyBenchmark(configuration: configuration)
        let result = try await benchmark.run(folder: folder)
        #expect(result.handled == benchmark.total)
        #expect(result.stored + result.rejected == result.handled)
        #expect(result.samples > 0)
        #expect(result.samples <= result.stored)
        #expect(result.p50 <= result.p90)
        #expect(result.p90 <= result.p99)
        #expect(result.p99 <= result.max)
        #expect(result.lost == 0)
    }

    @Test("figures: targets point the right way and reports list every figure")
    func figuresAndReports() {
        let fast = BenchFigure("throughput", 300_000, unit: "users/s", target: 250_000)
        let slow = BenchFigure("throughput", 100_000, unit: "users/s", target: 250_000)
        let lean = BenchFigure("peak RSS", 90, unit: "MiB", target: 150, direction: .lowerIsBetter)
        let fat = BenchFigure("peak RSS", 190, unit: "MiB", target: 150, direction: .lowerIsBetter)
        #expect(fast.meetsTarget == true)
        #expect(slow.meetsTarget == false)
        #expect(lean.meetsTarget == true)
        #expect(fat.meetsTarget == false)
        #expect(BenchFigure("bandwidth", 1, unit: "MB/s").meetsTarget == nil)
        #expect(fast.targetText == "≥ 250,000 users/s")
        #expect(lean.targetText == "≤ 150 MiB")
        // The 200 MB, converted to MiB, keeps its decimal; 191 MiB misses it.
        let run = BenchFigure("peak RSS", 191, unit: "MiB", target: BenchTargets.runPeakMiB, direction: .lowerIsBetter)
        #expect(run.targetText == "≤ 190.7 MiB")
        #expect(run.meetsTarget == false)
        #expect(BenchFormat.number(1_234_567.8) == "1,234,568")

        let report = BenchReport(scenario: "transform", figures: [fast, lean], setup: ["1 user"])
        #expect(report.text.contains("== bench transform"))
        #expect(report.text.contains("300,000 users/s"))
        #expect(report.figure("peak RSS")?.value == 90)
        let table = BenchReport.summaryTable([report, .skipped("cassandra", reason: "CASSANDRA_HOST is not set")])
        #expect(table.split(separator: "\n").count == 2 + 2 + 1)
        #expect(table.contains("skipped"))
    }

    @Test("machine: cores and build configuration are known")
    func machineDescription() {
        let machine = BenchMachine.current()
        #expect(machine.cores >= 1)
        #expect(machine.buildConfiguration == "debug" || machine.buildConfiguration == "release")
        #expect(machine.description.contains("cores"))
        #expect(BenchMachine.field("model name", in: "processor : 0\nmodel name\t: Test CPU\n") == "Test CPU")
    }
}
