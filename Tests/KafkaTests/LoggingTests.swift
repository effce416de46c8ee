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

    @Test("librdkafka's log lines reach swift-log at the mapped level")
    func logsAreForwarded() async throws {
        let records = Records()
        let logger = Logger(label: "capture") { _ in CapturingHandler(records: records) }
        // Nothing listens on port 1 of the loopback: librdkafka logs the refused connection.
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(common: KafkaConfiguration(brokers: "127.0.0.1:1")),
            logger: logger
        )
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline, records.withLockedValue({ $0.isEmpty }) {
            try await Task.sleep(for: .milliseconds(100))
        }
        try? await producer.close(timeout: .milliseconds(10))
        let first = try #require(records.withLockedValue { $0.first })
        #expect(first.2 == "librdkafka")
        #expect(first.0 >= .warning)
        #expect(first.1.contains("127.0.0.1:1"))
    }
}
