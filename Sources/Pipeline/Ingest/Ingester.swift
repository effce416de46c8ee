import Tracing
import Kafka
import Logging
import RandomUser
import ServiceLifecycle
import Synchronization
import UsersContract

/// Fetches users from a source and produces one Kafka message per user to `random_users` (through a
/// ``UserBatchProducer``): one batch of ``Configuration-swift.struct/count`` users, or a steady
/// ``Configuration-swift.struct/rate``. Scheduled ingestion is the ``Scheduler``'s.
///
/// A user counts as produced only when the broker acknowledged it. With a ``FlowControl`` the ingester never runs
/// further ahead of the processor than the flow control allows (the embedded broker drops data older than ~5 MiB
/// per partition, so there it must not).
public final class Ingester: Service {
    /// What to fetch and when.
    public struct Configuration: Sendable {
        /// The output topic. Default: `random_users`.
        public var topic = PipelineConfiguration.Kafka().topic
        /// Users to produce. Default: 100.
        public var count = 100
        /// Users per API page (the API allows 1…5000). Default: 5,000.
        public var pageSize = 5000
        /// The first page to ask for (1-based; with a seed, pages are reproducible). Default: 1.
        public var firstPage = 1
        /// Pages being produced (enqueued, awaiting acknowledgement) while the next is fetched. Default: 2.
        public var pagesInFlight = 2
        /// Produce at a steady `rate` users per second instead of as fast as possible: every ``tick`` the ingester
        /// fetches the users due by then (a small page, so each carries its own `fetched_at`) and hands them to the
        /// producer without waiting for earlier acknowledgements. Stops after ``count`` users. Default: nil (as fast as
        /// possible).
        public var rate: Int?
        /// With ``rate``: how often users are fetched and produced. Default: 10 ms.
        public var tick: Duration = .milliseconds(10)

        /// The defaults above.
        public init() {}
    }

    private let source: any UserSource
    private let producer: KafkaProducer
    private let flowControl: (any FlowControl)?
    private let configuration: Configuration
    private let counters: PipelineCounters
    private let logger: Logger
    private let batches: UserBatchProducer

    /// An ingester over a shared producer (not closed by the ingester).
    public init(
        source: any UserSource,
        producer: KafkaProducer,
        flowControl: (any FlowControl)?,
        configuration: Configuration,
        counters: PipelineCounters,
        logger: Logger = Logger(label: "userstream.ingester")
    ) {
        self.source = source
        self.producer = producer
        self.flowControl = flowControl
        self.configuration = configuration
        self.counters = counters
        self.logger = logger
        self.batches = UserBatchProducer(
            producer: producer, topic: configuration.topic, pageSize: configuration.pageSize,
            pagesInFlight: configuration.pagesInFlight, flowControl: flowControl, counters: counters, logger: logger)
    }

    public func run() async throws {
        if let rate = configuration.rate, rate > 0 {
            try await ingestPaced(rate: rate)
        } else {
            _ = try await batches.produce(configuration.count, from: source, firstPage: configuration.firstPage)
        }
        logger.info("ingester stopped", metadata: ["produced": "\(counters.produced.load(ordering: .relaxed))"])
    }

    /// Produces ``Configuration/count`` users at `rate` users per second, in ticks of ``Configuration/tick``.
    private func ingestPaced(rate: Int) async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let tick = configuration.tick > .zero ? configuration.tick : .milliseconds(10)
        var page = configuration.firstPage
        var scheduled = 0
        var ticks = 0
        try await withThrowingDiscardingTaskGroup { group in
            while scheduled < configuration.count && !Task.isShuttingDownGracefully && !Task.isCancelled {
                let elapsed = clock.now - started
                let due = min(configuration.count, Int(Double(rate) * elapsed.seconds)) - scheduled
                if due > 0 {
                    if let flowControl { try await flowControl.waitForRoom(adding: due) }
                    let pageSpan = PipelineTracing.pageSpan(page: page, users: due)
                    let fetched: UserPage
                    do {
                        fetched = try await source.fetch(count: due, page: page)
                        pageSpan.end()
                    } catch {
                        pageSpan.recordError(error)
                        pageSpan.end()
                        throw error
                    }
                    page += 1
                    let users = fetched.users.prefix(due)
                    if users.isEmpty {
                        logger.warning("the source returned an empty page: stopping", metadata: ["page": "\(page - 1)"])
                        break
                    }
                    scheduled += users.count
                    counters.fetched.add(users.count, ordering: .relaxed)
                    let produce = PipelineTracing.produceSpan(
                        parent: pageSpan, topic: configuration.topic, messages: users.count)
                    let messages = batches.outgoing(users, of: fetched, source: source.name, trace: produce.headers)
                    counters.sent.add(messages.count, ordering: .relaxed)
                    group.addTask { [producer, counters] in
                        defer { produce.span.end() }
                        do {
                            _ = try await producer.send(messages)
                        } catch {
                            if !(error is CancellationError) {
                                counters.produceErrors.add(messages.count, ordering: .relaxed)
                            }
                            produce.span.recordError(error)
                            throw error
                        }
                        counters.produced.add(messages.count, ordering: .relaxed)
                    }
                }
                ticks += 1
                do {
                    try await clock.sleep(until: started + tick * ticks)
                } catch {
                    break
                }
            }
        }
    }
}
