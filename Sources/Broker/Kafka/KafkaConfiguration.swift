import Logging

/// Settings shared by every Kafka client (producer, consumer, admin).
///
/// Client-specific options live in ``KafkaProducerConfiguration`` and ``KafkaConsumerConfiguration``,
/// which embed this struct as `common`.
public struct KafkaConfiguration: Sendable {
    /// The bootstrap brokers as `"host:port,host:port"`. Default: `"127.0.0.1:9092"`.
    public var brokers: String
    /// The `client.id` reported to the brokers. Default: `"userstream"`.
    public var clientID: String
    /// Extra librdkafka properties passed through unchanged (for example `["socket.keepalive.enable": "true"]`).
    ///
    /// They are applied after the properties this module sets, so they win. Default: empty.
    public var extra: [String: String]
    /// The lowest level of librdkafka log lines forwarded to swift-log. Default: `.warning`.
    public var logLevel: Logger.Level

    /// Creates a configuration.
    /// - Parameters:
    ///   - brokers: bootstrap brokers, `"host:port,..."`.
    ///   - clientID: the `client.id`.
    ///   - extra: librdkafka properties applied last.
    ///   - logLevel: the lowest librdkafka log level forwarded to swift-log.
    public init(
        brokers: String = "127.0.0.1:9092",
        clientID: String = "userstream",
        extra: [String: String] = [:],
        logLevel: Logger.Level = .warning
    ) {
        self.brokers = brokers
        self.clientID = clientID
        self.extra = extra
        self.logLevel = logLevel
    }

    /// The librdkafka `log_level` (syslog severity) for ``logLevel``.
    var syslogLevel: Int {
        switch self.logLevel {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// The librdkafka properties common to every client, before the client-specific ones.
    var baseProperties: [(String, String)] {
        [
            ("bootstrap.servers", self.brokers),
            ("client.id", self.clientID),
            ("log_level", String(self.syslogLevel)),
        ]
    }
}
