import Foundation
import Logging
import Synchronization
import TestWaiting
import Testing

@testable import Kafka

@Suite("Broker state changes: one clear line each", .serialized)
struct BrokerStateTests {
    private func statistics(_ brokers: [(id: Int32, port: Int, state: String)]) -> String {
        let entries = brokers.map { broker in
            "\"127.0.0.1:\(broker.port)/\(broker.id)\": {\"name\": \"127.0.0.1:\(broker.port)/\(broker.id)\", "
                + "\"nodeid\": \(broker.id), \"nodename\": \"127.0.0.1:\(broker.port)\", \"state\": \"\(broker.state)\", \"connects\": \(broker.state == "INIT" ? 0 : 1)}"
        }
        return "{\"name\": \"test\", \"brokers\": {" + entries.joined(separator: ", ") + "}}"
    }

    @Test("down once, up once; INIT says nothing; all down once until one is back; repeats stay silent")
    func transitions() {
        let records = LoggingTests.Records()
        let logger = Logger(label: "capture") { _ in LoggingTests.CapturingHandler(records: records) }
        let tracker = BrokerStateTracker()
        let ports = (41_001, 41_002, 41_003)
        tracker.observe(statistics: statistics([(1, ports.0, "UP"), (2, ports.1, "UP"), (3, ports.2, "INIT")]), logger: logger)
        for _ in 0..<5 {  // every statistics of the outage: one line, not one per report
            tracker.observe(statistics: statistics([(1, ports.0, "UP"), (2, ports.1, "CONNECT"), (3, ports.2, "INIT")]), logger: logger)
        }
        #expect(tracker.isUp(address: "127.0.0.1:\(ports.1)") == false)
        #expect(tracker.isUp(address: "127.0.0.1:\(ports.2)") == nil)
        tracker.observe(statistics: statistics([(1, ports.0, "UP"), (2, ports.1, "UP")]), logger: logger)
        for _ in 0..<3 {
            tracker.observe(statistics: statistics([(1, ports.0, "DOWN"), (2, ports.1, "TRY_CONNECT")]), logger: logger)
        }
        tracker.observe(statistics: statistics([(1, ports.0, "UP"), (2, ports.1, "UP")]), logger: logger)
        let lines = records.withLockedValue { $0 }.map { "\($0.0) \($0.1)" }
        #expect(lines == [
            "warning broker down: its partitions wait for a new leader or for it to return; reconnecting with backoff",
            "notice broker up again",
            "warning broker down: its partitions wait for a new leader or for it to return; reconnecting with backoff",
            "warning broker down: its partitions wait for a new leader or for it to return; reconnecting with backoff",
            "warning no broker is reachable: check that they run and kafka.brokers (--brokers)",
            "notice broker up again",
            "notice broker up again",
        ], "\(lines)")
    }

    @Test("librdkafka's connection texts are recognised as connection noise; other errors are not")
    func noise() {
        #expect(BrokerStateTracker.isConnectionNoise(
            facility: "FAIL", message: "127.0.0.1:9093/2: Disconnected: verify that security.protocol is correctly configured, broker might require SASL authentication"))
        #expect(BrokerStateTracker.isConnectionNoise(facility: "ERROR", message: "3/3 brokers are down"))
        #expect(BrokerStateTracker.isConnectionNoise(
            facility: "FAIL", message: "127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused"))
        #expect(!BrokerStateTracker.isConnectionNoise(facility: "ERROR", message: "Topic authorization failed"))
        #expect(!BrokerStateTracker.isConnectionNoise(facility: "CONFWARN", message: "Configuration property ... is a consumer property"))
    }

    @Test("a broker of a 3-broker cluster taken down and brought back: the process's tracker sees it down, then up")
    func embeddedBrokerDownAndUp() async throws {
        let broker = try EmbeddedKafkaBroker(configuration: .init(brokers: 3, topics: [("states", 3)]))
        defer { broker.shutdown() }
        // Broker 2 leads every partition: the producer needs it, and only it of the three once the metadata is known.
        for partition in Int32(0)..<3 { try broker.moveLeader(topic: "states", partition: partition, to: 2) }
        var configuration = KafkaProducerConfiguration(common: KafkaConfiguration(brokers: broker.bootstrapServers))
        configuration.statisticsIntervalMilliseconds = 200
        let producer = try KafkaProducer(configuration: configuration)
        for key in 0..<30 { try await producer.send(KafkaOutgoingMessage(topic: "states", key: [UInt8(key)], value: [1])) }
        let addresses = broker.bootstrapServers.split(separator: ",").map(String.init)
        try #require(addresses.count == 3)
        let seenUp = await eventually(within: .seconds(20)) {
            addresses.contains { BrokerStateTracker.shared.isUp(address: $0) == true }
        }
        #expect(seenUp, "\(addresses) \(BrokerStateTracker.shared.reported)")
        let upBefore = addresses.filter { BrokerStateTracker.shared.isUp(address: $0) == true }

        try broker.setBroker(2, up: false)
        let down = await eventually(within: .seconds(30)) {
            upBefore.contains { BrokerStateTracker.shared.isUp(address: $0) == false }
        }
        #expect(down, "\(upBefore) \(BrokerStateTracker.shared.reported)")
        let leader = upBefore.first { BrokerStateTracker.shared.isUp(address: $0) == false }

        try broker.setBroker(2, up: true)
        // The producer reconnects when it has messages for the broker's partitions, as a running pipeline has: one
        // message at a time, each waiting for its acknowledgement (so, while the broker is away, for its return).
        let sending = Task {
            var key: UInt8 = 0
            while !Task.isCancelled {
                key &+= 1
                _ = try? await producer.send(KafkaOutgoingMessage(topic: "states", key: [key], value: [2]))
            }
        }
        let back = await eventually(within: .seconds(30)) {
            leader.map { BrokerStateTracker.shared.isUp(address: $0) == true } ?? false
        }
        sending.cancel()
        _ = await sending.value
        #expect(back, "\(String(describing: leader)) \(BrokerStateTracker.shared.reported)")
        try await producer.close()
    }
}
