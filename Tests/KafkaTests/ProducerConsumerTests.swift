import Kafka
import Testing

@Suite("Producer and consumer against the embedded broker")
struct ProducerConsumerTests {
    @Test("messages with keys and headers come back intact, and committed offsets leave nothing to read")
    func roundTrip() async throws {
        let topic = "round-trip"
        try await KafkaTestSupport.withBroker(topics: [(topic, 3)]) { broker in
            let producer = try KafkaTestSupport.producer(broker)
            let sent = (0..<300).map { i in
                KafkaOutgoingMessage(
                    topic: topic,
                    key: Array("user-\(i)".utf8),
                    value: Array("{\"n\":\(i),\"name\":\"Zoë\"}".utf8),
                    headers: [
                        KafkaHeader(name: "source", string: "synthetic"),
                        KafkaHeader(name: "schema", string: "randomuser/1.4"),
                        KafkaHeader(name: "nothing", value: nil),
                    ]
                )
            }
            let reports = try await producer.send(sent)
            #expect(reports.count == sent.count)
            #expect(Set(reports.map { "\($0.partition)/\($0.offset)" }).count == sent.count)
            try await producer.close()

            let consumer = try KafkaTestSupport.consumer(broker, group: "rt", topics: [topic])
            let (received, events) = try await KafkaTestSupport.consume(consumer, count: sent.count, commit: true)
            #expect(received.count == sent.count)
            #expect(events.contains { if case .assigned = $0 { true } else { false } })
            #expect(!events.contains { if case .gap = $0 { true } else { false } })

            let byKey = Dictionary(uniqueKeysWithValues: received.map { (String(decoding: $0.key ?? [], as: UTF8.self), $0) })
            for (index, message) in sent.enumerated() {
                let got = try #require(byKey["user-\(index)"])
                #expect(got.value == message.value)
                #expect(got.headers == message.headers)
                #expect(got.topic == topic)
                #expect(got.partition == reports[index].partition)
                #expect(got.offset == reports[index].offset)
                #expect(got.timestampMilliseconds != nil)
            }
            let lag = try await consumer.lag()
            #expect(lag.count == 3)
            #expect(lag.values.allSatisfy { $0 == 0 })
            try await consumer.close()

            // A new member of the same group finds nothing new.
            let again = try KafkaTestSupport.consumer(broker, group: "rt", topics: [topic])
            let (more, _) = try await KafkaTestSupport.pollUntilAssigned(again)
            #expect(more.isEmpty)
            try await again.close()

            let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.bootstrapServers))
            let groupLag = try await admin.groupOffsets(group: "rt", topics: [topic])
            #expect(groupLag.count == 3)
            #expect(groupLag.allSatisfy { $0.committed == $0.high && $0.lag == 0 })
            #expect(groupLag.reduce(0) { $0 + $1.high } == Int64(sent.count))
            #expect(try await admin.groupLag(group: "rt", topic: topic) == [0: 0, 1: 0, 2: 0])
            admin.close()
        }
    }

    @Test("uncommitted messages are read again by the group; committed ones are not")
    func commitAfterProcess() async throws {
        let topic = "commit-after-process"
        try await KafkaTestSupport.withBroker(topics: [(topic, 2)]) { broker in
            let producer = try KafkaTestSupport.producer(broker)
            let sent = (0..<50).map { KafkaOutgoingMessage(topic: topic, key: Array("k\($0)".utf8), value: Array("v\($0)".utf8)) }
            try await producer.send(sent)
            try await producer.close()

            let first = try KafkaTestSupport.consumer(broker, group: "cap", topics: [topic])
            let (read1, _) = try await KafkaTestSupport.consume(first, count: sent.count, commit: false)
            #expect(read1.count == sent.count)
            try await first.close()
            let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.bootstrapServers))
            defer { admin.close() }
            #expect(try await admin.totalLag(group: "cap", topics: [topic]) == Int64(sent.count))

            let second = try KafkaTestSupport.consumer(broker, group: "cap", topics: [topic])
            let (read2, _) = try await KafkaTestSupport.consume(second, count: sent.count, commit: false)
            #expect(Set(read2.map { "\($0.partition)/\($0.offset)" }) == Set(read1.map { "\($0.partition)/\($0.offset)" }))
            try await second.commit(KafkaBatch(messages: read2))
            try await second.close()
            #expect(try await admin.totalLag(group: "cap", topics: [topic]) == 0)

            let third = try KafkaTestSupport.consumer(broker, group: "cap", topics: [topic])
            let (read3, events3) = try await KafkaTestSupport.pollUntilAssigned(third)
            #expect(events3.contains { if case .assigned = $0 { true } else { false } })
            #expect(read3.isEmpty)
            try await third.close()
        }
    }

    @Test(
        "two consumers of one group share the partitions and together read every message once",
        arguments: [KafkaConsumerConfiguration.AssignmentStrategy.rangeRoundRobin, .cooperativeSticky]
    )
    func twoConsumersShare(strategy: KafkaConsumerConfiguration.AssignmentStrategy) async throws {
        let topic = "shared"
        try await KafkaTestSupport.withBroker(topics: [(topic, 4)]) { broker in
            let a = try KafkaTestSupport.consumer(broker, group: "share", topics: [topic], strategy: strategy)
            let b = try KafkaTestSupport.consumer(broker, group: "share", topics: [topic], strategy: strategy)
            // Poll both until the group settles with a split assignment.
            let deadline = ContinuousClock.now + .seconds(40)
            var assignments: ([KafkaTopicPartition], [KafkaTopicPartition]) = ([], [])
            while ContinuousClock.now < deadline {
                async let pa = a.poll(maxMessages: 100, timeout: .milliseconds(200))
                async let pb = b.poll(maxMessages: 100, timeout: .milliseconds(200))
                _ = try await (pa, pb)
                assignments = (try await a.assignment(), try await b.assignment())
                if !assignments.0.isEmpty, !assignments.1.isEmpty, assignments.0.count + assignments.1.count == 4 { break }
            }
            #expect(!assignments.0.isEmpty)
            #expect(!assignments.1.isEmpty)
            #expect(Set(assignments.0).isDisjoint(with: assignments.1))

            let producer = try KafkaTestSupport.producer(broker)
            let sent = (0..<200).map { KafkaOutgoingMessage(topic: topic, key: Array("user-\($0)".utf8), value: Array("\($0)".utf8)) }
            try await producer.send(sent)
            try await producer.close()

            var readA: [KafkaConsumedMessage] = []
            var readB: [KafkaConsumedMessage] = []
            let readDeadline = ContinuousClock.now + .seconds(30)
            while readA.count + readB.count < sent.count, ContinuousClock.now < readDeadline {
                async let pa = a.poll(maxMessages: 100, timeout: .milliseconds(200))
                async let pb = b.poll(maxMessages: 100, timeout: .milliseconds(200))
                let (batchA, batchB) = try await (pa, pb)
                readA += batchA.messages
                readB += batchB.messages
                try await a.commit(batchA)
                try await b.commit(batchB)
            }
            #expect(!readA.isEmpty)
            #expect(!readB.isEmpty)
            #expect(Set(readA.map { KafkaTopicPartition(topic: $0.topic, partition: $0.partition) }).isSubset(of: assignments.0))
            #expect(Set(readB.map { KafkaTopicPartition(topic: $0.topic, partition: $0.partition) }).isSubset(of: assignments.1))
            let all = (readA + readB).map { "\($0.partition)/\($0.offset)" }
            #expect(all.count == sent.count)
            #expect(Set(all).count == sent.count)
            try await a.close()
            try await b.close()
        }
    }

    /// A poll that copies the messages, or one that holds them in place and lends them (copied here to compare). It
    /// lasts 40 s: B's join and the rebalance it causes must happen inside it, also on a loaded machine.
    private func longPoll(_ consumer: KafkaConsumer, holding: Bool) async throws -> KafkaBatch {
        if !holding { return try await consumer.poll(maxMessages: 100_000, timeout: .seconds(40)) }
        let poll = try await consumer.poll(maxMessages: 100_000, timeout: .seconds(40)) { $0.map { $0.copied() } }
        #expect(poll.messageCount == poll.result.count)
        return KafkaBatch(messages: poll.result, events: poll.events, generation: poll.position.generation)
    }

    @Test(
        "messages collected in a poll from partitions revoked during it are dropped, not returned (copied or held)",
        arguments: [KafkaConsumerConfiguration.AssignmentStrategy.rangeRoundRobin, .cooperativeSticky], [false, true]
    )
    func revokeDuringPollDropsCollected(
        strategy: KafkaConsumerConfiguration.AssignmentStrategy, holding: Bool
    ) async throws {
        let topic = "revoke-drop"
        try await KafkaTestSupport.withBroker(topics: [(topic, 4)]) { broker in
            let a = try KafkaTestSupport.consumer(broker, group: "revoke", topics: [topic], strategy: strategy)
            _ = try await KafkaTestSupport.pollUntilAssigned(a, extra: .milliseconds(200))
            #expect(try await a.assignment().count == 4)

            // A long poll of A collects the messages; B joins meanwhile and forces a rebalance inside that poll.
            async let batchOfA = longPoll(a, holding: holding)
            let producer = try KafkaTestSupport.producer(broker)
            let sent = (0..<100).map { KafkaOutgoingMessage(topic: topic, key: Array("user-\($0)".utf8), value: Array("\($0)".utf8)) }
            try await producer.send(sent)
            try await producer.close()
            try await Task.sleep(for: .seconds(1))
            let b = try KafkaTestSupport.consumer(broker, group: "revoke", topics: [topic], strategy: strategy)
            let joinedB = try await KafkaTestSupport.pollUntilAssigned(b, extra: .seconds(1))
            var readB = joinedB.messages
            let batchA = try await batchOfA

            let dropped = batchA.events.reduce(0) { total, event in
                if case .droppedOnRevoke(_, let count) = event { return total + count }
                return total
            }
            if strategy == .cooperativeSticky {
                // Only the partitions handed to B are revoked; A keeps what it collected from the others.
                #expect(dropped > 0 && dropped < sent.count)
            } else {
                // Every message was collected before the (eager) revocation and dropped; a second rebalance in the
                // same poll (possible under load) drops what A had collected again, so at least all of them.
                #expect(dropped >= sent.count, "A had collected every message before the (eager) revocation")
            }
            #expect(batchA.events.contains { if case .revoked(_, _) = $0 { true } else { false } })
            // What A returns was read after its new assignment, only from partitions it still owns.
            let ownedByA = Set(try await a.assignment())
            #expect(Set(batchA.messages.map { KafkaTopicPartition(topic: $0.topic, partition: $0.partition) }).isSubset(of: ownedByA))

            // Both keep reading (bounded) until every message is accounted for.
            var readA = batchA.messages
            func revocations(_ events: [KafkaConsumerEvent]) -> Int {
                events.reduce(0) { count, event in if case .revoked = event { count + 1 } else { count } }
            }
            // The join of B revokes once, in A's long poll; any other revocation is a further rebalance.
            var laterRevocation = revocations(batchA.events) > 1 || revocations(joinedB.events) > 0
            let deadline = ContinuousClock.now + .seconds(20)
            while Set((readA + readB).map { "\($0.partition)/\($0.offset)" }).count < sent.count, ContinuousClock.now < deadline {
                async let moreA = a.poll(maxMessages: 1_000, timeout: .milliseconds(200))
                async let moreB = b.poll(maxMessages: 1_000, timeout: .milliseconds(200))
                let (nextA, nextB) = try await (moreA, moreB)
                readA += nextA.messages
                readB += nextB.messages
                laterRevocation = laterRevocation || revocations(nextA.events + nextB.events) > 0
            }
            let all = (readA + readB).map { "\($0.partition)/\($0.offset)" }
            #expect(Set(all).count == sent.count, "the new owners read the dropped messages")
            // A further rebalance (a member too slow for its session on a loaded machine) legitimately delivers
            // uncommitted messages again; with none, no message is returned twice.
            if !laterRevocation {
                #expect(Set(all).count == all.count, "no message is returned twice")
            }
            try await a.close()
            try await b.close()
        }
    }
}
