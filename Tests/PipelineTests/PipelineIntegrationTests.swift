import Foundation
import Kafka
import RandomUser
import StreamJSON
import Synchronization
import Testing
import Stores
import Pipeline
import UsersContract

/// The whole pipeline on 127.0.0.1: embedded broker, ingester, processor, SQLite store.
@Suite("Pipeline integration (embedded broker + SQLite)", .serialized)
struct PipelineIntegrationTests {
    @Test("N users in, N rows stored, offsets committed")
    func usersInRowsOut() async throws {
        let harness = try await PipelineHarness()
        let producer = try harness.producer()
        try await harness.ingest(count: 1200, producer: producer)

        let counters = PipelineCounters()
        let processor = try harness.processor(group: "g-basic", producer: producer, counters: counters) {
            $0.maxMessages = 1200
        }
        try await processor.run()

        #expect(counters.handled.load(ordering: .relaxed) == 1200)
        #expect(counters.rejected.load(ordering: .relaxed) == 0)
        #expect(try await harness.store.count() == 1200)
        // Everything was committed: the same group finds nothing more to read.
        let afterCounters = PipelineCounters()
        let again = try harness.processor(group: "g-basic", producer: producer, counters: afterCounters) {
            $0.idleExit = .seconds(8)
        }
        try await again.run()
        #expect(afterCounters.handled.load(ordering: .relaxed) == 0)
        #expect(try await harness.store.count() == 1200)
        try await producer.close()
        await harness.shutdown()
    }

    @Test("bad records go to the dead-letter topic with their reason, and no secret leaves the processor")
    func deadLetters() async throws {
        let harness = try await PipelineHarness(partitions: 1)
        let producer = try harness.producer()
        let good = #"{"login":{"uuid":"4bbbf423-b3dd-409f-b35b-53957fc1b362","password":"hunter2secret","salt":"s4ltS4lt"},"email":"a@example.com","id":{"name":"CPF","value":"398.279.379-95"}}"#
        let inputs: [(String, String?)] = [
            (good, nil),
            (#"{"login":{"uuid":"nope","password":"hunter2secret"},"email":"b@example.com"}"#, "invalid_user_id"),
            (#"{"email":"c@example.com","login":{"password":"hunter2secret"}}"#, "missing_user_id"),
            (#"{"login":{"uuid":"5bbbf423-b3dd-409f-b35b-53957fc1b362"},"email":"not-an-email"}"#, "invalid_email"),
            (#"{"login":{"uuid":"6bbbf423-b3dd-409f-b35b-53957fc1b362"}}"#, "missing_email"),
            (#"this is not json "password":"hunter2secret""#, "not_json"),
            ("[1,2,3]", "not_an_object"),
        ]
        _ = try await producer.send(inputs.map {
            KafkaOutgoingMessage(topic: harness.topic, key: Array("k".utf8), value: Array($0.0.utf8))
        })
        let counters = PipelineCounters()
        let processor = try harness.processor(group: "g-dlq", producer: producer, counters: counters) {
            $0.maxMessages = inputs.count
        }
        try await processor.run()
        #expect(try await harness.store.count() == 1)
        #expect(counters.rejected.load(ordering: .relaxed) == 6)

        let letters = try await harness.readAll(topic: harness.dlqTopic, expected: 6)
        #expect(letters.count == 6)
        var parser = JSONParser()
        var reasons: [String] = []
        for letter in letters {
            let text = String(decoding: letter.value, as: UTF8.self)
            #expect(!text.contains("hunter2secret"))
            #expect(!text.contains("398.279.379-95"))
            #expect(!text.contains("s4ltS4lt"))
            try letter.value.withUnsafeBytes { bytes in
                let document = try parser.parse(bytes)
                let reason = try #require(document.root["reason"]?.string)
                reasons.append(reason)
                #expect(document.root["topic"]?.string == harness.topic)
                #expect(document.root["offset"]?.int64 != nil)
                #expect(document.root["detail"]?.string?.isEmpty == false)
                #expect(document.root["payload"] != nil)
            }
        }
        #expect(reasons.sorted() == inputs.compactMap(\.1).sorted())
        try await producer.close()
        await harness.shutdown()
    }

    @Test("a processor stopped after the write and before the commit loses nothing and doubles nothing")
    func crashBetweenWriteAndCommit() async throws {
        let harness = try await PipelineHarness()
        let producer = try harness.producer()
        let total = 2000
        try await harness.ingest(count: total, seed: "crash", producer: producer)

        struct SimulatedCrash: Error {}
        let batches = Atomic<Int>(0)
        let crashing = try harness.processor(group: "g-crash", producer: producer, counters: PipelineCounters()) {
            $0.afterWriteBeforeCommit = {
                // The first batch is written, then the process "dies" before committing its offsets.
                if batches.add(1, ordering: .relaxed).newValue == 1 { throw SimulatedCrash() }
            }
        }
        await #expect(throws: SimulatedCrash.self) { try await crashing.run() }
        let written = try await harness.store.latest(total)
        #expect(!written.isEmpty)

        let counters = PipelineCounters()
        let restarted = try harness.processor(group: "g-crash", producer: producer, counters: counters) {
            $0.maxMessages = total
        }
        try await restarted.run()

        // Every record exactly once in the store: the uncommitted batch was read again, none skipped.
        #expect(try await harness.store.count() == total)
        #expect(counters.handled.load(ordering: .relaxed) == total)
        // The rows written before the crash are the same after the replay (only processed_at moves).
        for before in written {
            var after = try #require(try await harness.store.get(userID: before.userID))
            after.processedAt = before.processedAt
            #expect(after == before)
        }
        try await producer.close()
        await harness.shutdown()
    }

    @Test("two processors in one group share the partitions; together they store every record once")
    func twoProcessorsShare() async throws {
        let harness = try await PipelineHarness(partitions: 4)
        let producer = try harness.producer()
        let total = 3000

        let first = PipelineCounters()
        let second = PipelineCounters()
        let a = try harness.processor(group: "g-share", producer: producer, counters: first) {
            $0.idleExit = .seconds(20)
            $0.batchSize = 100
        }
        let b = try harness.processor(group: "g-share", producer: producer, counters: second) {
            $0.idleExit = .seconds(20)
            $0.batchSize = 100
        }
        async let runA: Void = a.run()
        async let runB: Void = b.run()
        // Both join the group first (the embedded broker settles a rebalance in about session.timeout − 1 s);
        // only then do the records arrive, so neither can take them all before the other is assigned.
        try await Task.sleep(for: .seconds(9))
        try await harness.ingest(count: total, seed: "share", producer: producer)
        try await runA
        try await runB

        let handledA = first.handled.load(ordering: .relaxed)
        let handledB = second.handled.load(ordering: .relaxed)
        #expect(handledA + handledB == total)
        #expect(handledA > 0)
        #expect(handledB > 0)
        #expect(try await harness.store.count() == total)
        try await producer.close()
        await harness.shutdown()
    }
}
