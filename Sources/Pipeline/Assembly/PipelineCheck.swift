import Foundation
import Kafka
import Logging
import RandomUser
import Stores

/// What `userstream check` tries: each connection the pipeline would make, with a bounded wait.
///
/// The broker's metadata and the topics, the store and its table (a keyed read of a user that does not exist), the
/// source with a one-user request. Nothing is written: a missing SQLite file is reported, not created.
public struct PipelineCheck: Sendable {
    /// One check's outcome.
    public struct Outcome: Sendable, CustomStringConvertible {
        /// What was checked (`kafka`, `store`, `source`).
        public var subject: String
        /// Whether it passed.
        public var passed: Bool
        /// What was found, or what failed and what to do.
        public var detail: String

        /// `ok   kafka 127.0.0.1:9092: ...` or `FAIL kafka ...`.
        public var description: String { "\(passed ? "ok  " : "FAIL") \(subject): \(detail)" }
    }

    /// The pipeline to check.
    public var builder: PipelineBuilder
    /// The longest wait for each connection. Default: 30 s.
    public var timeout: Duration = .seconds(30)

    /// A check of `builder`'s configuration for its parts.
    public init(builder: PipelineBuilder, timeout: Duration = .seconds(30)) {
        self.builder = builder
        self.timeout = timeout
    }

    /// Runs every check for the builder's parts, in flow order: source, broker, store.
    public func run() async -> [Outcome] {
        var outcomes: [Outcome] = []
        if builder.parts.contains(.ingest) { outcomes.append(await source()) }
        outcomes.append(await kafka())
        if builder.parts.contains(.process) { outcomes.append(await store()) }
        return outcomes
    }

    /// The source answers a one-user request (the synthetic source always does).
    public func source() async -> Outcome {
        let configuration = builder.configuration.source
        let name = configuration.kind == .synthetic ? "synthetic" : configuration.url
        do {
            let source = try builder.makeSource()
            let page = try await withTimeout(timeout, waitingFor: "the source \(name)") {
                try await source.fetch(count: 1, page: 1)
            }
            return Outcome(subject: "source \(name)", passed: !page.users.isEmpty, detail: page.users.isEmpty
                ? "answered with no user; check the URL" : "answered a one-user request")
        } catch {
            return Outcome(subject: "source \(name)", passed: false, detail: "\(error)")
        }
    }

    /// The broker answers a metadata request and has the topics (the embedded broker is started and stopped).
    public func kafka() async -> Outcome {
        var broker: EmbeddedKafkaBroker?
        defer { broker?.shutdown() }
        let brokers: String
        do {
            if builder.startsEmbeddedBroker {
                let embedded = try builder.makeEmbeddedBroker()
                broker = embedded
                brokers = embedded.bootstrapServers
            } else {
                brokers = builder.externalBrokers
            }
        } catch {
            return Outcome(subject: "kafka embedded", passed: false, detail: "could not start: \(error)")
        }
        let subject = "kafka \(broker != nil ? "embedded (\(brokers))" : brokers)"
        do {
            let admin = try builder.admin(brokers: brokers)
            defer { admin.close() }
            let topics = try await withTimeout(timeout, waitingFor: "the brokers \(brokers)") {
                try await admin.listTopics(timeout: timeout)
            }
            let byName = Dictionary(topics.map { ($0.name, $0.partitions.count) }, uniquingKeysWith: { first, _ in first })
            let wanted = builder.requiredTopics
            let missing = wanted.filter { byName[$0] == nil }
            guard missing.isEmpty else {
                return Outcome(
                    subject: subject, passed: false,
                    detail: "reachable, but topic(s) \(missing.joined(separator: ", ")) do not exist; create them with: "
                        + builder.createTopicsHint(brokers: brokers))
            }
            let found = wanted.map { "\($0) (\(byName[$0] ?? 0) partitions)" }.joined(separator: ", ")
            return Outcome(subject: subject, passed: true, detail: "reachable; topics \(found)")
        } catch {
            return Outcome(subject: subject, passed: false, detail: "\(error)")
        }
    }

    /// The store opens and answers a keyed read of its table.
    public func store() async -> Outcome {
        let url = builder.configuration.store.url
        let shown = String(url.split(separator: "?").first ?? "")
        if builder.storeFileExists == false {
            return Outcome(subject: "store \(shown)", passed: true, detail: "does not exist yet; run creates it")
        }
        do {
            _ = try await builder.withStore { store in
                try await withTimeout(timeout, waitingFor: "the store \(shown)") {
                    try await store.get(userID: "00000000-0000-0000-0000-000000000000")
                }
            }
            return Outcome(subject: "store \(shown)", passed: true, detail: "reachable; the users table answers")
        } catch {
            return Outcome(subject: "store \(shown)", passed: false, detail: "\(error)")
        }
    }
}

/// A wait that took longer than allowed.
public struct TimeoutError: Error, CustomStringConvertible {
    /// What was waited for.
    public var waitingFor: String
    /// How long.
    public var timeout: Duration

    public var description: String {
        "no answer from \(waitingFor) within \(DurationText.format(timeout)); check the address and that it is running"
    }
}

/// Runs `operation`, failing with ``TimeoutError`` when it takes longer than `timeout` (it is cancelled then).
public func withTimeout<T: Sendable>(
    _ timeout: Duration, waitingFor: String, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimeoutError(waitingFor: waitingFor, timeout: timeout)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
