import Tracing
import Kafka
import Logging
import RandomUser
import UsersContract

/// Produces a number of users from a source, page by page: one Kafka message per user (key `login.uuid`, value the
/// compact result object, headers `source`, `fetched_at`, `schema`). The one producing loop of `ingest`, `run` and
/// the scheduler's runs.
///
/// A user counts as produced only when the broker acknowledged it. With a ``FlowControl`` it never runs further
/// ahead of the processor than the flow control allows.
public struct UserBatchProducer: Sendable {
    /// What one call produced.
    public struct Outcome: Sendable, Equatable {
        /// Users the source returned (used or not).
        public var fetched = 0
        /// Users the broker acknowledged.
        public var produced = 0
        /// The first page not fetched.
        public var nextPage = 1
    }

    let producer: KafkaProducer
    let topic: String
    let pageSize: Int
    /// Pages being produced (enqueued, awaiting acknowledgement) while the next is fetched.
    let pagesInFlight: Int
    let flowControl: (any FlowControl)?
    let counters: PipelineCounters
    let logger: Logger

    /// A producer of batches.
    public init(
        producer: KafkaProducer, topic: String, pageSize: Int, pagesInFlight: Int = 2, flowControl: (any FlowControl)?,
        counters: PipelineCounters, logger: Logger
    ) {
        self.producer = producer
        self.topic = topic
        self.pageSize = pageSize
        self.pagesInFlight = pagesInFlight
        self.flowControl = flowControl
        self.counters = counters
        self.logger = logger
    }

    /// Produces `count` users from `source`, from `firstPage` on; stops early on shutdown or after three empty
    /// pages in a row. Returns once every message it sent was acknowledged.
    /// - Throws: the source's error after its retries, or ``KafkaError`` `.delivery` when messages were not delivered.
    public func produce(_ count: Int, from source: any UserSource, firstPage: Int) async throws -> Outcome {
        var outcome = Outcome(nextPage: firstPage)
        var remaining = count
        var emptyPages = 0
        // Pages are produced while the next ones are fetched; at most `pagesInFlight` await their acknowledgements.
        var inFlight: [Task<Int, any Error>] = []
        defer { inFlight.forEach { $0.cancel() } }
        while remaining > 0 && !Task.isShuttingDownGracefully && !Task.isCancelled {
            let want = min(pageSize, remaining)
            if let flowControl {
                try await flowControl.waitForRoom(adding: want)
            }
            let pageSpan = PipelineTracing.pageSpan(page: outcome.nextPage, users: want)
            let fetched: UserPage
            do {
                fetched = try await source.fetch(count: want, page: outcome.nextPage)
                pageSpan.end()
            } catch {
                pageSpan.recordError(error)
                pageSpan.end()
                throw error
            }
            outcome.nextPage += 1
            if fetched.users.isEmpty {
                emptyPages += 1
                logger.warning(
                    "the source returned an empty page: nothing this time", metadata: ["page": "\(outcome.nextPage - 1)"])
                if emptyPages >= 3 { break }
                continue
            }
            emptyPages = 0
            counters.fetched.add(fetched.users.count, ordering: .relaxed)
            outcome.fetched += fetched.users.count
            let users = fetched.users.prefix(remaining)
            remaining -= users.count
            let produce = PipelineTracing.produceSpan(parent: pageSpan, topic: topic, messages: users.count)
            let messages = outgoing(users, of: fetched, source: source.name, trace: produce.headers)
            counters.sent.add(messages.count, ordering: .relaxed)
            while inFlight.count >= max(1, pagesInFlight) {
                outcome.produced += try await inFlight.removeFirst().value
            }
            // librdkafka copies what it enqueues: the page is freed here, not when its acknowledgements arrive.
            let receipt = try await producer.enqueue(messages)
            inFlight.append(Task { [counters] in
                defer { produce.span.end() }
                do {
                    _ = try await receipt.reports()
                } catch {
                    if !(error is CancellationError) { counters.produceErrors.add(receipt.count, ordering: .relaxed) }
                    produce.span.recordError(error)
                    throw error
                }
                counters.produced.add(receipt.count, ordering: .relaxed)
                return receipt.count
            })
        }
        while !inFlight.isEmpty {
            outcome.produced += try await inFlight.removeFirst().value
        }
        return outcome
    }

    /// One message per user: key `login.uuid` (none when the user has none), the page's headers, and `trace` (the
    /// produced batch's trace context, when tracing).
    func outgoing(
        _ users: some Collection<FetchedUser>, of page: UserPage, source: String, trace: [KafkaHeader] = []
    ) -> [KafkaOutgoingMessage] {
        let headers = MessageEnvelope.kafkaHeaders(source: source, fetchedAt: page.fetchedAt) + trace
        return users.map {
            KafkaOutgoingMessage(topic: topic, key: $0.key.isEmpty ? nil : $0.key, value: $0.value, headers: headers)
        }
    }
}
