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
        // A random high port; another process may hold it, so try a few.
        var started: (EmbeddedKafkaBroker, Int)?
        for _ in 0..<5 where started == nil {
            let port = Int.random(in: 30_000..<40_000)
            if let broker = try? EmbeddedKafkaBroker(
                configuration: .init(port: port, topics: [("fixed", 1)]),
                logger: KafkaTestSupport.logger
            ) {
                started = (broker, port)
            }
        }
        let (broker, port) = try #require(started)
        defer { broker.shutdown() }
        #expect(broker.bootstrapServers == "127.0.0.1:\(port)")
        let producer = try KafkaTestSupport.producer(broker)
        let report = try await producer.send(KafkaOutgoingMessage(topic: "fixed", key: [1], value: [2, 3]))
        #expect(report.partition == 0)
        #expect(report.offset == 0)
        try await producer.close()
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.bootstrapServers))
        defer { admin.close() }
        #expect(try await admin.watermarks(KafkaTopicPartition(topic: "fixed", partition: 0)) == (0, 1))
    }

    @Test("a fixed port that is already taken is a forwarder error")
    func takenPort() throws {
        let first = try EmbeddedKafkaBroker(configuration: .init(port: 0), logger: KafkaTestSupport.logger)
        defer { first.shutdown() }
        // Port 0 lets the system pick the forwarder's port; the first broker holds it.
        let taken = try #require(Int(first.bootstrapServers.split(separator: ":").last ?? ""))
        #expect(taken > 0)
        let error = #expect(throws: KafkaError.self) {
            _ = try EmbeddedKafkaBroker(configuration: .init(port: taken), logger: KafkaTestSupport.logger)
        }
        #expect(error?.code == .forwarder)
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

    @Test("a three-broker embedded cluster replicates topics three ways and serves produce and describe")
    func threeBrokers() async throws {
        let broker = try EmbeddedKafkaBroker(
            configuration: .init(brokers: 3, topics: [("replicated", 3)]),
            logger: KafkaTestSupport.logger
        )
        defer { broker.shutdown() }
        #expect(broker.bootstrapServers.split(separator: ",").count == 3)
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.bootstrapServers))
        defer { admin.close() }
        let topic = try #require(try await admin.describeTopics(["replicated"]).first)
        #expect(topic.partitions.count == 3)
        #expect(topic.partitions.allSatisfy { Set($0.replicas) == [1, 2, 3] && $0.replicas.contains($0.leader) })
        let producer = try KafkaTestSupport.producer(broker)
        let reports = try await producer.send((0..<30).map { KafkaOutgoingMessage(topic: "replicated", key: [UInt8($0)], value: [1]) })
        #expect(reports.count == 30)
        try await producer.close()
    }
}
