import Kafka
import Testing

@Suite("Producer delivery")
struct ProducerTests {
    @Test("a full local queue makes send wait and retry; every message is still delivered")
    func queueFullIsRetried() async throws {
        try await KafkaTestSupport.withBroker(topics: [("small-queue", 2)]) { broker in
            var configuration = KafkaProducerConfiguration(common: KafkaConfiguration(brokers: broker.bootstrapServers))
            configuration.queueBufferingMaxMessages = 50
            configuration.batchNumMessages = 10
            let producer = try KafkaProducer(configuration: configuration, logger: KafkaTestSupport.logger)
            let messages = (0..<2_000).map { KafkaOutgoingMessage(topic: "small-queue", key: Array("\($0)".utf8), value: Array(repeating: 7, count: 100)) }
            let reports = try await producer.send(messages)
            #expect(reports.count == messages.count)
            #expect(Set(reports.map { "\($0.partition)/\($0.offset)" }).count == messages.count)
            try await producer.close()
            let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.bootstrapServers))
            let lag = try await admin.groupOffsets(group: "nobody", topics: ["small-queue"])
            #expect(lag.reduce(0) { $0 + $1.high } == Int64(messages.count))
            admin.close()
        }
    }

    @Test("a failed message makes send throw a delivery error naming it, while the others are delivered")
    func failureNamesTheMessage() async throws {
        try await KafkaTestSupport.withBroker(topics: [("one-partition", 1)]) { broker in
            let producer = try KafkaTestSupport.producer(broker)
            // Learn the topic's metadata first.
            try await producer.send(KafkaOutgoingMessage(topic: "one-partition", value: [0]))
            let messages = [
                KafkaOutgoingMessage(topic: "one-partition", value: [1]),
                KafkaOutgoingMessage(topic: "one-partition", value: [2], partition: 5),
                KafkaOutgoingMessage(topic: "one-partition", value: [3]),
            ]
            let error = await #expect(throws: KafkaError.self) { try await producer.send(messages) }
            #expect(error?.code == .delivery)
            #expect(error?.failures.map(\.index) == [1])
            #expect(error?.failures.first?.errorName == "_UNKNOWN_PARTITION")
            try await producer.close()
            let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.bootstrapServers))
            #expect(try await admin.watermarks(KafkaTopicPartition(topic: "one-partition", partition: 0)) == (0, 3))
            admin.close()
        }
    }

    @Test("sending nothing returns no reports")
    func emptySend() async throws {
        try await KafkaTestSupport.withBroker(topics: [("empty", 1)]) { broker in
            let producer = try KafkaTestSupport.producer(broker)
            #expect(try await producer.send([]).isEmpty)
            let receipt = try await producer.enqueue([])
            #expect(receipt.count == 0)
            #expect(try await receipt.reports().isEmpty)
            try await producer.close()
        }
    }

    @Test("enqueue returns before the acknowledgements; its receipt gives every report, in order, as often as asked")
    func enqueueThenReports() async throws {
        try await KafkaTestSupport.withBroker(topics: [("receipts", 3), ("other", 1)]) { broker in
            let producer = try KafkaTestSupport.producer(broker)
            var messages = (0..<500).map {
                KafkaOutgoingMessage(topic: "receipts", key: Array("\($0)".utf8), value: Array(repeating: 1, count: 64))
            }
            messages.append(KafkaOutgoingMessage(topic: "other", value: [2]))
            let receipt = try await producer.enqueue(messages)
            // The caller's messages are not needed any more: librdkafka has its own copies.
            messages = []
            #expect(receipt.count == 501)
            let reports = try await receipt.reports()
            #expect(reports.count == 501)
            #expect(reports.dropLast().allSatisfy { $0.topic == "receipts" && $0.offset >= 0 })
            #expect(reports.last?.topic == "other")
            #expect(Set(reports.map { "\($0.topic)/\($0.partition)/\($0.offset)" }).count == 501)
            let again = try await receipt.reports()
            #expect(again.map(\.offset) == reports.map(\.offset))
            try await producer.close()
        }
    }

    @Test("a receipt dropped before the acknowledgements: the batch outlives it and every message is delivered")
    func droppedReceipt() async throws {
        try await KafkaTestSupport.withBroker(topics: [("dropped", 2)]) { broker in
            let producer = try KafkaTestSupport.producer(broker)
            let messages = (0..<1_000).map { _ in KafkaOutgoingMessage(topic: "dropped", value: Array(repeating: 3, count: 32)) }
            for _ in 0..<3 {
                _ = try await producer.enqueue(messages)
            }
            // The reports arrive after every receipt is gone; the batches keep themselves until then.
            try await producer.flush(timeout: .seconds(20))
            let reports = try await producer.send([KafkaOutgoingMessage(topic: "dropped", value: [9])])
            #expect(reports.count == 1)
            try await producer.close()
            let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.bootstrapServers))
            let offsets = try await admin.groupOffsets(group: "nobody", topics: ["dropped"])
            #expect(offsets.reduce(0) { $0 + $1.high } == 3_001)
            admin.close()
        }
    }

    @Test("a receipt's failures name the message by its index, like send's")
    func receiptFailure() async throws {
        try await KafkaTestSupport.withBroker(topics: [("single", 1)]) { broker in
            let producer = try KafkaTestSupport.producer(broker)
            try await producer.send(KafkaOutgoingMessage(topic: "single", value: [0]))
            let receipt = try await producer.enqueue([
                KafkaOutgoingMessage(topic: "single", value: [1], partition: 3),
                KafkaOutgoingMessage(topic: "single", value: [2]),
            ])
            let error = await #expect(throws: KafkaError.self) { try await receipt.reports() }
            #expect(error?.failures.map(\.index) == [0])
            #expect(error?.failures.first?.topic == "single")
            try await producer.close()
        }
    }

    @Test("an invalid librdkafka property is a configuration error, not a crash")
    func badConfiguration() {
        var configuration = KafkaProducerConfiguration()
        configuration.common.extra["no.such.property"] = "1"
        let error = #expect(throws: KafkaError.self) { _ = try KafkaProducer(configuration: configuration) }
        #expect(error?.code == .configuration)
    }
}
