import Cron
import Backoff
import CQL
import Foundation
import Kafka
import Logging
import RandomUser
import ServiceLifecycle
import Serving
import Stores

/// Which parts of the pipeline run in this process.
public struct PipelineParts: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Fetch users from the source and produce them (`userstream ingest`).
    public static let ingest = PipelineParts(rawValue: 1)
    /// Consume, transform, store, commit (`userstream process`).
    public static let process = PipelineParts(rawValue: 2)
    /// Both in one process (`userstream run`).
    public static let all: PipelineParts = [.ingest, .process]
}

/// What one invocation does beyond the deployment's configuration: how much, and when to stop.
public struct PipelineJob: Sendable {
    /// `ingest`: users to produce (per tick with ``interval``); `run`/`process`: stop after this many messages are
    /// handled and committed. Default: nil (`ingest`: ``defaultIngestCount``; `run`/`process`: until stopped).
    public var count: Int?
    /// The users `ingest` produces when ``count`` is nil: 100.
    public static let defaultIngestCount = 100
    /// `process`: stop once no record arrived for this long. Default: nil (never).
    public var idleExit: Duration?
    /// The first source page (with a seed, pages are reproducible). Default: 1.
    public var firstPage = 1
    /// `ingest`: produce the users of this logical time (its seed, pages from 1), as a scheduled run of it would;
    /// see ``LogicalTime``. Default: nil.
    public var logicalTime: Date?
    /// Ingest on the configured schedule (``PipelineConfiguration/Schedule``) when one is set: `schedule` and `run`.
    /// Default: false.
    public var scheduled = false
    /// Serve the HTTP face (`/metrics`, `/ready`, the API, the dashboard) on ``PipelineConfiguration/HTTP/address``
    /// unless it is `off`: `run`, `process` and `serve`. Default: false.
    public var serveHTTP = false
    /// With ``scheduled``: stop after the last fire time within this long of the schedule's start. Default: nil
    /// (until stopped).
    public var scheduleDuration: Duration?
    /// With ``scheduled``: stop once this many scheduled runs have ended (successful or failed). Default: nil
    /// (until stopped).
    public var scheduleRuns: Int?

    /// The defaults above.
    public init() {}
}

/// Turns a ``PipelineConfiguration`` into the services of one process, in dependency order: the embedded broker
/// (in `run`), the store and its final count, the producer, the consumer, the processor, the admin client (for
/// `ingest`'s lag bound), the ingester, the progress reporter.
///
/// A `ServiceGroup` starts them in that order and stops them in reverse: on a graceful stop the ingester stops
/// producing first, the processor drains and commits, then the consumer (confirming the last commit), the producer
/// (flushing), the store and the broker close. `run`, `ingest` and `process` are this builder with different
/// ``PipelineParts``. Every tuning rule that depends on the parts (the `auto` values of the configuration) is
/// decided here.
public struct PipelineBuilder: Sendable {
    /// The deployment.
    public var configuration: PipelineConfiguration
    /// Which parts run here.
    public var parts: PipelineParts
    /// How much, and when to stop.
    public var job: PipelineJob
    private let logger: Logger

    /// A builder.
    /// - Parameters:
    ///   - configuration: the pipeline's configuration.
    ///   - parts: which parts run in this process.
    ///   - job: how much to do and when to stop.
    ///   - logger: where the pipeline logs.
    public init(
        configuration: PipelineConfiguration,
        parts: PipelineParts,
        job: PipelineJob = PipelineJob(),
        logger: Logger = Logger(label: "userstream")
    ) {
        self.configuration = configuration
        self.parts = parts
        self.job = job
        self.logger = logger
    }

    /// The builder found the configuration unusable for these parts.
    public struct Error: Swift.Error, CustomStringConvertible {
        public var description: String
    }

    // MARK: The auto values

    /// Users per source page.
    public var pageSize: Int {
        configuration.source.pageSize ?? (parts == .all ? 2000 : 5000)
    }

    /// The processor's linger.
    public var batchLinger: Duration {
        configuration.processing.batchLinger ?? (parts == .all ? .milliseconds(50) : .milliseconds(5))
    }

    /// The producer's codec.
    public var compression: PipelineConfiguration.Compression {
        configuration.kafka.compression ?? (configuration.kafka.isEmbedded ? PipelineConfiguration.Compression.none : .lz4)
    }

    /// Most users produced ahead of the processor, or nil for no limit.
    public var maxLag: Int? {
        configuration.processing.maxLag ?? (parts == .all ? 2000 * configuration.kafka.partitions : nil)
    }

    /// Where the clients bootstrap from when the broker is not started here: the configured brokers, or for
    /// `embedded` outside `run` the standalone embedded broker (`userstream broker`) at its default address.
    public var externalBrokers: String {
        configuration.kafka.isEmbedded ? "127.0.0.1:\(EmbeddedKafkaBroker.standalonePort)" : configuration.kafka.brokers
    }

    /// Whether this process starts the embedded broker: `embedded` in `run`.
    public var startsEmbeddedBroker: Bool {
        configuration.kafka.isEmbedded && parts == .all
    }

    /// Starts the embedded broker with the pipeline's topics.
    public func makeEmbeddedBroker() throws -> EmbeddedKafkaBroker {
        let kafka = configuration.kafka
        return try EmbeddedKafkaBroker(
            configuration: .init(
                port: kafka.embeddedPort, topics: [(kafka.topic, kafka.partitions), (kafka.deadLetterTopic, 1)]))
    }

    /// What to run to create the pipeline's topics on `brokers`.
    public func createTopicsHint(brokers: String) -> String {
        let kafka = configuration.kafka
        // The embedded broker has no CreateTopics: its topics are made when it starts.
        if kafka.isEmbedded {
            return "userstream broker --port \(kafka.embeddedPort ?? EmbeddedKafkaBroker.standalonePort) "
                + "--topic \(kafka.topic) --dlq-topic \(kafka.deadLetterTopic)"
        }
        return "userstream topics create --brokers \(brokers) --topic \(kafka.topic) --dlq-topic \(kafka.deadLetterTopic)"
    }

    // MARK: Clients

    /// The producer's configuration for `brokers`.
    public func producerConfiguration(brokers: String) -> KafkaProducerConfiguration {
        let kafka = configuration.kafka
        var producer = KafkaProducerConfiguration(
            common: KafkaConfiguration(
                brokers: brokers, clientID: "userstream",
                extra: kafka.security.properties.merging(kafka.producerProperties) { _, given in given }
            )
        )
        producer.compression = compression.rawValue
        producer.messageTimeoutMilliseconds = Int(kafka.deliveryTimeout.seconds * 1000)
        return producer
    }

    /// The consumer's configuration for `brokers`.
    public func consumerConfiguration(brokers: String) -> KafkaConsumerConfiguration {
        let kafka = configuration.kafka
        var consumer = KafkaConsumerConfiguration(
            common: KafkaConfiguration(
                brokers: brokers, clientID: "userstream",
                extra: kafka.security.properties.merging(kafka.consumerProperties) { _, given in given }
            ),
            groupID: kafka.group
        )
        let timeout = Int(kafka.sessionTimeout.seconds * 1000)
        consumer.sessionTimeoutMilliseconds = timeout
        consumer.heartbeatIntervalMilliseconds = max(100, timeout / 10)
        if parts == .all, let maxLag {
            // The lag bounds what the consumer can fetch ahead, so its prefetch queue may hold all of it: a full
            // queue pauses fetching for up to a second in librdkafka 2.0, which starved the processor.
            consumer.prefetchKilobytes = max(consumer.prefetchKilobytes, maxLag * 2)
        }
        return consumer
    }

    /// An admin client for `brokers` (topic checks, group lag).
    public func admin(brokers: String) throws -> KafkaAdmin {
        try KafkaAdmin(
            configuration: KafkaConfiguration(
                brokers: brokers, clientID: "userstream-admin", extra: configuration.kafka.security.properties
            )
        )
    }

    /// Opens the configured store (not prepared).
    public func openStore() throws -> any UserStore {
        let store = configuration.store
        return try StoreFactory.make(
            store.url, credentials: store.credentials, consistency: store.consistency,
            logger: Logger(label: "userstream.store")
        )
    }

    /// Whether the configured SQLite store's file exists (nil for a store that is not a file).
    public var storeFileExists: Bool? {
        let url = configuration.store.url
        guard url.hasPrefix("sqlite:"), let path = try? StoreFactory.sqliteConfiguration(url).path else { return nil }
        return FileManager.default.fileExists(atPath: path)
    }

    /// Opens the configured store, runs `body` with it, and closes it, also when `body` throws.
    public func withStore<T>(_ body: (any UserStore) async throws -> T) async throws -> T {
        let store = try openStore()
        do {
            let result = try await body(store)
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// Warns about reserved settings given a value that nothing uses yet.
    private func reportReservedSettings() {
        let defaults = PipelineConfiguration()
        for setting in [PipelineSetting.qualityRules] where setting.text(in: configuration) != setting.text(in: defaults) {
            logger.warning(
                "setting reserved for a coming capability; nothing uses it yet", metadata: ["setting": "\(setting.key)"])
        }
    }

    /// The configured source; with `seed`, that seed instead of the configured one.
    public func makeSource(seed: String? = nil) throws -> any UserSource {
        let source = configuration.source
        let spec = source.kind == .synthetic ? "synthetic" : source.url
        return try SourceSelector.make(spec, seed: seed ?? source.seed, badFraction: source.badFraction)
    }

    /// The scheduler of these settings for `trigger`: each run produces ``PipelineConfiguration/Schedule/usersPerRun``
    /// users of its logical time through `batches`.
    public func makeScheduler(trigger: ScheduleTrigger, batches: UserBatchProducer) throws -> Scheduler {
        let schedule = configuration.schedule
        var settings = Scheduler.Configuration(trigger: trigger)
        settings.runTimeout = schedule.runTimeout
        settings.retries = schedule.retries
        settings.retryBackoff = Backoff(base: schedule.retryDelay, cap: max(schedule.retryDelay, .seconds(300)))
        settings.catchUp = schedule.catchUp
        settings.duration = job.scheduleDuration
        settings.maxRuns = job.scheduleRuns
        settings.seed = configuration.source.seed
        settings.usersPerRun = schedule.usersPerRun
        let history = try RunHistory(path: schedule.state)
        return Scheduler(configuration: settings, history: history, logger: Logger(label: "userstream.scheduler")) {
            [self] run in
            let source = try self.makeSource(seed: run.seed)
            let outcome = try await batches.produce(run.users, from: source, firstPage: 1)
            guard outcome.produced == run.users else {
                // Stopped part-way by a shutdown: the scheduler records the run as interrupted, not as a success.
                if Task.isCancelled { throw CancellationError() }
                throw PipelineBuilder.Error(
                    description: "the source gave \(outcome.produced) of \(run.users) users for "
                        + LogicalTime.text(run.logicalDate))
            }
            return ScheduledRunResult(fetched: outcome.fetched, produced: outcome.produced)
        }
    }

    /// Re-runs run `id` of the history for its logical time (`userstream runs rerun`): the same users, the
    /// schedule's retries, producing to the configured brokers. Returns the run as it ended.
    public func rerun(id: Int64) async throws -> ScheduledRun {
        let brokers = externalBrokers
        try await requireTopics(brokers: brokers)
        let producer = try KafkaProducer(configuration: producerConfiguration(brokers: brokers), logger: logger)
        do {
            let batches = UserBatchProducer(
                producer: producer, topic: configuration.kafka.topic, pageSize: pageSize, flowControl: nil,
                counters: PipelineCounters(), logger: logger)
            let trigger = try configuration.schedule.trigger() ?? .every(.seconds(3600))
            let run = try await makeScheduler(trigger: trigger, batches: batches).rerun(id: id)
            try await producer.close()
            return run
        } catch {
            try? await producer.close()
            throw error
        }
    }

    /// The scheduler's history, for commands that read or re-run it.
    public func openRunHistory(create: Bool) throws -> RunHistory {
        try RunHistory(path: configuration.schedule.state, create: create)
    }

    /// The topics these parts need to exist.
    public var requiredTopics: [String] {
        parts.contains(.process)
            ? [configuration.kafka.topic, configuration.kafka.deadLetterTopic] : [configuration.kafka.topic]
    }

    // MARK: Assembly

    /// Checks the configuration against the parts, starts what must exist before the clients (the embedded broker),
    /// checks the topics and prepares the store, then creates every service.
    /// - Throws: ``Error`` for a configuration these parts cannot use, a missing topic, or what the store's
    ///   preparation or a client's creation threw. Whatever was started is stopped again.
    public func build() async throws -> AssembledPipeline {
        let kafka = configuration.kafka
        reportReservedSettings()
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var opened: [any Service] = []
        let serving = job.serveHTTP ? try servingConfiguration() : nil
        if let serving { try await HTTPServer.checkAddress(serving) }
        if parts.isEmpty {
            return try await buildServe(serving)
        }
        do {
            let brokers: String
            if startsEmbeddedBroker {
                let broker = try makeEmbeddedBroker()
                opened.append(broker)
                services.append(.init(service: broker))
                brokers = broker.bootstrapServers
            } else {
                brokers = externalBrokers
                try await requireTopics(brokers: brokers)
            }

            let counters = PipelineCounters()
            // One admin client for what watches the brokers (the produce watch, the HTTP face's lag), made on first use.
            var sharedAdmin: KafkaAdmin?
            func watchingAdmin() throws -> KafkaAdmin {
                if let sharedAdmin { return sharedAdmin }
                let made = try admin(brokers: brokers)
                opened.append(made)
                services.append(.init(service: made))
                sharedAdmin = made
                return made
            }
            var store: (any UserStore)?
            var tally: StoreTally?
            if parts.contains(.process) {
                let opening = try openStore()
                opened.append(opening)
                try await opening.prepare()
                let counting = StoreTally(store: opening)
                services.append(.init(service: opening))
                services.append(.init(service: counting))
                store = opening
                tally = counting
            }
            let producer = try KafkaProducer(configuration: producerConfiguration(brokers: brokers), logger: logger)
            opened.append(producer)
            services.append(.init(service: producer))

            var consumer: KafkaConsumer?
            if parts.contains(.process), let store {
                let created = try KafkaConsumer(
                    configuration: consumerConfiguration(brokers: brokers), topics: [kafka.topic], logger: logger
                )
                opened.append(created)
                services.append(.init(service: created))
                consumer = created
                let processor = StreamProcessor(
                    consumer: created, producer: producer, store: store,
                    configuration: processorConfiguration(counters: counters), counters: counters, logger: logger
                )
                // Its end, or its failure, stops the others in reverse order (a failure is rethrown after).
                services.append(
                    .init(
                        service: processor, successTerminationBehavior: .gracefullyShutdownGroup,
                        failureTerminationBehavior: .gracefullyShutdownGroup))
            }
            if parts.contains(.ingest) {
                var flowControl: (any FlowControl)?
                if parts.contains(.process), let maxLag {
                    flowControl = InProcessFlowControl(maxLag: maxLag, counters: counters)
                } else if let maxLag {
                    let admin = try admin(brokers: brokers)
                    opened.append(admin)
                    services.append(.init(service: admin))
                    flowControl = GroupLagFlowControl(
                        maxLag: maxLag, admin: admin, group: kafka.group, topic: kafka.topic, logger: logger)
                }
                let ingesting: any Service
                if job.scheduled, let trigger = try configuration.schedule.trigger() {
                    let batches = UserBatchProducer(
                        producer: producer, topic: kafka.topic, pageSize: pageSize, flowControl: flowControl,
                        counters: counters, logger: logger)
                    ingesting = try makeScheduler(trigger: trigger, batches: batches)
                } else {
                    let seed = job.logicalTime.map { LogicalTime.seed(configuration.source.seed, $0) }
                    ingesting = Ingester(
                        source: try makeSource(seed: seed), producer: producer, flowControl: flowControl,
                        configuration: ingesterConfiguration(), counters: counters, logger: logger
                    )
                }
                var watch = ProduceWatch.Configuration()
                watch.deliveryTimeout = kafka.deliveryTimeout
                services.append(
                    .init(
                        service: ProduceWatch(
                            counters: counters, admin: try watchingAdmin(), topic: kafka.topic, configuration: watch,
                            logger: logger)))
                // With a processor in the process, the processor's end ends the run; alone, the ingester's does.
                services.append(
                    .init(
                        service: ingesting,
                        successTerminationBehavior: parts == .all ? .ignore : .gracefullyShutdownGroup,
                        failureTerminationBehavior: .gracefullyShutdownGroup))
            }
            let reporter = ProgressReporter(
                counters: counters, interval: configuration.log.progressInterval, parts: parts,
                write: configuration.log.format == "json"
                    ? ProgressReporter.logging(to: Logger(label: "userstream.progress")) : ProgressReporter.standardError)
            services.append(.init(service: reporter))
            var backend: PipelineServingBackend?
            var server: HTTPServer?
            if let serving {
                let admin = try watchingAdmin()
                let sampler = PipelineSampler(
                    counters: counters, lagSource: .init(admin: admin, group: kafka.group, topic: kafka.topic),
                    consumer: consumer, logger: logger)
                services.append(.init(service: sampler))
                let metrics = PipelineMetrics(counters: counters)
                let made = PipelineServingBackend(
                    parts: partNames, counters: counters, metrics: metrics, sampler: sampler, store: store,
                    storeKind: storeKind, history: job.scheduled && configuration.schedule.isSet ? try openRunHistory(create: true) : nil,
                    consumes: parts.contains(.process))
                let http = try HTTPServer(
                    configuration: serving, backend: made, metricsFactory: metrics.factory,
                    logger: Logger(label: "userstream.http"))
                services.append(.init(service: http, failureTerminationBehavior: .gracefullyShutdownGroup))
                backend = made
                server = http
            }
            if let endpoint = configuration.trace.otlpEndpoint,
                let exporter = try PipelineTracing.bootstrap(
                    endpoint: endpoint, protocol: configuration.trace.otlpProtocol, logger: Logger(label: "userstream.trace"))
            {
                // First to start, last to stop: the spans of the others' last moments are exported too.
                services.insert(.init(service: exporter), at: 0)
            }
            return AssembledPipeline(
                services: services, counters: counters, reporter: reporter, tally: tally, logger: logger,
                serving: backend, httpServer: server, consumer: consumer)
        } catch {
            await Self.close(opened.reversed())
            throw error
        }
    }

    /// The HTTP face's address and token, or nil when `http.address` is `off`.
    public func servingConfiguration() throws -> ServingConfiguration? {
        let http = configuration.http
        guard http.address.lowercased() != "off" else { return nil }
        guard let colon = http.address.lastIndex(of: ":"), let port = Int(http.address[http.address.index(after: colon)...])
        else {
            throw Error(description: "http.address (--http) '\(http.address)' must be HOST:PORT or off")
        }
        var host = String(http.address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return ServingConfiguration(host: host, port: port, token: http.token?.value)
    }

    /// `ingest`, `process`, `schedule`, `serve`: what this process runs, for `/api/stats`.
    var partNames: [String] {
        var names: [String] = []
        if parts.contains(.ingest) { names.append(job.scheduled && configuration.schedule.isSet ? "schedule" : "ingest") }
        if parts.contains(.process) { names.append("process") }
        return names.isEmpty ? ["serve"] : names
    }

    /// `sqlite` or `cassandra`.
    var storeKind: String {
        configuration.store.url.lowercased().hasPrefix("cassandra") ? "cassandra" : "sqlite"
    }

    /// `userstream serve`: the HTTP face over the store alone (no broker, no processor).
    private func buildServe(_ serving: ServingConfiguration?) async throws -> AssembledPipeline {
        guard let serving else {
            throw Error(description: "http.address (--http) is off: serve has nothing to do; give --http HOST:PORT")
        }
        let store = try openStore()
        do {
            let counters = PipelineCounters()
            let sampler = PipelineSampler(counters: counters, lagSource: nil, consumer: nil, logger: logger)
            let metrics = PipelineMetrics(counters: counters)
            let backend = PipelineServingBackend(
                parts: partNames, counters: counters, metrics: metrics, sampler: sampler, store: store,
                storeKind: storeKind, history: nil, consumes: false)
            let server = try HTTPServer(
                configuration: serving, backend: backend, metricsFactory: metrics.factory,
                logger: Logger(label: "userstream.http"))
            let reporter = ProgressReporter(counters: counters, interval: .seconds(3600), write: { _ in })
            return AssembledPipeline(
                services: [
                    .init(service: store), .init(service: sampler),
                    .init(service: server, successTerminationBehavior: .gracefullyShutdownGroup,
                          failureTerminationBehavior: .gracefullyShutdownGroup),
                ],
                counters: counters, reporter: reporter, tally: nil, logger: logger, serving: backend,
                httpServer: server)
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// The processor's settings for these parts.
    public func processorConfiguration(counters: PipelineCounters) -> StreamProcessor.Configuration {
        let processing = configuration.processing
        var processor = StreamProcessor.Configuration()
        processor.topic = configuration.kafka.topic
        processor.deadLetterTopic = configuration.kafka.deadLetterTopic
        processor.batchSize = processing.batchSize
        processor.batchInterval = processing.batchInterval
        processor.batchLinger = batchLinger
        processor.maxMessageBytes = processing.maxMessageBytes
        processor.failOnGap = processing.failOnGap
        processor.maxStoreOutage = configuration.store.maxOutage
        processor.tracing = configuration.trace.otlpEndpoint != nil
        processor.maxMessages = job.count
        processor.idleExit = job.idleExit
        if parts == .all {
            // The ingester, the broker and the processor share this process's memory: half the processor's default
            // queue of transformed records keeps the writer busy, since the lag ends at the poll.
            processor.maxPendingRecords = 10_000
            if configuration.kafka.isEmbedded {
                // The embedded broker keeps nothing once the process ends: on a graceful stop the ingester stops
                // first, and the processor handles what was already produced before it stops.
                processor.drainOnShutdown = { [counters] in
                    counters.handled.load(ordering: .relaxed) + counters.lost.load(ordering: .relaxed)
                        < counters.produced.load(ordering: .relaxed)
                }
            }
        }
        return processor
    }

    /// The ingester's settings for these parts.
    public func ingesterConfiguration() -> Ingester.Configuration {
        var ingester = Ingester.Configuration()
        ingester.topic = configuration.kafka.topic
        ingester.pageSize = pageSize
        ingester.firstPage = job.logicalTime == nil ? job.firstPage : 1
        ingester.rate = configuration.source.rate
        if parts == .all {
            ingester.count = job.count ?? Int.max
        } else {
            ingester.count = job.count ?? PipelineJob.defaultIngestCount
        }
        return ingester
    }

    /// Whether missing topics are created here: the setting, or auto (`run` creates them).
    public var createsTopics: Bool {
        configuration.kafka.createTopics ?? (parts == .all)
    }

    /// Makes sure the topics these parts need exist: creates the missing ones when ``createsTopics``, else fails
    /// naming them and the command that creates them.
    public func requireTopics(brokers: String) async throws {
        let admin = try admin(brokers: brokers)
        defer { admin.close() }
        let missing: [String]
        do {
            missing = try await admin.missingTopics(requiredTopics)
        } catch {
            throw Error(description: "cannot read the topics of the brokers \(brokers) (\(error)); check --brokers")
        }
        guard !missing.isEmpty else { return }
        guard createsTopics else {
            throw Error(
                description: "topic(s) \(missing.joined(separator: ", ")) do not exist on \(brokers); create them with: "
                    + createTopicsHint(brokers: brokers) + " (or pass --create-topics true)")
        }
        let kafka = configuration.kafka
        let specifications = missing.map { name in
            KafkaTopicSpecification(
                name: name, partitions: name == kafka.topic ? kafka.partitions : 1,
                replicationFactor: kafka.replicationFactor)
        }
        do {
            try await admin.createTopics(specifications)
        } catch {
            throw Error(
                description: "could not create topic(s) \(missing.joined(separator: ", ")) on \(brokers) (\(error)); "
                    + "create them with: " + createTopicsHint(brokers: brokers))
        }
        logger.notice(
            "created missing topics",
            metadata: ["topics": "\(missing.joined(separator: ", "))", "partitions": "\(kafka.partitions)",
                       "replication-factor": "\(kafka.replicationFactor)"])
    }

    /// Closes what a failed build opened, newest first.
    private static func close(_ opened: some Sequence<any Service>) async {
        for service in opened {
            switch service {
            case let consumer as KafkaConsumer: try? await consumer.close()
            case let producer as KafkaProducer: try? await producer.close()
            case let store as any UserStore: try? await store.close()
            case let admin as KafkaAdmin: admin.close()
            case let broker as EmbeddedKafkaBroker: broker.shutdown()
            default: break
            }
        }
    }
}
