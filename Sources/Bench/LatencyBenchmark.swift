import Pipeline
import Foundation
import Kafka
import RandomUser
import Synchronization
import Stores

/// End-to-end latency in one process at a steady rate: the embedded broker, the ingester paced at
/// ``Configuration/rate`` users per second, the stream processor and a SQLite store. Reports the percentiles of
/// ``PipelineCounters/endToEndLatency`` (milliseconds from a record's `fetched_at` to the commit of its row)
/// recorded after ``Configuration/warmUp``.
public struct LatencyBenchmark: Sendable {
    /// The rate, the duration and the processor's knobs.
    public struct Configuration: Sendable {
        /// Users per second produced. Default: 5,000.
        public var rate = 5000
        /// How long the measured part lasts. Default: 30 s.
        public var duration: Duration = .seconds(30)
        /// How long runs before the histogram is reset (group join, first batches). Default: 5 s.
        public var warmUp: Duration = .seconds(5)
        /// The processor's longest wait for a batch to fill (the consumer's poll returns when the batch is full or
        /// this passed). Default: 2 ms.
        public var batchInterval: Duration = .milliseconds(2)
        /// The processor's most records per batch. Default: 5,000.
        public var batchSize = 5000
        /// The ingester's tick. Default: 10 ms.
        public var tick: Duration = .milliseconds(10)
        /// The producer's `linger.ms` (the ingester's and the dead letters' producer). Default: 1 (the pipeline's
        /// default is 5; a dead letter's acknowledgement is awaited before the commit, so linger adds to latency).
        public var lingerMilliseconds = 1
        /// Partitions of the users topic. Default: 6.
        public var partitions = 6
        /// Fraction of bad records. Default: 0.02.
        public var badFraction = 0.02
        /// Extra librdkafka properties of the consumer. Default: `fetch.wait.max.ms=1` (librdkafka's default of
        /// 500 ms makes the mock broker hold fetches and gives p50 ≈ 330 ms).
        public var consumerProperties: [String: String] = ["fetch.wait.max.ms": "1"]
        /// Extra librdkafka properties of the producer. Default: none.
        public var producerProperties: [String: String] = [:]
        /// Instead of a steady rate, produce this many users as fast as flow control allows (as `userstream run`
        /// does, in pages of 5,000 with at most 2,000 per partition ahead), to measure throughput with these knobs.
        /// Default: nil (steady ``rate``).
        public var flatOutCount: Int?
        /// SQLite's `synchronous`. Default: `FULL` (as `run`).
        public var synchronous: SQLiteUserStore.Configuration.Synchronous = .full

        /// The defaults above.
        public init() {}
    }

    /// What was measured after the warm-up.
    public struct Result: Sendable, Hashable {
        /// Median latency, milliseconds.
        public var p50: Int
        /// 90th percentile, milliseconds.
        public var p90: Int
        /// 99th percentile, milliseconds.
        public var p99: Int
        /// Largest latency, milliseconds.
        public var max: Int
        /// Median of the part spent before the processor's poll (ingester, producer, broker, consumer fetch), ms.
        public var consumeP50: Int
        /// The mean time of each processor stage per batch (whole run), e.g. `per batch: poll 1.9 ms, ...`.
        public var stageMeans: String
        /// Rows whose latency was recorded after the warm-up.
        public var samples: Int
        /// Input messages handled in the whole run.
        public var handled: Int
        /// Rows stored in the whole run.
        public var stored: Int
        /// Dead letters in the whole run.
        public var rejected: Int
        /// Records the broker dropped.
        public var lost: Int
        /// Messages handled per second after the warm-up.
        public var achievedRate: Double
        /// Batches committed after the warm-up.
        public var batches: Int
        /// Messages handled per second over the whole run (the flat-out throughput).
        public var overallRate: Double
    }

    /// The pipeline did not finish in time.
    public struct TimeoutError: Error, CustomStringConvertible {
        /// Always `latency_timeout`.
        public var code = "latency_timeout"
        /// Messages handled when it gave up.
        public var handled: Int
        public var description: String { "\(code): the processor handled only \(handled) messages" }
    }

    /// The configuration.
    public var configuration: Configuration

    /// Creates the benchmark.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Users the run produces in all: rate × (warm-up + duration).
    public var total: Int {
        if let count = configuration.flatOutCount { return max(1, count) }
        return max(1, Int(Double(configuration.rate) * (configuration.warmUp + configuration.duration).seconds))
    }

    /// Runs the pipeline with its SQLite file in `folder`.
    public func run(folder: String) async throws -> Result {
        let topic = PipelineConfiguration.Kafka().topic
        let dlqTopic = PipelineConfiguration.Kafka().deadLetterTopic
        let broker = try EmbeddedKafkaBroker(
            configuration: .init(topics: [(topic, configuration.partitions), (dlqTopic, 1)]))
        defer { broker.shutdown() }
        let storePath = folder + "/bench-latency-\(UInt32.random(in: 0...UInt32.max)).sqlite"
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: storePath + suffix) }
        }
        let store = try SQLiteUserStore(configuration: .init(path: storePath, synchronous: configuration.synchronous))
        try await store.prepare()
        let counters = PipelineCounters()
        let common = KafkaConfiguration(brokers: broker.bootstrapServers, clientID: "userstream-bench")
        var producerCommon = common
        producerCommon.extra = configuration.producerProperties
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                common: producerCommon, lingerMilliseconds: configuration.lingerMilliseconds))
        var consumerCommon = common
        consumerCommon.extra = configuration.consumerProperties
        var consumerConfiguration = KafkaConsumerConfiguration(common: consumerCommon, groupID: "bench-latency")
        consumerConfiguration.sessionTimeoutMilliseconds = 6000
        consumerConfiguration.heartbeatIntervalMilliseconds = 500
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, topics: [topic])

        let total = self.total
        var ingest = Ingester.Configuration()
        ingest.topic = topic
        ingest.count = total
        ingest.rate = configuration.flatOutCount == nil ? configuration.rate : nil
        ingest.tick = configuration.tick
        ingest.pageSize = 5000
        let ingester = Ingester(
            source: SyntheticUserSource(configuration: .init(seed: "bench-latency", badFraction: configuration.badFraction)),
            producer: producer,
            flowControl: InProcessFlowControl(maxLag: 2000 * configuration.partitions, counters: counters),
            configuration: ingest,
            counters: counters)
        var processing = StreamProcessor.Configuration()
        processing.topic = topic
        processing.deadLetterTopic = dlqTopic
        processing.batchSize = configuration.batchSize
        processing.batchInterval = configuration.batchInterval
        processing.maxMessages = total
        let processor = StreamProcessor(
            consumer: consumer, producer: producer, store: store, configuration: processing, counters: counters)

        let warmUp = configuration.warmUp
        let deadline = configuration.flatOutCount == nil
            ? configuration.warmUp + configuration.duration + .seconds(60) : .seconds(600)
        let started = ContinuousClock.now
        let mark = MeasureMark()
        do {
            try await withThrowingTaskGroup(of: String.self) { group in
                group.addTask {
                    try await processor.run()
                    return "processor"
                }
                group.addTask {
                    try await ingester.run()
                    return "ingester"
                }
                group.addTask {
                    try await Task.sleep(for: warmUp)
                    counters.endToEndLatency.reset()
                    counters.consumeLatency.reset()
                    mark.set(handled: counters.handled.load(ordering: .relaxed), batches: counters.batches.load(ordering: .relaxed))
                    return "warm-up"
                }
                group.addTask {
                    try await Task.sleep(for: deadline)
                    throw TimeoutError(handled: counters.handled.load(ordering: .relaxed))
                }
                while let finished = try await group.next() {
                    if finished == "processor" {
                        group.cancelAll()
                        break
                    }
                }
            }
        } catch {
            try? await consumer.close()
            try? await producer.close()
            try? await store.close()
            throw error
        }
        let ended = ContinuousClock.now
        try await consumer.close()
        try await producer.close()
        try await store.close()
        let latency = counters.endToEndLatency
        let start = mark.get()
        let handled = counters.handled.load(ordering: .relaxed)
        let measuredSeconds = start.map { (ended - $0.at).seconds } ?? 0
        return Result(
            p50: latency.percentile(0.5) ?? 0,
            p90: latency.percentile(0.9) ?? 0,
            p99: latency.percentile(0.99) ?? 0,
            max: latency.percentile(1.0) ?? 0,
            consumeP50: counters.consumeLatency.percentile(0.5) ?? 0,
            stageMeans: "per batch: " + StageTimes.Stage.allCases.map { stage in
                let mean = Double(counters.stageNanoseconds.total(stage)) / Double(max(1, counters.batches.load(ordering: .relaxed)))
                return "\(stage) \((mean / 1e4).rounded() / 100) ms"
            }.joined(separator: ", "),
            samples: latency.count,
            handled: handled,
            stored: counters.stored.load(ordering: .relaxed),
            rejected: counters.rejected.load(ordering: .relaxed),
            lost: counters.lost.load(ordering: .relaxed),
            achievedRate: measuredSeconds > 0 ? Double(handled - (start?.handled ?? 0)) / measuredSeconds : 0,
            batches: counters.batches.load(ordering: .relaxed) - (start?.batches ?? 0),
            overallRate: Double(handled) / max((ended - started).seconds, 0.001)
        )
    }

    /// Runs and reports the percentiles with the issue's targets.
    public func report(folder: String) async throws -> BenchReport {
        let result = try await run(folder: folder)
        var notes: [String] = [result.stageMeans]
        if result.lost > 0 { notes.append("the broker dropped \(result.lost) records") }
        return BenchReport(
            scenario: "latency",
            figures: [
                BenchFigure(
                    "p50", Double(result.p50), unit: "ms", target: BenchTargets.latencyP50Milliseconds,
                    direction: .lowerIsBetter, anchor: BenchTargets.latencyAnchor),
                BenchFigure("p90", Double(result.p90), unit: "ms", direction: .lowerIsBetter),
                BenchFigure(
                    "p99", Double(result.p99), unit: "ms", target: BenchTargets.latencyP99Milliseconds,
                    direction: .lowerIsBetter),
                BenchFigure("max", Double(result.max), unit: "ms", direction: .lowerIsBetter),
                BenchFigure("p50 fetched_at → polled", Double(result.consumeP50), unit: "ms", direction: .lowerIsBetter),
                BenchFigure("rate achieved", result.achievedRate, unit: "users/s"),
            ] + (configuration.flatOutCount == nil ? [] : [
                BenchFigure("flat-out throughput", result.overallRate, unit: "users/s", target: BenchTargets.runUsersPerSecond),
                BenchFigure(
                    "peak RSS (bench process)", BenchFormat.mebibytes(BenchResources.peakResidentBytes()), unit: "MiB",
                    target: BenchTargets.runPeakMiB, direction: .lowerIsBetter),
            ]),
            setup: [
                "in-process: embedded broker (\(configuration.partitions) partitions) + ingester "
                    + (configuration.flatOutCount.map { "flat out, \($0) users" } ?? "at \(configuration.rate) users/s") + " "
                    + "(tick \(configuration.tick)) + processor (batch-interval \(configuration.batchInterval), batch-size \(configuration.batchSize)) "
                    + "+ SQLite (synchronous \(configuration.synchronous)); linger \(configuration.lingerMilliseconds) ms",
                "warm-up \(configuration.warmUp), measured \(configuration.duration): \(result.samples) rows timed over "
                    + "\(result.batches) batches; whole run handled \(result.handled), stored \(result.stored), rejected \(result.rejected)",
                "latency = row durable in the store − fetched_at header (ms, wall clock), per stored row; "
                    + "'fetched_at → polled' is the part before the processor's poll returned",
                "consumer properties: \(configuration.consumerProperties.isEmpty ? "defaults" : configuration.consumerProperties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))"
                    + "; producer properties: \(configuration.producerProperties.isEmpty ? "defaults" : configuration.producerProperties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))",
            ],
            notes: notes
        )
    }
}

/// When the measured part of a run began (set once by the warm-up task).
final class MeasureMark: Sendable {
    private let state = Mutex<(at: ContinuousClock.Instant, handled: Int, batches: Int)?>(nil)

    func set(handled: Int, batches: Int) {
        state.withLock { $0 = (.now, handled, batches) }
    }

    func get() -> (at: ContinuousClock.Instant, handled: Int, batches: Int)? {
        state.withLock { $0 }
    }
}
