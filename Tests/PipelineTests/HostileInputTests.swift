import Foundation
import Kafka
import Pipeline
import RandomUser
import Testing
import UsersContract

@Suite("Hostile input through the processor", .serialized)
struct HostileInputTests {
    /// Mutations of generated users: truncated, deeply nested, huge, invalid UTF-8, numbers out of range, wrong types.
    private func hostileRecords() -> [[UInt8]] {
        let users = SyntheticUserGenerator(configuration: .init(seed: "hostile")).users(page: 1, count: 300)
        var generator = SystemRandomNumberGenerator()
        var records: [[UInt8]] = []
        for (index, user) in users.enumerated() {
            var value = user.value
            switch index % 10 {
            case 0: value = Array(value.prefix(Int.random(in: 0..<max(1, value.count), using: &generator)))
            case 1: value = Array(repeating: UInt8(ascii: "["), count: 100_000)
            case 2: value = Array("{\"login\":{\"uuid\":\"".utf8) + Array(repeating: UInt8(ascii: "a"), count: 200_000)
                + Array("\"}}".utf8)
            case 3:
                if let at = value.indices.randomElement(using: &generator) { value[at] = 0xFF }
            case 4: value = Array(String(decoding: value, as: UTF8.self)
                .replacingOccurrences(of: "\"age\":", with: "\"age\":1e999999,\"x\":").utf8)
            case 5: value = Array(String(decoding: value, as: UTF8.self)
                .replacingOccurrences(of: "\"email\":\"", with: "\"email\":[\"").replacingOccurrences(of: "\",\"login\"", with: "\"],\"login\"").utf8)
            case 6: value = Array("null".utf8)
            case 7: value = []
            default: break  // a valid user
            }
            records.append(value)
        }
        return records
    }

    @Test("every hostile record ends as a row or a dead letter; none crashes or blocks its partition")
    func everyRecordAccountedFor() async throws {
        let harness = try await PipelineHarness()
        let producer = try harness.producer()
        let records = hostileRecords()
        var messages: [KafkaOutgoingMessage] = []
        for (index, value) in records.enumerated() {
            messages.append(KafkaOutgoingMessage(topic: harness.topic, key: Array("key-\(index % 7)".utf8), value: value))
        }
        // Every record fits the broker (< 1 MB); the 200 KB ones exceed the processor's limit (too_large).
        let accepted = messages.filter { $0.value.count < 1_000_000 }
        let oversized = messages.count - accepted.count
        _ = try await producer.send(accepted)
        let counters = PipelineCounters()
        let run = try harness.processor(group: "g-hostile", producer: producer, counters: counters) {
            $0.maxMessages = accepted.count
            $0.maxMessageBytes = 64 * 1024
        }
        try await run.run()
        #expect(oversized > 0 || accepted.count == records.count)
        #expect(counters.handled.load(ordering: .relaxed) == accepted.count)
        let stored = counters.stored.load(ordering: .relaxed)
        let rejected = counters.rejected.load(ordering: .relaxed)
        #expect(stored + rejected + counters.duplicates.load(ordering: .relaxed) == accepted.count)
        #expect(rejected >= accepted.count / 2)
        #expect(stored > 0)
        try await producer.close()
        await harness.shutdown()
    }
}
