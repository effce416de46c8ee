import Kafka
import Testing

@Suite("Polling with messages lent in place")
struct BorrowedPollTests {
    /// What a test's `process` keeps of one lent message (copies only).
    struct Seen: Sendable {
        var key: String
        var value: String
        var firstH: String?
        var emptyIsNil: Bool
        var headerCount: Int
        var copy: KafkaConsumedMessage
    }

    @Test("process reads key, value and headers in place; the position commits what it was lent")
    func lentInPlace() async throws {
        let topic = "borrowed"
        try await KafkaTestSupport.withBroker(topics: [(topic, 2)]) { broker in
            let producer = try KafkaTestSupport.producer(broker)
            let sent = (0..<200).map { i in
                KafkaOutgoingMessage(
                    topic: topic, key: Array("k\(i)".utf8), value: Array("value \(i)".utf8),
                    headers: [
                        KafkaHeader(name: "h", string: "first"), KafkaHeader(name: "h", string: "second"),
                        KafkaHeader(name: "empty", value: nil),
                    ]
                )
            }
            let reports = try await producer.send(sent)
            try await producer.close()

            let consumer = try KafkaTestSupport.consumer(broker, group: "borrow", topics: [topic])
            var seen: [String: Seen] = [:]
            let deadline = ContinuousClock.now + .seconds(30)
            while seen.count < sent.count && ContinuousClock.now < deadline {
                let poll = try await consumer.poll(maxMessages: 64, timeout: .milliseconds(200)) { messages in
                    messages.map { message in
                        Seen(
                            key: String(decoding: message.key ?? UnsafeRawBufferPointer(start: nil, count: 0), as: UTF8.self),
                            value: String(decoding: message.value, as: UTF8.self),
                            firstH: message.headerValue("h").map { String(decoding: $0, as: UTF8.self) },
                            emptyIsNil: message.headerValue("empty") == nil && message.headerValue("absent") == nil,
                            headerCount: message.headers.count,
                            copy: message.copied()
                        )
                    }
                }
                #expect(poll.messageCount == poll.result.count)
                #expect(poll.messageCount <= 64)
                for item in poll.result { seen[item.key] = item }
                if poll.messageCount > 0 { try await consumer.commit([poll.position], mode: .sync) }
            }
            #expect(seen.count == sent.count)
            for (index, message) in sent.enumerated() {
                let item = try #require(seen["k\(index)"])
                #expect(item.value == "value \(index)")
                #expect(item.firstH == "first")
                #expect(item.emptyIsNil)
                #expect(item.headerCount == 3)
                #expect(item.copy.value == message.value)
                #expect(item.copy.headers == message.headers)
                #expect(item.copy.partition == reports[index].partition)
                #expect(item.copy.offset == reports[index].offset)
                #expect(item.copy.timestampMilliseconds != nil)
            }
            let lag = try await consumer.lag()
            #expect(lag.values.allSatisfy { $0 == 0 })
            try await consumer.close()
        }
    }
}
