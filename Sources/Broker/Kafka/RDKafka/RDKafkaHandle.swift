import CRdKafka
import Logging

/// Per-client state reachable from librdkafka's C callbacks through the `rd_kafka_t` opaque.
///
/// Subclasses add the producer's delivery handling and the consumer's rebalance handling.
/// It must outlive the `rd_kafka_t` (the owner destroys the handle first).
class RDKafkaCallbackContext: @unchecked Sendable {
    let logger: Logger
    /// Where this client's statistics go: broker state changes, logged once per process.
    var brokers: BrokerStateTracker { BrokerStateTracker.shared }

    init(logger: Logger) {
        self.logger = logger
    }

    /// Forwards one librdkafka log line to swift-log.
    final func log(level: Int32, facility: String, message: String) {
        let swiftLevel: Logger.Level
        switch level {
        case ...2: swiftLevel = .critical
        case 3: swiftLevel = .error
        case 4: swiftLevel = .warning
        case 5: swiftLevel = .notice
        case 6: swiftLevel = .info
        default: swiftLevel = .debug
        }
        let level = BrokerStateTracker.isConnectionNoise(facility: facility, message: message) ? .debug : swiftLevel
        self.logger.log(
            level: level,
            "\(message)",
            metadata: ["kafka.facility": "\(facility)"],
            source: "librdkafka"
        )
    }
}

/// A `rd_kafka_t` with its configuration applied and its log callback routed to swift-log.
enum RDKafkaHandle {
    /// Creates a client handle.
    /// - Parameters:
    ///   - type: producer or consumer.
    ///   - properties: librdkafka properties in order.
    ///   - context: the callback context (kept alive by the caller until after `rd_kafka_destroy`).
    ///   - configure: extra `rd_kafka_conf_t` setup (callbacks).
    static func make(
        type: rd_kafka_type_t,
        properties: [(String, String)],
        context: RDKafkaCallbackContext,
        configure: (OpaquePointer) -> Void = { _ in }
    ) throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .clientCreation, message: "rd_kafka_conf_new failed")
        }
        var errorBuffer = [CChar](repeating: 0, count: 512)
        for (key, value) in properties {
            let result = rd_kafka_conf_set(conf, key, value, &errorBuffer, errorBuffer.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let reason = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                // A secret (sasl.password, ssl.key.password, ...) is named, never shown, also where librdkafka's
                // reason quotes it.
                let secret = ["password", "secret", "key"].contains { key.lowercased().contains($0) }
                let shown = secret ? "\(key)=<redacted>" : "\(key)=\(value)"
                let said = secret && !value.isEmpty ? reason.replacing(value, with: "<redacted>") : reason
                throw KafkaError(code: .configuration, message: "\(shown): \(said)")
            }
        }
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(context).toOpaque())
        rd_kafka_conf_set_log_cb(conf) { rk, level, facility, buffer in
            guard let rk, let opaque = rd_kafka_opaque(rk) else { return }
            let context = Unmanaged<RDKafkaCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
            context.log(
                level: level,
                facility: facility.map { String(cString: $0) } ?? "",
                message: buffer.map { String(cString: $0) } ?? ""
            )
        }
        configure(conf)
        guard let handle = rd_kafka_new(type, conf, &errorBuffer, errorBuffer.count) else {
            rd_kafka_conf_destroy(conf)
            let reason = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw KafkaError(code: .clientCreation, message: "rd_kafka_new: \(reason)")
        }
        return handle
    }
}

/// Helpers to build and read `rd_kafka_topic_partition_list_t`.
enum RDKafkaTopicPartitionList {
    /// A new list holding `offsets` (caller destroys it).
    static func make(_ offsets: [KafkaTopicPartitionOffset]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        let list = rd_kafka_topic_partition_list_new(Int32(clamping: offsets.count))!
        for item in offsets {
            if let element = rd_kafka_topic_partition_list_add(list, item.topic, item.partition) {
                element.pointee.offset = item.offset
            }
        }
        return list
    }

    /// A new list holding `partitions` with an invalid offset (caller destroys it).
    static func make(_ partitions: [KafkaTopicPartition]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        self.make(partitions.map { KafkaTopicPartitionOffset(topic: $0.topic, partition: $0.partition, offset: -1001) })
    }

    /// The elements of `list`.
    static func read(
        _ list: UnsafePointer<rd_kafka_topic_partition_list_t>?
    ) -> [(KafkaTopicPartitionOffset, rd_kafka_resp_err_t)] {
        guard let list, let elements = list.pointee.elems else { return [] }
        var result: [(KafkaTopicPartitionOffset, rd_kafka_resp_err_t)] = []
        result.reserveCapacity(Int(list.pointee.cnt))
        for index in 0..<Int(list.pointee.cnt) {
            let element = elements[index]
            let topic = element.topic.map { String(cString: $0) } ?? ""
            result.append(
                (KafkaTopicPartitionOffset(topic: topic, partition: element.partition, offset: element.offset), element.err)
            )
        }
        return result
    }
}
