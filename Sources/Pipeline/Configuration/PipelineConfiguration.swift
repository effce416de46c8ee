import Cron
import Foundation
import CQL

/// The whole pipeline, one typed value: where users come from, the Kafka it streams through, how the processor
/// batches, where rows are stored, and the parts that come next (HTTP server, schedule, quality rules).
///
/// Every default is stated here, once; `--help`, `userstream check` and `deploy/userstream.yaml` show these values.
/// A ``PipelineConfiguration`` is loaded by ``ConfigurationLoader`` from, in this order: flags, `USERSTREAM_*`
/// environment variables, a pipeline file (`--config userstream.yaml`, YAML or JSON), these defaults. The settings
/// and their names in each layer are listed in ``PipelineSetting/all``.
public struct PipelineConfiguration: Sendable, Equatable {
    /// Where users come from.
    public var source = Source()
    /// The Kafka the users stream through.
    public var kafka = Kafka()
    /// How the stream processor batches and what it rejects.
    public var processing = Processing()
    /// Where rows are stored.
    public var store = Store()
    /// The HTTP server (health, metrics, API, dashboard).
    public var http = HTTP()
    /// Traces (OTLP), off unless an endpoint is set.
    public var trace = Trace()
    /// Scheduled ingestion.
    public var schedule = Schedule()
    /// Data-quality rules beyond the contract. Reserved for the next capabilities.
    public var quality = Quality()
    /// Logs and progress.
    public var log = Log()

    /// The defaults: an embedded broker, the synthetic source and a SQLite store, all in one process.
    public init() {}

    /// Where users come from.
    public struct Source: Sendable, Equatable {
        /// The defaults below.
        public init() {}

        /// `synthetic` (the offline generator) or `randomuser` (the HTTP API at ``url``). Default: synthetic.
        public var kind: SourceKind = .synthetic
        /// The RandomUser API base URL (a RandomUser-compatible server). Default: `https://randomuser.me/api/1.4/`.
        public var url = "https://randomuser.me/api/1.4/"
        /// Users per page, 1...5000; nil for the part's own: 2,000 when the processor shares the process (pages
        /// awaiting acknowledgement share its memory), else 5,000 (the API's largest page). Default: nil (auto).
        public var pageSize: Int?
        /// Users per second to produce at a steady pace; nil for as fast as the pipeline takes them. Default: nil.
        public var rate: Int?
        /// The seed: the same seed and page give the same users. Default: `userstream`.
        public var seed = "userstream"
        /// The fraction of bad records the synthetic source makes, 0...1 (tests and demos). Default: 0.
        public var badFraction = 0.0
    }

    /// What a source is.
    public enum SourceKind: String, Sendable, Equatable, CaseIterable {
        /// The offline generator of RandomUser-shaped users.
        case synthetic
        /// The RandomUser HTTP API.
        case randomuser
    }

    /// The Kafka the users stream through.
    public struct Kafka: Sendable, Equatable {
        /// The defaults below.
        public init() {}

        /// Bootstrap servers `host:port,...`, or `embedded`: a Kafka-protocol broker inside the process
        /// (librdkafka's mock cluster; `run` only). Default: embedded.
        public var brokers = "embedded"
        /// The users topic. Default: `random_users`.
        public var topic = "random_users"
        /// The dead-letter topic. Default: `random_users_dlq`.
        public var deadLetterTopic = "random_users_dlq"
        /// The consumer group; processors with one group share the partitions. Default: `userstream`.
        public var group = "userstream"
        /// Partitions of the users topic when UserStream creates it (the embedded broker). Default: 6.
        public var partitions = 6
        /// Replicas of each partition when UserStream creates a topic on a real Kafka (use 3 in production).
        /// Default: 1.
        public var replicationFactor = 1
        /// Whether UserStream creates missing topics (with ``partitions`` and ``replicationFactor``) on a real Kafka;
        /// nil for auto: `run` creates them, `ingest` and `process` fail naming them and the command that creates them.
        /// Default: nil (auto).
        public var createTopics: Bool?
        /// The consumer's session timeout (a real broker accepts 6 s to 5 min by default). Default: 10 s.
        public var sessionTimeout: Duration = .seconds(10)
        /// How long a produced message may wait for the brokers' acknowledgement, retries included
        /// (`message.timeout.ms`); then it fails, not persisted or possibly persisted. Default: 5 minutes.
        public var deliveryTimeout: Duration = .seconds(300)
        /// The producer's codec; nil for auto: none with the embedded broker (nothing crosses a network), else lz4.
        /// Default: nil (auto).
        public var compression: Compression?
        /// The embedded broker's fixed bootstrap port on 127.0.0.1; nil for any free port. Default: nil.
        public var embeddedPort: Int?
        /// How clients authenticate and encrypt.
        public var security = Security()
        /// Extra librdkafka properties of the producer, applied last. Default: none.
        public var producerProperties: [String: String] = [:]
        /// Extra librdkafka properties of the consumer, applied last. Default: none.
        public var consumerProperties: [String: String] = [:]

        /// Whether the broker is the embedded one.
        public var isEmbedded: Bool { brokers == "embedded" }
    }

    /// A producer codec.
    public enum Compression: String, Sendable, Equatable, CaseIterable {
        case none, lz4, zstd, snappy, gzip
    }

    /// How Kafka clients authenticate and encrypt (librdkafka's `security.protocol` and `sasl.*`).
    public struct Security: Sendable, Equatable {
        /// The defaults below.
        public init() {}

        /// `plaintext`, `ssl`, `sasl_plaintext` or `sasl_ssl`. Default: plaintext.
        public var `protocol` = "plaintext"
        /// The SASL mechanism: `PLAIN`, `SCRAM-SHA-256` or `SCRAM-SHA-512`; nil without SASL. Default: nil.
        public var saslMechanism: String?
        /// The SASL username. Default: nil.
        public var saslUsername: String?
        /// The SASL password: from `USERSTREAM_KAFKA_SASL_PASSWORD` or the file `sasl-password-file` names,
        /// never a flag. Redacted wherever it is printed. Default: nil.
        public var saslPassword: Secret?
        /// A CA certificate file for `ssl`/`sasl_ssl`; nil for the system's. Default: nil.
        public var caLocation: String?

        /// The librdkafka properties these settings stand for.
        public var properties: [String: String] {
            var properties = ["security.protocol": `protocol`]
            if let saslMechanism { properties["sasl.mechanism"] = saslMechanism }
            if let saslUsername { properties["sasl.username"] = saslUsername }
            if let saslPassword { properties["sasl.password"] = saslPassword.value }
            if let caLocation { properties["ssl.ca.location"] = caLocation }
            return properties
        }
    }

    /// How the stream processor batches and what it rejects.
    public struct Processing: Sendable, Equatable {
        /// The defaults below.
        public init() {}

        /// Most records in one micro-batch. Default: 5,000.
        public var batchSize = 5000
        /// Longest wait for a micro-batch to fill. Default: 200 ms.
        public var batchInterval: Duration = .milliseconds(200)
        /// Once a batch has a record, how much longer to wait for more; nil for auto: 50 ms when the ingester
        /// shares the process (throughput), else 5 ms (latency). Default: nil (auto).
        public var batchLinger: Duration?
        /// Messages larger than this are rejected as `too_large`, unparsed. Default: 1,048,576 bytes.
        public var maxMessageBytes = 1 << 20
        /// Stop with an error when the broker lost records (a gap in offsets); else log the range and go on.
        /// Default: false.
        public var failOnGap = false
        /// Most users produced but not yet read (`run`) or not yet committed by the group (`ingest`); nil for auto:
        /// 2,000 per partition with the embedded broker (it keeps ~5 MiB per partition), else no limit.
        /// Default: nil (auto).
        public var maxLag: Int?
    }

    /// Where rows are stored.
    public struct Store: Sendable, Equatable {
        /// The defaults below.
        public init() {}

        /// `sqlite:PATH[?synchronous=full|normal&cache_kib=N]` or
        /// `cassandra://host[:port][,host2...]/keyspace[?consistency=...&rf=N&dc=...&tls=true]`.
        /// Default: `sqlite:users.sqlite`.
        public var url = "sqlite:users.sqlite"
        /// The Cassandra consistency of reads and writes (overrides the URL's); nil for the URL's or
        /// `LOCAL_QUORUM`. Default: nil.
        public var consistency: String?
        /// The Cassandra username. Default: nil (no authentication).
        public var username: String?
        /// The Cassandra password: from `USERSTREAM_CASSANDRA_PASSWORD` or the file
        /// `USERSTREAM_CASSANDRA_PASSWORD_FILE` / `store.password-file` names, never a flag. Default: nil.
        public var password: Secret?
        /// How long the processor waits for a failing store (retrying with backoff, consumption paused) before it
        /// stops with an error; nil for as long as the outage lasts. Default: nil.
        public var maxOutage: Duration?

        /// The Cassandra username and password, when a username is set.
        public var credentials: CQLCredentials? {
            username.map { CQLCredentials(username: $0, password: password?.value ?? "") }
        }
    }

    /// The HTTP server. Reserved: nothing serves yet.
    public struct HTTP: Sendable, Equatable {
        /// The defaults below.
        public init() {}

        /// `HOST:PORT` to listen on, or `off`. Default: `127.0.0.1:8080` (this machine only).
        public var address = "127.0.0.1:8080"
        /// The bearer token every route but `/health` requires: from `USERSTREAM_HTTP_TOKEN` or the file
        /// `http.token-file` names, never a flag. Required when ``address`` is beyond loopback. Default: nil.
        public var token: Secret?
    }

    /// Traces exported over OTLP/HTTP (``PipelineTracing``).
    public struct Trace: Sendable, Equatable {
        /// The defaults below.
        public init() {}

        /// The OTLP/HTTP endpoint, e.g. `http://127.0.0.1:4318` (`/v1/traces` is added). Default: nil (no traces).
        public var otlpEndpoint: String?
        /// `http/protobuf` or `http/json`. Default: `http/protobuf`.
        public var otlpProtocol = "http/protobuf"
    }

    /// Scheduled ingestion (`userstream schedule`, and `run` when a schedule is set).
    public struct Schedule: Sendable, Equatable {
        /// The defaults below.
        public init() {}

        /// Run every interval (at least 1 s; aligned to the Unix epoch: `5m` runs at :00, :05, …). Default: nil.
        public var every: Duration?
        /// Run at the times of a 5-field cron expression (`minute hour day-of-month month day-of-week`, or
        /// `@hourly`, `@daily`…). Default: nil. At most one of ``every`` and ``cron``.
        public var cron: String?
        /// The IANA time zone of ``cron`` (e.g. `Europe/Berlin`). Default: `UTC`.
        public var timeZone = "UTC"
        /// Users each run fetches and produces. Default: 100.
        public var usersPerRun = 100
        /// The longest one attempt of a run may take. Default: 5 minutes.
        public var runTimeout: Duration = .seconds(300)
        /// Attempts after a failed first one. Default: 3.
        public var retries = 3
        /// The wait before the first retry; it doubles per retry up to 5 minutes, with jitter. Default: 10 s.
        public var retryDelay: Duration = .seconds(10)
        /// Run the intervals missed while no scheduler ran (at most 100, the latest). Default: false.
        public var catchUp = false
        /// The run history, a SQLite file of its own (also with a Cassandra store). Default: `userstream-state.sqlite`.
        public var state = "userstream-state.sqlite"

        /// Whether a schedule is set.
        public var isSet: Bool { every != nil || cron != nil }

        /// The trigger these settings describe, or nil when no schedule is set.
        /// - Throws: ``PipelineBuilder/Error`` naming the settings when both `every` and `cron` are set, or the
        ///   cron expression or the time zone is not usable.
        public func trigger() throws -> ScheduleTrigger? {
            switch (every, cron) {
            case (nil, nil):
                return nil
            case (.some, .some):
                throw PipelineBuilder.Error(
                    description: "schedule.every (--every) and schedule.cron (--cron) are both set: choose one")
            case (.some(let every), nil):
                do {
                    return try ScheduleTrigger.interval(every)
                } catch {
                    throw PipelineBuilder.Error(description: "schedule.every (--every): \(error)")
                }
            case (nil, .some(let cron)):
                let expression: CronExpression
                let zone: TimeZone
                do {
                    expression = try CronExpression(parsing: cron)
                } catch {
                    throw PipelineBuilder.Error(description: "schedule.cron (--cron): \(error)")
                }
                do {
                    zone = try ScheduleTrigger.timeZone(named: timeZone)
                } catch {
                    throw PipelineBuilder.Error(description: "schedule.time-zone (--time-zone): \(error)")
                }
                return .cron(expression, zone)
            }
        }
    }

    /// Data-quality rules beyond the contract. Reserved.
    public struct Quality: Sendable, Equatable {
        /// The defaults below.
        public init() {}

        /// The rule names to enforce. Default: none.
        public var rules: [String] = []
    }

    /// Logs and progress.
    public struct Log: Sendable, Equatable {
        /// The defaults below.
        public init() {}

        /// `trace`, `debug`, `info`, `notice`, `warning`, `error` or `critical`. Default: info.
        public var level = "info"
        /// `text` or `json`. Default: text.
        public var format = "text"
        /// How often progress is printed. Default: 2 s.
        public var progressInterval: Duration = .seconds(2)
    }
}

/// A value that must not be printed: `description` is `<redacted>`.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself; pass it only to the client that needs it.
    public let value: String

    /// Wraps a secret.
    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
