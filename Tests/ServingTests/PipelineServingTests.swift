import Foundation
import Hummingbird
import HummingbirdTesting
import Kafka
import Metrics
import Pipeline
import Serving
import ServiceLifecycle
import Stores
import TestWaiting
import Testing
import UsersContract

/// A pipeline with its HTTP face, on a standalone embedded broker and a SQLite store in a temporary folder.
struct ServedPipeline {
    let broker: EmbeddedKafkaBroker
    let builder: PipelineBuilder
    let pipeline: AssembledPipeline
    let storePath: String

    init(count: Int, rate: Int? = nil, badFraction: Double) async throws {
        broker = try EmbeddedKafkaBroker(configuration: .init(topics: [("random_users", 3), ("random_users_dlq", 1)]))
        storePath = FileManager.default.temporaryDirectory.appendingPathComponent("served-\(UUID().uuidString).sqlite").path
        var configuration = PipelineConfiguration()
        configuration.kafka.brokers = broker.bootstrapServers
        configuration.kafka.group = "served-\(UUID().uuidString)"
        configuration.kafka.sessionTimeout = .seconds(6)
        configuration.source.badFraction = badFraction
        configuration.source.rate = rate
        configuration.store.url = "sqlite:" + storePath
        configuration.http.address = "127.0.0.1:0"
        var job = PipelineJob()
        job.count = count
        job.serveHTTP = true
        builder = PipelineBuilder(configuration: configuration, parts: .all, job: job)
        pipeline = try await builder.build()
    }

    func shutdown() {
        broker.shutdown()
        try? FileManager.default.removeItem(atPath: storePath)
    }
}

/// Prometheus text: `name{labels} value` per sample line, `# HELP` / `# TYPE` comments; nil when a line is neither.
func prometheusSamples(_ text: String) -> [String: Double]? {
    var samples: [String: Double] = [:]
    let sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*\})?) (-?[0-9.e+Inf-]+|NaN)$/
    for line in text.split(separator: "\n") {
        if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") { continue }
        guard let match = try? sample.wholeMatch(in: String(line)), let value = Double(match.output.2) else { return nil }
        samples[String(match.output.1)] = value
    }
    return samples
}

@Suite("The HTTP face of a real pipeline run", .serialized)
struct PipelineServingTests {
    @Test("/metrics parses as Prometheus text; its counters equal the run: users stored, rejected by reason (from the DLQ)")
    func metricsEqualTheRun() async throws {
        let served = try await ServedPipeline(count: 5000, badFraction: 0.02)
        defer { served.shutdown() }
        _ = try await served.pipeline.run(signals: [])
        let backend = try #require(served.pipeline.serving)

        let text = await backend.metrics()
        let samples = try #require(prometheusSamples(text), "not Prometheus text:\n\(text.prefix(2000))")
        let counters = served.pipeline.counters
        let store = try SQLiteUserStore(configuration: .init(path: served.storePath))
        let rows = try await store.count()
        try await store.close()
        #expect(samples["userstream_users_stored_total"] == Double(rows))
        #expect(samples["userstream_users_stored_total"] == Double(counters.stored.load(ordering: .relaxed)))
        #expect(samples["userstream_users_produced_total"] == 5000)
        #expect(samples["userstream_users_consumed_total"] == 5000)

        // Rejected by reason: exactly the dead letters in the topic, reason by reason.
        let letters = try await DeadLetterReader(builder: served.builder).read().letters
        #expect(!letters.isEmpty)
        for reason in RejectReason.allCases {
            let inTopic = letters.filter { $0.reason == reason }.count
            #expect(samples["userstream_users_rejected_total{reason=\"\(reason.code)\"}"] == Double(inTopic), "\(reason.code)")
        }
        #expect(Double(rows + letters.count) == samples["userstream_users_consumed_total"])
        #expect((samples["userstream_end_to_end_latency_seconds_count"] ?? 0) == Double(rows))
        #expect((samples["userstream_batch_size_count"] ?? 0) > 0)
        #expect(samples.keys.contains { $0.hasPrefix("userstream_consumer_lag{topic=\"random_users\",partition=") })
        #expect(samples["userstream_process_resident_memory_bytes"].map { $0 > 0 } == true)

        // /api/stats through the routes says the same.
        let app = Application(
            router: ServingRoutes.router(
                backend: backend, configuration: .init(host: "127.0.0.1", port: 0), metricsFactory: NOOPMetricsHandler.instance))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/stats", method: .get) { response in
                #expect(response.status == .ok)
                let decoder = JSONDecoder()
                decoder.keyDecodingStrategy = .convertFromSnakeCase
                let stats = try decoder.decode(PipelineStats.self, from: Data(buffer: response.body))
                #expect(stats.totals.stored == rows)
                #expect(stats.totals.rejected == letters.count)
                #expect(stats.rejectsByReason.values.reduce(0, +) == letters.count)
                #expect(stats.byGender.values.reduce(0, +) == rows)
                #expect(stats.byCountry.values.reduce(0, +) == rows)
                #expect(stats.latest.count == 10)
                #expect(stats.latency.count == rows)
            }
        }
    }

    @Test("the dashboard in headless Chromium while a pipeline runs: its figures match /api/stats; a screenshot is saved")
    func dashboardInChromium() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let chromium = ProcessInfo.processInfo.environment["CHROMIUM"] ?? "/usr/bin/chromium"
        try #require(
            FileManager.default.isExecutableFile(atPath: chromium),
            "Chromium is needed at \(chromium) (Debian's chromium; scripts/bootstrap.sh installs it)")
        let served = try await ServedPipeline(count: 1_000_000, rate: 1000, badFraction: 0.02)
        defer { served.shutdown() }
        let group = served.pipeline.serviceGroup(signals: [])
        let running = Task { try await group.run() }
        let server = try #require(served.pipeline.httpServer)
        let flowing = await eventually(within: .seconds(60)) {
            server.boundPort != nil && served.pipeline.counters.stored.load(ordering: .relaxed) > 500
        }
        #expect(flowing)
        let port = try #require(server.boundPort)
        let artifacts = root.appendingPathComponent(".build/test-artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let screenshot = artifacts.appendingPathComponent("dashboard.png").path

        let (status, output) = try await run(
            "/usr/bin/env",
            [
                "python3", root.appendingPathComponent("scripts/lib/dashboard-check.py").path,
                "--url", "http://127.0.0.1:\(port)/", "--screenshot", screenshot, "--chromium", chromium,
            ])
        #expect(status == 0, "\(output)")
        #expect(output.contains("dashboard: stored page="))
        #expect(output.contains("dashboard: PASS screenshot \(screenshot)"), "\(output)")
        let size = (try? FileManager.default.attributesOfItem(atPath: screenshot)[.size] as? Int) ?? 0
        #expect(size > 10_000)

        await group.triggerGracefulShutdown()
        try await running.value
    }

    /// Runs a program to its end; its status and its output (stdout and stderr).
    private func run(_ program: String, _ arguments: [String]) async throws -> (Int32, String) {
        try await Task.detached {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }.value
    }
}
