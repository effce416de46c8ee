import Kafka
import Testing

@Suite("Key partitioning")
struct PartitioningTests {
    @Test(
        "the test's murmur2 matches Kafka's published Java vectors",
        arguments: [
            ("21", Int32(-973_932_308)),
            ("foobar", -790_332_482),
            ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829),
            ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
            ("abc", 479_470_107),
        ]
    )
    func javaVectors(key: String, expected: Int32) {
        #expect(JavaMurmur2.hash(Array(key.utf8)) == expected)
    }

    @Test("librdkafka puts each key on the partition Java's murmur2 picks, every time")
    func sameKeySamePartitionAsJava() async throws {
        let topic = "partitioning"
        let partitions: Int32 = 6
        try await KafkaTestSupport.withBroker(topics: [(topic, Int(partitions))]) { broker in
            let producer = try KafkaTestSupport.producer(broker)
            let keys = (0..<60).map { "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3d\(Self.padded($0))" } + ["21", "foobar", "abc"]
            // Each key twice, in two sends.
            let messages = keys.map { KafkaOutgoingMessage(topic: topic, key: Array($0.utf8), value: Array($0.utf8)) }
            let first = try await producer.send(messages)
            let second = try await producer.send(messages)
            try await producer.close()
            var used = Set<Int32>()
            for (index, key) in keys.enumerated() {
                let expected = JavaMurmur2.partition(key: Array(key.utf8), partitions: partitions)
                #expect(first[index].partition == expected, "key \(key)")
                #expect(second[index].partition == first[index].partition, "key \(key)")
                used.insert(first[index].partition)
            }
            #expect(used.count > 1)
        }
    }

    private static func padded(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
