import Foundation
import Kafka
import Logging
import NIOConcurrencyHelpers
import RandomUser
import RandomUserTesting
import Synchronization
import Testing
import Stores
import Pipeline

/// The pipeline fed by the HTTP source from a local server that speaks the RandomUser API.
@Suite("Pipeline with the RandomUser HTTP source (local fake API)", .serialized)
struct HTTPSourcePipelineTests {
    @Test("429 with Retry-After and a 500 are retried; every user of every page is stored")
    func retriesThenStores() async throws {
        let server = FakeRandomUserServer()
        try await server.start()
        server.enqueue(.tooManyRequests(retryAfter: "1"))
        server.enqueue(.status(500))
        let harness = try await PipelineHarness()
        let producer = try harness.producer()

        var api = RandomUserAPISource.Configuration(baseURL: server.baseURL, seed: "http-pipeline")
        api.rateLimit = nil
        api.retry.baseDelay = .milliseconds(10)
        api.requestTimeout = .seconds(5)
        var configuration = Ingester.Configuration()
        configuration.count = 300
        configuration.pageSize = 100
        let counters = PipelineCounters()
        let ingester = Ingester(
            source: RandomUserAPISource(configuration: api),
            producer: producer,
            flowControl: nil,
            configuration: configuration,
            counters: counters
        )
        try await ingester.run()
        #expect(counters.produced.load(ordering: .relaxed) == 300)
        #expect(server.requestCount == 5)  // 429, 500, then three pages

        let processor = try harness.processor(group: "g-http", producer: producer, counters: counters) {
            $0.maxMessages = 300
        }
        try await processor.run()
        #expect(try await harness.store.count() == 300)
        try await producer.close()
        try await server.shutdown()
        await harness.shutdown()
    }

    @Test("no secret of the input reaches a log line of the processor, even at trace level")
    func noSecretsInLogs() async throws {
        let lines = NIOLockedValueBox<[String]>([])
        var logger = Logger(label: "test.processor") { _ in CapturingLogHandler(lines: lines) }
        logger.logLevel = .trace
        let harness = try await PipelineHarness(partitions: 1)
        let producer = try harness.producer()
        let secretRecords = [
            #"{"login":{"uuid":"4bbbf423-b3dd-409f-b35b-53957fc1b362","password":"pw-SECRET-1","salt":"salt-SECRET-2","md5":"md5-SECRET-3","sha1":"sha1-SECRET-4","sha256":"sha256-SECRET-5"},"email":"a@example.com","id":{"name":"CPF","value":"id-SECRET-6"}}"#,
            #"{"login":{"uuid":"bad","password":"pw-SECRET-1"},"email":"a@example.com","id":{"value":"id-SECRET-6"}}"#,
            #"{"password":"pw-SECRET-1","salt":"salt-SECRET-2" not json"#,
        ]
        _ = try await producer.send(secretRecords.map { KafkaOutgoingMessage(topic: harness.topic, value: Array($0.utf8)) })
        var configuration = StreamProcessor.Configuration()
        configuration.maxMessages = secretRecords.count
        configuration.batchInterval = .milliseconds(100)
        let consumer = try harness.consumer(group: "g-logs")
        let processor = StreamProcessor(
            consumer: consumer,
            producer: producer,
            store: harness.store,
            configuration: configuration,
            counters: PipelineCounters(),
            logger: logger
        )
        try await ProcessorRun(consumer: consumer, processor: processor).run()
        let captured = lines.withLockedValue { $0 }
        #expect(!captured.isEmpty)
        for line in captured {
            #expect(!line.contains("SECRET"), "a log line carries a secret: \(line)")
        }
        let stored = try #require(try await harness.store.get(userID: "4bbbf423-b3dd-409f-b35b-53957fc1b362"))
        #expect(!"\(stored)".contains("SECRET"))
        try await producer.close()
        await harness.shutdown()
    }
}

/// Keeps every log line (message and metadata) in memory.
struct CapturingLogHandler: LogHandler {
    let lines: NIOLockedValueBox<[String]>
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let text = "\(event.level) \(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 })"
        lines.withLockedValue { $0.append(text) }
    }
}
