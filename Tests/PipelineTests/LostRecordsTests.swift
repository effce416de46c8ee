import Foundation
import Kafka
import Testing
import Pipeline

/// What the processor does when the embedded broker drops records before they are read (it keeps ≈ 5 MiB per
/// partition).
@Suite("Records the broker lost", .serialized)
struct LostRecordsTests {
    @Test("a gap is reported with its size, lost records count as done, and a processor run for N records ends")
    func lostRecordsEndTheRun() async throws {
        let harness = try await PipelineHarness(partitions: 1)
        let producer = try harness.producer()
        // ≈ 12 MiB of hex padding, which lz4 cannot shrink much: more than the mock keeps on one partition.
        var generator = SystemRandomNumberGenerator()
        let total = 1200
        var messages: [KafkaOutgoingMessage] = []
        for index in 0..<total {
            let pad = (0..<5000).map { _ in String(UInt8.random(in: 0...255, using: &generator), radix: 16) }.joined()
            let uuid = String(format: "%08x-0000-4000-8000-%012x", index, index)
            let value = #"{"login":{"uuid":"\#(uuid)"},"email":"u\#(index)@example.com","pad":"\#(pad)"}"#
            messages.append(KafkaOutgoingMessage(topic: harness.topic, value: Array(value.utf8)))
        }
        for start in stride(from: 0, to: total, by: 100) {
            _ = try await producer.send(Array(messages[start..<min(start + 100, total)]))
        }

        let counters = PipelineCounters()
        let processor = try harness.processor(group: "g-lost", producer: producer, counters: counters) {
            $0.maxMessages = total
        }
        try await processor.run()
        let lost = counters.lost.load(ordering: .relaxed)
        let handled = counters.handled.load(ordering: .relaxed)
        #expect(lost > 0, "the broker kept everything: the test did not overflow it")
        #expect(handled + lost == total)
        #expect(try await harness.store.count() == handled)
        try await producer.close()
        await harness.shutdown()
    }
}
