import ArgumentParser
import Foundation
import Kafka
import Logging
import ServiceLifecycle
import UserStore
import RandomUser
import UserStreamRuntime

/// How the commands turn resolved options into client configurations.
enum Wiring {
    static func producerConfiguration(_ kafka: ResolvedKafka) -> KafkaProducerConfiguration {
        var configuration = KafkaProducerConfiguration(
            common: KafkaConfiguration(brokers: kafka.brokers, clientID: "userstream", extra: kafka.producerProperties)
        )
        if let compression = kafka.compression { configuration.compression = compression }
        return configuration
    }

    static func consumerConfiguration(_ kafka: ResolvedKafka) -> KafkaConsumerConfiguration {
        var configuration = KafkaConsumerConfiguration(
            common: KafkaConfiguration(brokers: kafka.brokers, clientID: "userstream", extra: kafka.consumerProperties),
            groupID: kafka.group
        )
        let timeout = Int(kafka.sessionTimeout.seconds * 1000)
        configuration.sessionTimeoutMilliseconds = timeout
        configuration.heartbeatIntervalMilliseconds = max(100, timeout / 10)
        return configuration
    }

    /// Runs `main` (whose successful end shuts the group down) beside `companions` (which may end without doing
    /// so) until done or SIGINT/SIGTERM, then closes the producer and, if given, the store — also on failure.
    /// - Returns: the number of rows in the store at the end, when there is a store and it answers.
    static func runServices(
        main: any Service,
        companions: [any Service],
        producer: KafkaProducer,
        store: (any UserStore)?,
        logger: Logger
    ) async throws -> Int? {
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: main, successTerminationBehavior: .gracefullyShutdownGroup)]
                    + companions.map { .init(service: $0, successTerminationBehavior: .ignore) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await group.run()
        } catch {
            try? await producer.close()
            try? await store?.close()
            throw error
        }
        try await producer.close()
        guard let store else { return nil }
        let stored = try? await store.count()
        try await store.close()
        return stored
    }

    /// Fails with a clear message naming the command that creates the missing topics.
    static func requireTopics(_ names: [String], kafka: ResolvedKafka) async throws {
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: kafka.brokers, clientID: "userstream-admin"))
        defer { admin.close() }
        let missing = try await admin.missingTopics(names)
        guard missing.isEmpty else {
            throw ValidationError(
                "topic(s) \(missing.joined(separator: ", ")) do not exist on \(kafka.brokers); create them with: "
                    + "userstream topics create --brokers \(kafka.brokers)"
            )
        }
    }
}

extension SourceOptions {
    /// The source chosen by --source (randomuser, synthetic or a URL), with the seed and bad fraction.
    func makeSource(_ settings: Settings, defaultSource: String) throws -> any UserSource {
        let spec = settings.string("source", source, default: defaultSource)
        let seed = settings.string("seed", seed, default: "userstream")
        let badText = settings.string("bad-fraction", badFraction, default: "0")
        guard let bad = Double(badText), bad >= 0, bad <= 1 else {
            throw ValidationError("--bad-fraction: '\(badText)' is not a number from 0 to 1")
        }
        return try SourceSelector.make(spec, seed: seed, badFraction: bad)
    }

    /// Users per page, 1...5000 (`defaultSize` when not set).
    func pageSize(_ settings: Settings, default defaultSize: Int = 5000) throws -> Int {
        let size = try settings.int("page-size", pageSize, default: defaultSize)
        guard (1...5000).contains(size) else { throw ValidationError("--page-size must be from 1 to 5000") }
        return size
    }
}
