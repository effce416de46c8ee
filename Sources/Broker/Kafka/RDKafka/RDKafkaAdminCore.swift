import CRdKafka
import Logging

/// The admin client's librdkafka side. Every method blocks; callers run them off the cooperative pool.
final class RDKafkaAdminCore: @unchecked Sendable {
    private let context: RDKafkaCallbackContext
    private let handle: OpaquePointer

    init(configuration: KafkaConfiguration, logger: Logger) throws(KafkaError) {
        self.context = RDKafkaCallbackContext(logger: logger)
        var properties = configuration.baseProperties
        properties += configuration.extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        self.handle = try RDKafkaHandle.make(type: RD_KAFKA_PRODUCER, properties: properties, context: self.context)
    }

    func destroy() {
        rd_kafka_destroy(self.handle)
    }

    /// Runs an admin request and waits for its result event (caller destroys the event).
    private func request(
        _ api: rd_kafka_admin_op_t,
        timeoutMilliseconds: Int32,
        what: String,
        _ send: (OpaquePointer?, OpaquePointer) -> Void
    ) throws(KafkaError) -> OpaquePointer {
        guard let queue = rd_kafka_queue_new(self.handle) else {
            throw KafkaError(code: .admin, message: "\(what): rd_kafka_queue_new failed")
        }
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(self.handle, api)
        defer { if let options { rd_kafka_AdminOptions_destroy(options) } }
        if let options {
            var errorBuffer = [CChar](repeating: 0, count: 256)
            _ = rd_kafka_AdminOptions_set_request_timeout(options, timeoutMilliseconds, &errorBuffer, errorBuffer.count)
            _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeoutMilliseconds, &errorBuffer, errorBuffer.count)
        }
        send(options, queue)
        guard let event = rd_kafka_queue_poll(queue, timeoutMilliseconds + 1_000) else {
            throw KafkaError(code: .timedOut, message: "\(what): no answer in \(timeoutMilliseconds) ms")
        }
        let err = rd_kafka_event_error(event)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let text = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? err.text
            rd_kafka_event_destroy(event)
            throw KafkaError(code: .admin, rdKafkaCode: err.rawValue, errorName: err.name, message: "\(what): \(text)")
        }
        return event
    }

    func createTopics(_ topics: [KafkaTopicSpecification], timeoutMilliseconds: Int32) throws(KafkaError) -> [(String, KafkaError?)] {
        var newTopics: [OpaquePointer?] = []
        defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
        var errorBuffer = [CChar](repeating: 0, count: 512)
        for topic in topics {
            guard
                let newTopic = rd_kafka_NewTopic_new(
                    topic.name,
                    Int32(clamping: topic.partitions),
                    Int32(clamping: topic.replicationFactor),
                    &errorBuffer,
                    errorBuffer.count
                )
            else {
                let reason = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                throw KafkaError(code: .invalidArgument, message: "topic \(topic.name): \(reason)")
            }
            newTopics.append(newTopic)
            for (key, value) in topic.config.sorted(by: { $0.key < $1.key }) {
                let err = rd_kafka_NewTopic_set_config(newTopic, key, value)
                if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    throw KafkaError(code: .invalidArgument, rdKafka: err, context: "topic \(topic.name) \(key)=\(value)")
                }
            }
        }
        let handle = self.handle
        let event = try self.request(RD_KAFKA_ADMIN_OP_CREATETOPICS, timeoutMilliseconds: timeoutMilliseconds, what: "create topics") {
            options, queue in
            newTopics.withUnsafeMutableBufferPointer { buffer in
                rd_kafka_CreateTopics(handle, buffer.baseAddress, buffer.count, options, queue)
            }
        }
        defer { rd_kafka_event_destroy(event) }
        var results: [(String, KafkaError?)] = []
        guard let result = rd_kafka_event_CreateTopics_result(event) else { return results }
        var count = 0
        guard let array = rd_kafka_CreateTopics_result_topics(result, &count) else { return results }
        for index in 0..<count {
            let topicResult = array[index]
            let name = rd_kafka_topic_result_name(topicResult).map { String(cString: $0) } ?? ""
            let err = rd_kafka_topic_result_error(topicResult)
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                results.append((name, nil))
            } else {
                let text = rd_kafka_topic_result_error_string(topicResult).map { String(cString: $0) } ?? err.text
                results.append(
                    (name, KafkaError(code: .admin, rdKafkaCode: err.rawValue, errorName: err.name, message: "create topic \(name): \(text)"))
                )
            }
        }
        return results
    }

    func describeConfigs(topic: String, timeoutMilliseconds: Int32) throws(KafkaError) -> [String: String] {
        guard let resource = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic) else {
            throw KafkaError(code: .invalidArgument, message: "describe configs of \(topic)")
        }
        defer { rd_kafka_ConfigResource_destroy(resource) }
        let handle = self.handle
        let event = try self.request(RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, timeoutMilliseconds: timeoutMilliseconds, what: "describe configs of \(topic)") {
            options, queue in
            var resources: [OpaquePointer?] = [resource]
            resources.withUnsafeMutableBufferPointer { buffer in
                rd_kafka_DescribeConfigs(handle, buffer.baseAddress, buffer.count, options, queue)
            }
        }
        defer { rd_kafka_event_destroy(event) }
        var configs: [String: String] = [:]
        guard let result = rd_kafka_event_DescribeConfigs_result(event) else { return configs }
        var count = 0
        guard let array = rd_kafka_DescribeConfigs_result_resources(result, &count) else { return configs }
        for index in 0..<count {
            let described = array[index]
            let err = rd_kafka_ConfigResource_error(described)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                let text = rd_kafka_ConfigResource_error_string(described).map { String(cString: $0) } ?? err.text
                throw KafkaError(code: .admin, rdKafkaCode: err.rawValue, errorName: err.name, message: "describe configs of \(topic): \(text)")
            }
            var entryCount = 0
            guard let entries = rd_kafka_ConfigResource_configs(described, &entryCount) else { continue }
            for entryIndex in 0..<entryCount {
                let entry = entries[entryIndex]
                guard let name = rd_kafka_ConfigEntry_name(entry).map({ String(cString: $0) }) else { continue }
                configs[name] = rd_kafka_ConfigEntry_value(entry).map { String(cString: $0) } ?? ""
            }
        }
        return configs
    }

    func metadata(timeoutMilliseconds: Int32) throws(KafkaError) -> [KafkaTopicDescription] {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let err = rd_kafka_metadata(self.handle, 1, nil, &metadata, timeoutMilliseconds)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw KafkaError(code: .admin, rdKafka: err, context: "metadata")
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        var topics: [KafkaTopicDescription] = []
        for topicIndex in 0..<Int(metadata.pointee.topic_cnt) {
            let topic = metadata.pointee.topics[topicIndex]
            if topic.err != RD_KAFKA_RESP_ERR_NO_ERROR { continue }
            var partitions: [KafkaTopicDescription.Partition] = []
            for partitionIndex in 0..<Int(topic.partition_cnt) {
                let partition = topic.partitions[partitionIndex]
                let replicas = (0..<Int(partition.replica_cnt)).map { partition.replicas[$0] }
                let isr = (0..<Int(partition.isr_cnt)).map { partition.isrs[$0] }
                partitions.append(.init(id: partition.id, leader: partition.leader, replicas: replicas, isr: isr))
            }
            partitions.sort { $0.id < $1.id }
            topics.append(KafkaTopicDescription(name: topic.topic.map { String(cString: $0) } ?? "", partitions: partitions))
        }
        return topics
    }

    func watermarks(_ partition: KafkaTopicPartition, timeoutMilliseconds: Int32) throws(KafkaError) -> (low: Int64, high: Int64) {
        var low: Int64 = -1
        var high: Int64 = -1
        let err = rd_kafka_query_watermark_offsets(
            self.handle, partition.topic, partition.partition, &low, &high, timeoutMilliseconds)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: .admin, rdKafka: err, context: "watermarks of \(partition)")
        }
        return (low, high)
    }

    func committedOffsets(
        group: String,
        partitions: [KafkaTopicPartition],
        timeoutMilliseconds: Int32
    ) throws(KafkaError) -> [KafkaTopicPartition: Int64] {
        if partitions.isEmpty { return [:] }
        let list = RDKafkaTopicPartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        guard let request = rd_kafka_ListConsumerGroupOffsets_new(group, list) else {
            throw KafkaError(code: .invalidArgument, message: "list offsets of group \(group)")
        }
        defer { rd_kafka_ListConsumerGroupOffsets_destroy(request) }
        let handle = self.handle
        let event = try self.request(
            RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS,
            timeoutMilliseconds: timeoutMilliseconds,
            what: "committed offsets of group \(group)"
        ) { options, queue in
            var requests: [OpaquePointer?] = [request]
            requests.withUnsafeMutableBufferPointer { buffer in
                rd_kafka_ListConsumerGroupOffsets(handle, buffer.baseAddress, buffer.count, options, queue)
            }
        }
        defer { rd_kafka_event_destroy(event) }
        var committed: [KafkaTopicPartition: Int64] = [:]
        guard let result = rd_kafka_event_ListConsumerGroupOffsets_result(event) else { return committed }
        var count = 0
        guard let groups = rd_kafka_ListConsumerGroupOffsets_result_groups(result, &count) else { return committed }
        for index in 0..<count {
            let groupResult = groups[index]
            if let error = rd_kafka_group_result_error(groupResult) {
                let code = rd_kafka_error_code(error)
                let text = String(cString: rd_kafka_error_string(error))
                throw KafkaError(code: .admin, rdKafkaCode: code.rawValue, errorName: code.name, message: "group \(group): \(text)")
            }
            for (item, err) in RDKafkaTopicPartitionList.read(rd_kafka_group_result_partitions(groupResult)) {
                if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    throw KafkaError(code: .admin, rdKafka: err, context: "committed offset of \(group) on \(item.topicPartition)")
                }
                committed[item.topicPartition] = item.offset
            }
        }
        return committed
    }
}
