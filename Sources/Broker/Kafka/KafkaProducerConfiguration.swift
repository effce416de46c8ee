/// Settings of a ``KafkaProducer``.
///
/// The producer always runs with `acks=all` and `enable.idempotence=true` (no duplicates or reordering on
/// retries) and the Java-compatible `murmur2_random` partitioner, so a key lands on the same partition as with the
/// Java client. These are not configurable here (use ``KafkaConfiguration/extra`` to override at your own risk).
public struct KafkaProducerConfiguration: Sendable {
    /// Settings shared by all clients.
    public var common: KafkaConfiguration
    /// How long librdkafka waits to fill a batch (`linger.ms`). Default: 5 ms.
    public var lingerMilliseconds: Int
    /// The compression codec (`compression.type`). Default: `"lz4"`.
    public var compression: String
    /// The most messages librdkafka holds in its local queue (`queue.buffering.max.messages`); when full,
    /// `KafkaProducer.send(_:)` waits and retries, it never drops. Default: 100 000.
    public var queueBufferingMaxMessages: Int
    /// The most messages in one produce batch (`batch.num.messages`). Default: 10 000.
    public var batchNumMessages: Int
    /// How long a message may wait for its delivery, retries included (`message.timeout.ms`);
    /// after that it fails with `_MSG_TIMED_OUT`. Default: 300 000 ms (5 minutes).
    public var messageTimeoutMilliseconds: Int
    /// How often librdkafka reports its statistics, from which broker state changes are logged (one line each):
    /// `statistics.interval.ms`. Default: 5 000 ms.
    public var statisticsIntervalMilliseconds: Int

    /// Creates a producer configuration with the documented defaults.
    /// - Parameters:
    ///   - common: settings shared by all clients.
    ///   - lingerMilliseconds: `linger.ms`.
    public init(common: KafkaConfiguration = KafkaConfiguration(), lingerMilliseconds: Int = 5) {
        self.common = common
        self.lingerMilliseconds = lingerMilliseconds
        self.compression = "lz4"
        self.queueBufferingMaxMessages = 100_000
        self.batchNumMessages = 10_000
        self.messageTimeoutMilliseconds = 300_000
        self.statisticsIntervalMilliseconds = 5_000
    }

    /// All librdkafka properties, in the order they are applied.
    var properties: [(String, String)] {
        var properties = self.common.baseProperties
        properties += [
            ("acks", "all"),
            ("enable.idempotence", "true"),
            ("compression.type", self.compression),
            ("partitioner", "murmur2_random"),
            ("linger.ms", String(self.lingerMilliseconds)),
            ("queue.buffering.max.messages", String(self.queueBufferingMaxMessages)),
            ("batch.num.messages", String(self.batchNumMessages)),
            ("message.timeout.ms", String(self.messageTimeoutMilliseconds)),
            ("statistics.interval.ms", String(self.statisticsIntervalMilliseconds)),
        ]
        properties += self.common.extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return properties
    }
}
