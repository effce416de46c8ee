import Kafka
import Logging
import Synchronization
import Testing

@Suite("librdkafka logging")
struct LoggingTests {
    /// Log records behind a lock (librdkafka logs from its own threads).
    final class Records: Sendable {
        let records = Mutex<[(Logger.Level, String, String?)]>([])
        func withLockedValue<T>(_ body: (inout [(Logger.Level, String, String?)]) -> T) -> T {
            self.records.withLock { body(&$0) }
        }
    }

    /// Keeps every log record.
    struct CapturingHandler: LogHandler {
        let records: Records
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            self.records.withLockedValue { $0.append((event.level, "\(event.message)", event.source)) }
        }
    }

    @Test("librdkafka's log lines reach swift-log; a refused connection is librdkafka's debug line and one clear warning")
    func logsAreForwarded() async throws {
        let records = Records()
        let logger = Logger(label: "capture") { _ in CapturingHandler(records: records) }
        // Nothing listens on port 1 of the loopback: librdkafka logs the refused connection.
        var configuration = KafkaProducerConfiguration(common: KafkaConfiguration(brokers: "127.0.0.1:1"))
        configuration.statisticsIntervalMilliseconds = 200
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline,
            !records.withLockedValue({ $0.contains { $0.0 == .warning && $0.1.contains("no broker is reachable") } })
        {
            try await Task.sleep(for: .milliseconds(100))
        }
        try? await producer.close(timeout: .milliseconds(10))
        let all = records.withLockedValue { $0 }
        let librdkafka = try #require(all.first { $0.2 == "librdkafka" && $0.1.contains("127.0.0.1:1") })
        #expect(librdkafka.0 == .debug, "librdkafka's own connection text stays at debug")
        let warnings = all.filter { $0.0 >= .warning }
        #expect(warnings.count == 1, "\(warnings)")
        #expect(warnings.first?.1.contains("no broker is reachable") == true)
    }
}
