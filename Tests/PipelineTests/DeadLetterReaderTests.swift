import Kafka
import Pipeline
import Testing
import UsersContract

/// The dead-letter topic read back by `DeadLetterReader` on the embedded broker: unique letters, errors that name what
/// failed, and a read that ends at what was there when it started.
@Suite("Dead letters read back from their topic", .serialized)
struct DeadLetterReaderTests {
    static let dlq = "random_users_dlq"

    /// A broker with the users topic and, unless `dlqPartitions` is nil, the dead-letter topic.
    private func broker(dlqPartitions: Int? = 1) throws -> EmbeddedKafkaBroker {
        try EmbeddedKafkaBroker(
            configuration: .init(
                topics: [(name: "random_users", partitions: 2)]
                    + (dlqPartitions.map { [(name: Self.dlq, partitions: $0)] } ?? [])))
    }

    /// A reader of `topic` on `brokers`, with the short session timeout the embedded broker wants.
    private func reader(
        brokers: String, topic: String = Self.dlq, configure: (inout DeadLetterReader.Configuration) -> Void = { _ in }
    ) -> DeadLetterReader {
        var configuration = PipelineConfiguration()
        configuration.kafka.brokers = brokers
        configuration.kafka.deadLetterTopic = topic
        configuration.kafka.sessionTimeout = .seconds(6)
        var reading = DeadLetterReader.Configuration()
        configure(&reading)
        return DeadLetterReader(
            builder: PipelineBuilder(configuration: configuration, parts: .process), configuration: reading)
    }

    /// A letter for the record at `offset` of `random_users[partition]` (nil: a batch reject, without a position).
    private func letter(
        _ reason: RejectReason, partition: Int32?, offset: Int64?, receivedAt: Int64 = 1_700_000_000_000
    ) -> [UInt8] {
        DeadLetter(
            reason: reason, detail: "rule failed", key: offset.map { "key-\($0)" },
            topic: partition.map { _ in "random_users" },
            partition: partition, offset: offset, receivedAt: receivedAt,
            payload: reason == .notJSON ? .text("not json") : .json(Array(#"{"email":"x"}"#.utf8))
        ).jsonBytes()
    }

    /// Produces `values` into the dead-letter topic one after the other (so their offsets follow the order given).
    private func produce(_ values: [[UInt8]], to brokers: String, partition: (Int) -> Int32 = { _ in 0 }) async throws {
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(common: KafkaConfiguration(brokers: brokers)))
        for (index, value) in values.enumerated() {
            _ = try await producer.send(
                KafkaOutgoingMessage(topic: Self.dlq, value: value, partition: partition(index)))
        }
        try await producer.close()
    }

    @Test("copies of one source position count once and the first is kept; batch rejects and other positions stay")
    func duplicatesCountOnce() async throws {
        let broker = try broker()
        defer { broker.shutdown() }
        try await produce(
            [
                letter(.invalidEmail, partition: 0, offset: 7, receivedAt: 1000),  // 0: kept
                letter(.invalidEmail, partition: 1, offset: 7),  // 1: same offset, other partition: kept
                letter(.invalidEmail, partition: 0, offset: 7, receivedAt: 2000),  // 2: copy of 0
                letter(.notJSON, partition: 0, offset: 8),  // 3: kept
                letter(.missingUserID, partition: nil, offset: nil),  // 4: batch reject: kept
                letter(.missingUserID, partition: nil, offset: nil),  // 5: batch reject: kept
                Array("not a dead letter".utf8),  // 6: skipped
                letter(.notJSON, partition: 0, offset: 8),  // 7: copy of 3
            ], to: broker.bootstrapServers)

        let scan = try await reader(brokers: broker.bootstrapServers).read()

        #expect(scan.letters.map(\.offset) == [0, 1, 3, 4, 5])
        #expect(scan.copies.map(\.offset) == [2, 7])
        #expect(scan.copiesDropped == 2)
        #expect(scan.skipped == 1)
        #expect(scan.letters.first?.letter.receivedAt == 1000)
        #expect(
            scan.byReason == [
                .init(reason: .invalidEmail, letters: 2, copiesDropped: 1),
                .init(reason: .missingUserID, letters: 2, copiesDropped: 0),
                .init(reason: .notJSON, letters: 1, copiesDropped: 1),
            ])
        // Choosing a copy's offset chooses the letter it copies, once; an offset with no letter is reported.
        let byCopy = scan.select(reasons: [], offsets: [0, 2])
        #expect(byCopy.letters.map(\.offset) == [0])
        #expect(byCopy.unmatchedOffsets.isEmpty)
        let byReason = scan.select(reasons: [.notJSON, .tooLarge], offsets: [99, 6])
        #expect(byReason.letters.map(\.offset) == [3])
        #expect(byReason.unmatchedOffsets == [6, 99])
    }

    @Test("an unreachable broker fails within the deadline, naming it")
    func unreachableBroker() async throws {
        let reader = reader(brokers: "127.0.0.1:1") { $0.checkTimeout = .seconds(2) }
        let started = ContinuousClock.now
        let error = await #expect(throws: DeadLetterReaderError.self) { try await reader.read() }
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(error?.code == .brokersUnreachable)
        #expect(error?.description.contains("127.0.0.1:1") == true)
    }

    @Test("a missing topic is an error naming it, and it is not created")
    func missingTopic() async throws {
        let broker = try broker(dlqPartitions: nil)
        defer { broker.shutdown() }
        let reader = reader(brokers: broker.bootstrapServers, topic: "absent_dlq")
        let error = await #expect(throws: DeadLetterReaderError.self) { try await reader.read() }
        #expect(error?.code == .topicMissing)
        #expect(error?.description.contains("absent_dlq") == true)

        let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.bootstrapServers))
        defer { admin.close() }
        let topics = try await admin.listTopics().map(\.name)
        #expect(topics.contains("random_users"))
        #expect(!topics.contains("absent_dlq"))
    }

    @Test("the read stops at each partition's high watermark taken at the start; later letters are left out")
    func stopsAtHighWatermark() async throws {
        let broker = try broker(dlqPartitions: 2)
        defer { broker.shutdown() }
        let brokers = broker.bootstrapServers
        try await produce((0..<30).map { letter(.invalidEmail, partition: 0, offset: Int64($0)) }, to: brokers) {
            Int32($0 % 2)
        }
        let reader = reader(brokers: brokers)
        let extent = try await reader.locate()
        #expect(extent.partitions.map(\.high) == [15, 15])
        #expect(extent.messages == 30)

        // Letters written after the watermarks were taken, before and while the topic is read, are not read.
        try await produce((30..<40).map { letter(.invalidEmail, partition: 0, offset: Int64($0)) }, to: brokers) {
            Int32($0 % 2)
        }
        async let more: Void = produce(
            (40..<60).map { letter(.invalidEmail, partition: 0, offset: Int64($0)) }, to: brokers) { Int32($0 % 2) }
        let scan = try await reader.read(extent)
        try await more
        #expect(scan.letters.count == 30)
        #expect(scan.letters.allSatisfy { ($0.source?.offset ?? .max) < 30 })

        // A new read sees everything there now.
        #expect(try await reader.read().letters.count == 60)
    }

    @Test("a read that cannot finish by the deadline fails naming where it stopped")
    func deadline() async throws {
        let broker = try broker()
        defer { broker.shutdown() }
        try await produce(
            (0..<3).map { letter(.invalidEmail, partition: 0, offset: Int64($0)) }, to: broker.bootstrapServers)
        let extent = try await reader(brokers: broker.bootstrapServers).locate()
        // The embedded broker holds a new group's first join for about 3 s: far past this deadline.
        let reader = reader(brokers: broker.bootstrapServers) { $0.timeout = .milliseconds(300) }
        let error = await #expect(throws: DeadLetterReaderError.self) { try await reader.read(extent) }
        #expect(error?.code == .timedOut)
        #expect(error?.description.contains("random_users_dlq[0] at offset 0 of 3") == true)
    }

    @Test("an empty topic reads nothing and needs no consumer group")
    func emptyTopic() async throws {
        let broker = try broker()
        defer { broker.shutdown() }
        // Joining a group takes about 3 s on the embedded broker, past this deadline: the watermarks settle it alone.
        let reader = reader(brokers: broker.bootstrapServers) { $0.timeout = .milliseconds(2500) }
        let scan = try await reader.read()
        #expect(scan.letters.isEmpty && scan.copiesDropped == 0 && scan.skipped == 0)
    }
}
