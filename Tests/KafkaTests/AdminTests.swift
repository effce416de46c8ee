import Kafka
import Testing

@Suite("Admin and embedded broker")
struct AdminTests {
    @Test("describe shows partitions, leaders and replicas; missingTopics names only absent topics")
    func describeAndMissing() async throws {
        try await KafkaTestSupport.withBroker(topics: [("users", 3), ("users_dlq", 1)]) { broker in
            let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.bootstrapServers))
            let described = try await admin.describeTopics(["users", "users_dlq", "nope"])
            #expect(described.map(\.name) == ["users", "users_dlq"])
            let users = try #require(described.first)
            #expect(users.partitions.map(\.id) == [0, 1, 2])
            #expect(users.partitions.allSatisfy { $0.leader >= 0 && $0.replicas.count == 1 && $0.isr.count == 1 })
            #expect(try await admin.missingTopics(["users", "nope", "users_dlq", "other"]) == ["nope", "other"])
            // Asking does not create the topic.
            #expect(try await admin.missingTopics(["nope"]) == ["nope"])

            try broker.createTopic(name: "later", partitions: 2)
            #expect(try await admin.missingTopics(["later"]).isEmpty)
            #expect(throws: KafkaError.self) { try broker.createTopic(name: "later", partitions: 2) }
            admin.close()
        }
    }

    @Test("CreateTopics and DescribeConfigs fail cleanly on the mock, which lacks them")
    func unsupportedOnMock() async throws {
        try await KafkaTestSupport.withBroker(topics: [("users", 1)]) { broker in
            let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.bootstrapServers))
            let created = await #expect(throws: KafkaError.self) {
                try await admin.createTopics(
                    [KafkaTopicSpecification(name: "fresh", partitions: 2, config: ["retention.ms": "60000"])],
                    timeout: .seconds(5)
                )
            }
            #expect(created?.errorName.isEmpty == false)
            await #expect(throws: KafkaError.self) {
                _ = try await admin.describeConfigs(topic: "users", timeout: .seconds(5))
            }
            admin.close()
        }
    }

    @Test("a producer bootstrapping through the fixed port reaches the mock")
    func fixedPortForwarder() async throws {
        let port = Int.random(in: 30_000..<40_000)
        try await KafkaTestSupport.withBroker(topics: [("fixed", 1)], port: port) { broker in
            #expect(broker.bootstrapServers == "127.0.0.1:\(port)")
            let producer = try KafkaTestSupport.producer(broker)
            let report = try await producer.send(KafkaOutgoingMessage(topic: "fixed", key: [1], value: [2, 3]))
            #expect(report.partition == 0)
            #expect(report.offset == 0)
            try await producer.close()
            let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.bootstrapServers))
            #expect(try await admin.watermarks(KafkaTopicPartition(topic: "fixed", partition: 0)) == (0, 1))
            admin.close()
        }
    }

    @Test("a send to a closed producer throws closed")
    func closedProducer() async throws {
        try await KafkaTestSupport.withBroker(topics: [("x", 1)]) { broker in
            let producer = try KafkaTestSupport.producer(broker)
            try await producer.close()
            let error = await #expect(throws: KafkaError.self) {
                try await producer.send(KafkaOutgoingMessage(topic: "x", value: [1]))
            }
            #expect(error?.code == .closed)
        }
    }
}
