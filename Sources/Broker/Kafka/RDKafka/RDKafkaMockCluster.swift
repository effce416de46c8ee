import CRdKafka
import Logging

/// librdkafka's in-process mock cluster on a dummy producer handle.
final class RDKafkaMockCluster: @unchecked Sendable {
    private let context: RDKafkaCallbackContext
    private let handle: OpaquePointer
    private let cluster: OpaquePointer
    /// The mock's own bootstrap list (`127.0.0.1:port,...`, ephemeral ports).
    let bootstraps: String

    init(brokers: Int, logger: Logger) throws(KafkaError) {
        self.context = RDKafkaCallbackContext(logger: logger)
        self.handle = try RDKafkaHandle.make(
            type: RD_KAFKA_PRODUCER,
            properties: [("log_level", "4")],
            context: self.context
        )
        guard let cluster = rd_kafka_mock_cluster_new(self.handle, Int32(clamping: brokers)) else {
            rd_kafka_destroy(self.handle)
            throw KafkaError(code: .mockCluster, message: "rd_kafka_mock_cluster_new failed")
        }
        self.cluster = cluster
        self.bootstraps = rd_kafka_mock_cluster_bootstraps(cluster).map { String(cString: $0) } ?? ""
    }

    /// Creates a topic (the mock has no CreateTopics API).
    func createTopic(_ name: String, partitions: Int, replicationFactor: Int) throws(KafkaError) {
        let err = rd_kafka_mock_topic_create(
            self.cluster,
            name,
            Int32(clamping: partitions),
            Int32(clamping: replicationFactor)
        )
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: .mockCluster, rdKafka: err, context: "create topic \(name)")
        }
    }

    /// Makes the next `codes.count` requests of protocol API `apiKey` fail with those error codes, in order.
    func failRequests(apiKey: Int16, codes: [Int32]) {
        let errors = codes.map { rd_kafka_resp_err_t(rawValue: $0) }
        errors.withUnsafeBufferPointer { buffer in
            rd_kafka_mock_push_request_errors_array(self.cluster, apiKey, buffer.count, buffer.baseAddress)
        }
    }

    /// Takes broker `id` down (its connections close, it accepts none) or brings it back up.
    func setBroker(_ id: Int32, up: Bool) throws(KafkaError) {
        let err = up ? rd_kafka_mock_broker_set_up(self.cluster, id) : rd_kafka_mock_broker_set_down(self.cluster, id)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: .mockCluster, rdKafka: err, context: "set broker \(id) \(up ? "up" : "down")")
        }
    }

    /// Makes broker `id` the leader of a partition (clients learn it from NOT_LEADER answers and new metadata).
    func setLeader(topic: String, partition: Int32, broker id: Int32) throws(KafkaError) {
        let err = rd_kafka_mock_partition_set_leader(self.cluster, topic, partition, id)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: .mockCluster, rdKafka: err, context: "move the leader of \(topic)[\(partition)]")
        }
    }

    /// Destroys the cluster and its handle. Call once.
    func destroy() {
        rd_kafka_mock_cluster_destroy(self.cluster)
        rd_kafka_destroy(self.handle)
    }
}
