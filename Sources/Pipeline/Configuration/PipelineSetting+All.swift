import Cron
import CQL
import Logging
import Stores

/// Every setting of the pipeline, section by section. The order is the order of `deploy/userstream.yaml`.
extension PipelineSetting {
    // MARK: source

    public static let source = PipelineSetting(
        "source.kind", name: "source",
        "synthetic (offline generator) or randomuser (the API at source.url); an http(s) URL here means randomuser "
            + "at that URL.",
        apply: { configuration, value throws(SettingProblem) in
            let text = try value.scalar().trimmingCharacters(in: .whitespaces)
            let lowered = text.lowercased()
            if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
                try SettingText.url(text)
                configuration.source.kind = .randomuser
                configuration.source.url = text
            } else {
                configuration.source.kind = try SettingText.choice(text, of: PipelineConfiguration.SourceKind.self)
            }
        }, render: { $0.source.kind.rawValue })
    public static let sourceURL = text(
        "source.url", name: "source-url", "The RandomUser API base URL (http or https).", \.source.url,
        validate: { text throws(SettingProblem) in try SettingText.url(text) })
    public static let pageSize = optionalInteger(
        "source.page-size", name: "page-size",
        "Users per page; auto: 2000 when the processor shares the process, else 5000.", range: 1...5000,
        unset: "auto", \.source.pageSize)
    public static let rate = optionalInteger(
        "source.rate", name: "rate", "Users per second at a steady pace; none: as fast as the pipeline takes them.",
        range: 1...10_000_000, unset: "none", \.source.rate)
    public static let seed = text(
        "source.seed", name: "seed", "The same seed and page give the same users.", \.source.seed,
        validate: { text throws(SettingProblem) in
            guard !text.isEmpty else { throw SettingProblem("must not be empty") }
        })
    public static let badFraction = PipelineSetting(
        "source.bad-fraction", name: "bad-fraction", "Fraction of bad records the synthetic source makes (0...1).",
        apply: { configuration, value throws(SettingProblem) in
            configuration.source.badFraction = try SettingText.number(value.scalar(), in: 0...1)
        }, render: { String($0.source.badFraction) })

    // MARK: kafka

    public static let brokers = text(
        "kafka.brokers", name: "brokers",
        "Kafka bootstrap servers host:port,...; embedded: run starts a broker inside the process, and the other "
            + "commands use the standalone one of `userstream broker` at 127.0.0.1:9092.", \.kafka.brokers,
        validate: { text throws(SettingProblem) in
            if text != "embedded" { try SettingText.hostPorts(text) }
        })
    public static let topic = text(
        "kafka.topic", name: "topic", "The users topic.", \.kafka.topic, validate: SettingText.topicName)
    public static let deadLetterTopic = text(
        "kafka.dlq-topic", name: "dlq-topic", "The dead-letter topic.", \.kafka.deadLetterTopic,
        validate: SettingText.topicName)
    public static let group = text(
        "kafka.group", name: "group", "The consumer group; processors with one group share the partitions.",
        \.kafka.group, validate: { text throws(SettingProblem) in
            guard !text.isEmpty else { throw SettingProblem("must not be empty") }
        })
    public static let partitions = integer(
        "kafka.partitions", name: "partitions", "Partitions of the users topic when UserStream creates it.",
        range: 1...10_000, \.kafka.partitions)
    public static let replicationFactor = integer(
        "kafka.replication-factor", name: "replication-factor",
        "Replicas of each partition when UserStream creates a topic on a real Kafka (use 3 in production).",
        range: 1...32, \.kafka.replicationFactor)
    public static let createTopics = PipelineSetting(
        "kafka.create-topics", name: "create-topics",
        "Create missing topics (partitions, replication-factor) on a real Kafka: true, false, or auto (run creates "
            + "them; ingest and process fail naming them).",
        apply: { configuration, value throws(SettingProblem) in
            let text = try value.scalar()
            configuration.kafka.createTopics = text == "auto" ? nil : try SettingText.boolean(text)
        }, render: { $0.kafka.createTopics.map(String.init) ?? "auto" })
    public static let sessionTimeout = duration(
        "kafka.session-timeout", name: "session-timeout",
        "The consumer's session timeout (a real broker accepts 6s to 5m by default).", minimum: .seconds(1),
        \.kafka.sessionTimeout)
    public static let deliveryTimeout = duration(
        "kafka.delivery-timeout", name: "delivery-timeout",
        "How long a produced message may wait for the brokers' acknowledgement, retries included (message.timeout.ms).",
        minimum: .seconds(1), \.kafka.deliveryTimeout)
    public static let compression = PipelineSetting(
        "kafka.compression", name: "compression",
        "Producer codec: none, lz4, zstd, snappy or gzip; auto: none with the embedded broker, else lz4.",
        apply: { configuration, value throws(SettingProblem) in
            let text = try value.scalar()
            configuration.kafka.compression = text == "auto"
                ? nil : try SettingText.choice(text, of: PipelineConfiguration.Compression.self)
        }, render: { $0.kafka.compression?.rawValue ?? "auto" })
    public static let embeddedPort = PipelineSetting(
        "kafka.embedded-port", name: "port", "The embedded broker's bootstrap port on 127.0.0.1; any: a free port.",
        apply: { configuration, value throws(SettingProblem) in
            let text = try value.scalar()
            configuration.kafka.embeddedPort = text == "any" ? nil : try SettingText.integer(text, in: 1...65535, or: "any")
        }, render: { $0.kafka.embeddedPort.map(String.init) ?? "any" })
    public static let securityProtocol = PipelineSetting(
        "kafka.security.protocol", name: "security-protocol", "plaintext, ssl, sasl_plaintext or sasl_ssl.",
        apply: { configuration, value throws(SettingProblem) in
            let text = try value.scalar().lowercased()
            guard ["plaintext", "ssl", "sasl_plaintext", "sasl_ssl"].contains(text) else {
                throw SettingProblem("must be one of plaintext, ssl, sasl_plaintext, sasl_ssl")
            }
            configuration.kafka.security.protocol = text
        }, render: { $0.kafka.security.protocol })
    public static let saslMechanism = PipelineSetting(
        "kafka.security.sasl-mechanism", name: "sasl-mechanism", "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.",
        apply: { configuration, value throws(SettingProblem) in
            let text = try value.scalar().uppercased()
            guard ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"].contains(text) else {
                throw SettingProblem("must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512")
            }
            configuration.kafka.security.saslMechanism = text
        }, render: { $0.kafka.security.saslMechanism ?? "none" })
    public static let saslUsername = optionalText(
        "kafka.security.sasl-username", name: "sasl-username", "The SASL username.", \.kafka.security.saslUsername)
    public static let saslPassword = secret(
        "kafka.security.sasl-password", name: "sasl-password",
        "The SASL password (environment or file only).", \.kafka.security.saslPassword)
    public static let saslPasswordFile = secretFile(
        "kafka.security.sasl-password-file", name: "sasl-password-file",
        "A file whose first line is the SASL password.", \.kafka.security.saslPassword)
    public static let caLocation = optionalText(
        "kafka.security.ssl-ca-location", name: "ssl-ca-location", "A CA certificate file for ssl and sasl_ssl.",
        \.kafka.security.caLocation)
    public static let producerProperties = properties(
        "kafka.producer-properties", name: "producer-property",
        "Extra librdkafka producer properties, key=value, applied last.", \.kafka.producerProperties)
    public static let consumerProperties = properties(
        "kafka.consumer-properties", name: "consumer-property",
        "Extra librdkafka consumer properties, key=value, applied last.", \.kafka.consumerProperties)

    // MARK: processing

    public static let batchSize = integer(
        "processing.batch-size", name: "batch-size", "Most records in one micro-batch.", range: 1...1_000_000,
        \.processing.batchSize)
    public static let batchInterval = duration(
        "processing.batch-interval", name: "batch-interval", "Longest wait for a micro-batch to fill.",
        minimum: .milliseconds(1), \.processing.batchInterval)
    public static let batchLinger = optionalDuration(
        "processing.batch-linger", name: "batch-linger",
        "Once a batch has a record, how much longer to wait for more; auto: 50ms when the ingester shares the "
            + "process, else 5ms.", \.processing.batchLinger)
    public static let maxMessageBytes = integer(
        "processing.max-message-bytes", name: "max-message-bytes",
        "Messages larger than this are rejected as too_large, unparsed.", range: 1...(1 << 30),
        \.processing.maxMessageBytes)
    public static let failOnGap = boolean(
        "processing.fail-on-gap", name: "fail-on-gap",
        "Stop with an error when the broker lost records (a gap in offsets); else log the range and go on.",
        \.processing.failOnGap)
    public static let maxLag = optionalInteger(
        "processing.max-lag", name: "max-lag",
        "Most users produced but not yet read (run) or committed by the group (ingest); auto: 2000 per partition "
            + "in run, no limit in ingest.", range: 1...1_000_000_000, unset: "auto",
        \.processing.maxLag)

    // MARK: store

    public static let store = text(
        "store.url", name: "store",
        "sqlite:PATH[?synchronous=full|normal&cache_kib=N] or cassandra://host[:port][,host...]/keyspace[?...].",
        \.store.url, validate: SettingText.storeURL)
    public static let maxStoreOutage = optionalDuration(
        "store.max-outage", name: "max-store-outage",
        "How long to wait for a failing store (retrying, consumption paused) before stopping with an error; none: "
            + "for as long as it lasts.", unset: "none", \.store.maxOutage)
    public static let consistency = PipelineSetting(
        "store.consistency", name: "consistency", "Cassandra consistency (e.g. LOCAL_QUORUM, ONE); none: the URL's.",
        apply: { configuration, value throws(SettingProblem) in
            let text = try value.scalar()
            guard CQLConsistency(name: text) != nil else {
                throw SettingProblem("must be a Cassandra consistency level: ONE, TWO, THREE, QUORUM, ALL, LOCAL_QUORUM, "
                    + "EACH_QUORUM, LOCAL_ONE")
            }
            configuration.store.consistency = text
        }, render: { $0.store.consistency ?? "none" })
    public static let storeUsername = optionalText(
        "store.username", name: "cassandra-username", "The Cassandra username.", \.store.username)
    public static let storePassword = secret(
        "store.password", name: "cassandra-password", "The Cassandra password (environment or file only).",
        \.store.password)
    public static let storePasswordFile = secretFile(
        "store.password-file", name: "cassandra-password-file", "A file whose first line is the Cassandra password.",
        \.store.password)

    // MARK: schedule

    // MARK: http

    public static let http = text(
        "http.address", name: "http",
        "HOST:PORT of the HTTP server of run, process and serve (/metrics, /ready, the API, the dashboard), or off; "
            + "beyond 127.0.0.1 it needs a token.",
        \.http.address, validate: { text throws(SettingProblem) in
            if text.lowercased() != "off" { try SettingText.listenAddress(text) }
        })
    public static let httpToken = secret(
        "http.token", name: "http-token", "The HTTP server's bearer token (environment or file only).", \.http.token)
    public static let httpTokenFile = secretFile(
        "http.token-file", name: "http-token-file", "A file whose first line is the HTTP server's bearer token.",
        \.http.token)

    // MARK: trace

    public static let otlpEndpoint = PipelineSetting(
        "trace.otlp-endpoint", name: "otlp-endpoint",
        "The OTLP/HTTP endpoint spans are exported to (e.g. http://127.0.0.1:4318); none: no traces.",
        apply: { configuration, value throws(SettingProblem) in
            let text = try value.scalar()
            if text.lowercased() == "none" {
                configuration.trace.otlpEndpoint = nil
                return
            }
            try SettingText.url(text)
            configuration.trace.otlpEndpoint = text
        }, render: { $0.trace.otlpEndpoint ?? "none" })
    public static let otlpProtocol = text(
        "trace.otlp-protocol", name: "otlp-protocol", "How spans are encoded: http/protobuf or http/json.",
        \.trace.otlpProtocol, validate: { text throws(SettingProblem) in
            guard text == "http/protobuf" || text == "http/json" else {
                throw SettingProblem("must be http/protobuf or http/json")
            }
        })

    // MARK: quality (reserved)

    public static let every = PipelineSetting(
        "schedule.every", name: "every",
        "Run ingestion every interval (at least 1s; aligned to the epoch: 5m runs at :00, :05, ...); none: no interval.",
        apply: { configuration, value throws(SettingProblem) in
            let text = try value.scalar()
            configuration.schedule.every =
                text == "none" ? nil : try SettingText.duration(text, minimum: ScheduleTrigger.minimumInterval, or: "none")
        }, render: { $0.schedule.every.map(DurationText.format) ?? "none" })
    public static let cron = PipelineSetting(
        "schedule.cron", name: "cron",
        "Run ingestion at the times of a 5-field cron expression (minute hour day-of-month month day-of-week, or "
            + "@hourly, @daily...), in schedule.time-zone; none: no cron.",
        apply: { configuration, value throws(SettingProblem) in
            let text = try value.scalar()
            if text == "none" { configuration.schedule.cron = nil; return }
            do {
                _ = try CronExpression(parsing: text)
            } catch let error as CronParseError {
                throw SettingProblem(error.reason)
            } catch {
                throw SettingProblem("is not a cron expression")
            }
            configuration.schedule.cron = text
        }, render: { $0.schedule.cron ?? "none" })
    public static let timeZone = text(
        "schedule.time-zone", name: "time-zone", "The IANA time zone of schedule.cron, e.g. Europe/Berlin.",
        \.schedule.timeZone, validate: { text throws(SettingProblem) in
            do {
                _ = try ScheduleTrigger.timeZone(named: text)
            } catch {
                throw SettingProblem("is not a known time zone: use an IANA name such as UTC or Europe/Berlin")
            }
        })
    public static let usersPerRun = integer(
        "schedule.users-per-run", name: "users-per-run", "Users each scheduled run fetches and produces.",
        range: 1...10_000_000, \.schedule.usersPerRun)
    public static let runTimeout = duration(
        "schedule.run-timeout", name: "run-timeout", "The longest one attempt of a scheduled run may take.",
        minimum: .seconds(1), \.schedule.runTimeout)
    public static let retries = integer(
        "schedule.retries", name: "retries", "Attempts after a failed first one, for each scheduled run.",
        range: 0...100, \.schedule.retries)
    public static let retryDelay = duration(
        "schedule.retry-delay", name: "retry-delay",
        "The wait before a run's first retry; it doubles per retry up to 5m, with jitter.", minimum: .milliseconds(1),
        \.schedule.retryDelay)
    public static let catchUp = boolean(
        "schedule.catch-up", name: "catch-up",
        "At start, run the intervals missed since the latest run in the history (at most 100, the latest).",
        \.schedule.catchUp)
    public static let state = text(
        "schedule.state", name: "state",
        "The run history: a SQLite file of its own (also with a Cassandra store).", \.schedule.state,
        validate: { text throws(SettingProblem) in
            guard !text.isEmpty else { throw SettingProblem("must not be empty") }
        })
    public static let qualityRules = PipelineSetting(
        "quality.rules", name: "quality-rule", "Data-quality rules to enforce (reserved: none exist yet).", list: true,
        apply: { configuration, value throws(SettingProblem) in
            guard value.items.isEmpty else { throw SettingProblem("names no known rule (none exist yet)") }
            configuration.quality.rules = []
        }, render: { $0.quality.rules.isEmpty ? "none" : $0.quality.rules.joined(separator: ",") })

    // MARK: log

    public static let logLevel = PipelineSetting(
        "log.level", name: "log-level", "trace, debug, info, notice, warning, error or critical.",
        apply: { configuration, value throws(SettingProblem) in
            let text = try value.scalar().lowercased()
            let levels = Logger.Level.allCases.map(\.rawValue)
            guard levels.contains(text) else { throw SettingProblem("must be one of " + levels.joined(separator: ", ")) }
            configuration.log.level = text
        }, render: { $0.log.level })
    public static let logFormat = PipelineSetting(
        "log.format", name: "log-format", "text or json.",
        apply: { configuration, value throws(SettingProblem) in
            let text = try value.scalar().lowercased()
            guard text == "text" || text == "json" else { throw SettingProblem("must be text or json") }
            configuration.log.format = text
        }, render: { $0.log.format })
    public static let progressInterval = duration(
        "log.progress-interval", name: "progress-interval", "How often progress is printed.",
        minimum: .milliseconds(100), \.log.progressInterval)

    /// Every setting, in file order.
    public static let all: [PipelineSetting] = [
        // The URL before the kind: `--source URL` sets both, and a layer's URL there must win over a lower one's.
        sourceURL, source, pageSize, rate, seed, badFraction,
        brokers, topic, deadLetterTopic, group, partitions, replicationFactor, createTopics, sessionTimeout, deliveryTimeout, compression, embeddedPort,
        securityProtocol, saslMechanism, saslUsername, saslPassword, saslPasswordFile, caLocation,
        producerProperties, consumerProperties,
        batchSize, batchInterval, batchLinger, maxMessageBytes, failOnGap, maxLag,
        store, maxStoreOutage, consistency, storeUsername, storePassword, storePasswordFile,
        every, cron, timeZone, usersPerRun, runTimeout, retries, retryDelay, catchUp, state,
        http, httpToken, httpTokenFile, otlpEndpoint, otlpProtocol, qualityRules,
        logLevel, logFormat, progressInterval,
    ]
}

extension SettingText {
    static func url(_ text: String) throws(SettingProblem) {
        let lowered = text.lowercased()
        guard (lowered.hasPrefix("http://") || lowered.hasPrefix("https://")), text.count > 8, !text.contains(" ")
        else {
            throw SettingProblem("must be an http:// or https:// URL")
        }
    }

    static func topicName(_ text: String) throws(SettingProblem) {
        let allowed = text.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard allowed, (1...249).contains(text.utf8.count), text != ".", text != ".." else {
            throw SettingProblem("must be a Kafka topic name: 1 to 249 of a-z A-Z 0-9 . _ -")
        }
    }

    static func storeURL(_ text: String) throws(SettingProblem) {
        do {
            if text.hasPrefix("sqlite:") {
                _ = try StoreFactory.sqliteConfiguration(text)
                return
            }
            if text.hasPrefix("cassandra://") {
                _ = try CassandraUserStore.Configuration(url: text)
                return
            }
        } catch {
            throw SettingProblem("is not usable: \(error)")
        }
        throw SettingProblem("must be sqlite:PATH or cassandra://host[:port]/keyspace")
    }
}
