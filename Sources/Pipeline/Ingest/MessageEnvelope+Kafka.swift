import Kafka
import UsersContract

extension MessageEnvelope {
    /// The envelope's headers as Kafka headers: `source`, `fetched_at`, `schema`.
    /// - Parameters:
    ///   - source: the `source` header (a URL, `synthetic`, `dlq-replay`).
    ///   - fetchedAt: UTC milliseconds when the page was fetched.
    public static func kafkaHeaders(source: String, fetchedAt: Int64) -> [KafkaHeader] {
        headers(source: source, fetchedAt: fetchedAt).map { KafkaHeader(name: $0.name, value: $0.value) }
    }
}
