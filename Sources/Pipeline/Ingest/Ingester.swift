import Kafka
import Logging
import RandomUser
import ServiceLifecycle
import Synchronization
import UsersContract

/// Fetches users from a source and produces one Kafka message per user to `random_users`
/// (key `login.uuid`, value the compact result object, headers `source`, `fetched_at`, `schema`).
///
/// A user counts as produced only when the broker acknowledged it. With a ``FlowControl`` the ingester never runs
/// further ahead of the processor than the flow control allows (the embedded broker drops data older than ~5 MiB
/// per partition, so there it must not).
///
/// On a schedule (``Configuration-swift.struct/interval``) a failed tick (the source failing after its retries, a
/// produce failure) is logged as a warning with its error, counted in ``failedTicks``, and the schedule goes on:
/// the next tick asks again for the page that was not fetched. The run ends normally at
/// ``Configuration-swift.struct/duration`` or on shutdown, and logs how many ticks failed. Without a schedule, a
/// failure ends the run with its error.
public final class Ingester: Service {
    /// What to fetch and when.
    public struct Configuration: Sendable {
        /// The output topic. Default: `random_users`.
        public var topic = PipelineConfiguration.Kafka().topic
        /// Users per run (one batch). Default: 100. With ``interval``, users per tick.
        public var count = 100
        /// Users per API page (the API allows 1…5000). Default: 5,000.
        public var pageSize = 5000
        /// The first page to ask for (1-based; with a seed, pages are reproducible). Default: 1.
        public var firstPage = 1
        /// Fetch `count` users every `interval` instead of once. Default: nil (once).
        public var interval: Duration?
        /// With ``interval``: stop after this long. Default: nil (until stopped).
        public var duration: Duration?
        /// Pages being produced (enqueued, awaiting acknowledgement) while the next is fetched. Default: 2.
        public var pagesInFlight = 2
        /// Produce at a steady `rate` users per second instead of as fast as possible: every ``tick`` the ingester
        /// fetches the users due by then (a small page, so each carries its own `fetched_at`) and hands them to the
        /// producer without waiting for earlier acknowledgements. Stops after ``count`` users, or after
        /// ``duration`` when set; ``interval`` is ignored. Default: nil (as fast as possible).
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
    private let failedTickCount = Atomic<Int>(0)

    /// Ticks of the schedule that failed so far (each logged, then skipped). Always 0 without
    /// ``Configuration-swift.struct/interval``.
    public var failedTicks: Int { failedTickCount.load(ordering: .relaxed) }

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
    }

    public func run() async throws {
        if let rate = configuration.rate, rate > 0 {
            try await ingestPaced(rate: rate)
            logger.info("ingester stopped", metadata: ["produced": "\(counters.produced.load(ordering: .relaxed))"])
            return
        }
        guard let interval = configuration.interval else {
            var page = configuration.firstPage
            try await ingestOnce(page: &page)
            logger.info("ingester stopped", metadata: ["produced": "\(counters.produced.load(ordering: .relaxed))"])
            return
        }
        try await ingestScheduled(every: interval)
    }

    /// Runs a tick every `interval` until ``Configuration/duration`` or shutdown; a failed tick is logged, counted
    /// and skipped.
    private func ingestScheduled(every interval: Duration) async throws {
        let started = ContinuousClock.now
        var page = configuration.firstPage
        var ticks = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            ticks += 1
            do {
                try await ingestOnce(page: &page)
            } catch {
                // A tick cut short by shutdown is not a failure.
                if Task.isShuttingDownGracefully || Task.isCancelled || error is CancellationError { break }
                let failed = failedTickCount.add(1, ordering: .relaxed).newValue
                logger.warning(
                    "ingest tick failed; the schedule goes on",
                    metadata: [
                        "tick": "\(ticks)", "page": "\(page)", "failed_ticks": "\(failed)", "error": "\(error)",
                        "next_in_s": "\(interval.seconds)",
                    ]
                )
            }
            if let duration = configuration.duration, ContinuousClock.now - started >= duration { break }
            do {
                try await Task.sleep(for: interval)
            } catch {
                break
            }
            if let duration = configuration.duration, ContinuousClock.now - started >= duration { break }
        }
        let failed = failedTicks
        logger.log(
            level: failed > 0 ? .warning : .info,
            failed > 0 ? "ingester stopped; \(failed) of \(ticks) ticks failed" : "ingester stopped",
            metadata: [
                "produced": "\(counters.produced.load(ordering: .relaxed))", "ticks": "\(ticks)",
                "failed_ticks": "\(failed)",
            ]
        )
    }

    /// Produces ``Configuration/count`` users, page by page. `page` advances past each page fetched, so after a
    /// failure it names the first page not fetched.
    private func ingestOnce(page: inout Int) async throws {
        var remaining = configuration.count
        var emptyPages = 0
        // Pages are produced while the next ones are fetched; at most `pagesInFlight` await their acknowledgements.
        var inFlight: [Task<Int, any Error>] = []
        defer { inFlight.forEach { $0.cancel() } }
        while remaining > 0 && !Task.isShuttingDownGracefully && !Task.isCancelled {
            let want = min(configuration.pageSize, remaining)
            if let flowControl {
                try await flowControl.waitForRoom(adding: want)
            }
            let fetched = try await source.fetch(count: want, page: page)
            page += 1
            if fetched.users.isEmpty {
                emptyPages += 1
                logger.warning("the source returned an empty page: nothing this time", metadata: ["page": "\(page - 1)"])
                if emptyPages >= 3 { break }
                continue
            }
            counters.fetched.add(fetched.users.count, ordering: .relaxed)
            let users = fetched.users.prefix(remaining)
            remaining -= users.count
            let messages = outgoing(users, of: fetched)
            counters.sent.add(messages.count, ordering: .relaxed)
            while inFlight.count >= max(1, configuration.pagesInFlight) {
                _ = try await inFlight.removeFirst().value
            }
            // librdkafka copies what it enqueues: the page is freed here, not when its acknowledgements arrive.
            let receipt = try await producer.enqueue(messages)
            inFlight.append(Task { [counters] in
                _ = try await receipt.reports()
                counters.produced.add(receipt.count, ordering: .relaxed)
                return receipt.count
            })
        }
        while !inFlight.isEmpty {
            _ = try await inFlight.removeFirst().value
        }
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
                if let duration = configuration.duration, elapsed >= duration { break }
                let due = min(configuration.count, Int(Double(rate) * elapsed.seconds)) - scheduled
                if due > 0 {
                    if let flowControl { try await flowControl.waitForRoom(adding: due) }
                    let fetched = try await source.fetch(count: due, page: page)
                    page += 1
                    let users = fetched.users.prefix(due)
                    if users.isEmpty {
                        logger.warning("the source returned an empty page: stopping", metadata: ["page": "\(page - 1)"])
                        break
                    }
                    scheduled += users.count
                    counters.fetched.add(users.count, ordering: .relaxed)
                    let messages = outgoing(users, of: fetched)
                    counters.sent.add(messages.count, ordering: .relaxed)
                    group.addTask { [producer, counters] in
                        _ = try await producer.send(messages)
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

    /// One message per user: key `login.uuid` (none when the user has none), the page's headers.
    private func outgoing(_ users: some Collection<FetchedUser>, of page: UserPage) -> [KafkaOutgoingMessage] {
        let headers = MessageEnvelope.kafkaHeaders(source: source.name, fetchedAt: page.fetchedAt)
        return users.map {
            KafkaOutgoingMessage(
                topic: configuration.topic, key: $0.key.isEmpty ? nil : $0.key, value: $0.value, headers: headers
            )
        }
    }
}
