import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Logging
import UserStreamRuntime

/// Options every command has: logging and the config file.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Config file: 'key = value' lines, [command] sections. (env: USERSTREAM_CONFIG)")
    var config: String?

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical. Default: info. (env: USERSTREAM_LOG_LEVEL)")
    var logLevel: String?

    @Option(name: .long, help: "text or json. Default: text. (env: USERSTREAM_LOG_FORMAT)")
    var logFormat: String?

    /// Loads the settings layers for `command` and installs the log handler.
    func bootstrap(command: String) throws -> Settings {
        let settings = try Settings(configPath: config, command: command)
        let levelName = settings.string("log-level", logLevel, default: "info")
        guard let level = Logger.Level(rawValue: levelName.lowercased()) else {
            throw ValidationError("--log-level: '\(levelName)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        let formatName = settings.string("log-format", logFormat, default: "text")
        guard let format = LogFormat(formatName) else {
            throw ValidationError("--log-format: '\(formatName)' is not text or json")
        }
        format.bootstrap(level: level)
        return settings
    }
}

/// Where Kafka is and how the consumer group is named.
struct KafkaOptions: ParsableArguments {
    @Option(name: .long, help: "Kafka bootstrap servers, host:port,... (env: USERSTREAM_BROKERS). Default: 127.0.0.1:9092.")
    var brokers: String?

    @Option(name: .long, help: "The users topic. Default: random_users. (env: USERSTREAM_TOPIC)")
    var topic: String?

    @Option(name: .long, help: "The dead-letter topic. Default: random_users_dlq. (env: USERSTREAM_DLQ_TOPIC)")
    var dlqTopic: String?

    @Option(name: .long, help: "The consumer group. Default: userstream. (env: USERSTREAM_GROUP)")
    var group: String?

    @Option(name: .long, help: "Consumer session timeout. Default: 10s. (env: USERSTREAM_SESSION_TIMEOUT)")
    var sessionTimeout: String?

    @Option(name: .long, help: "Producer compression: none, lz4, zstd, snappy or gzip. Default: lz4, or none with run's embedded broker (in-process: nothing crosses a network). (env: USERSTREAM_COMPRESSION)")
    var compression: String?

    @Option(name: .customLong("consumer-property"), help: "An extra librdkafka property of the consumer, key=value, applied last (repeatable).")
    var consumerProperties: [String] = []

    @Option(name: .customLong("producer-property"), help: "An extra librdkafka property of the producer, key=value, applied last (repeatable).")
    var producerProperties: [String] = []

    func resolved(_ settings: Settings) throws -> ResolvedKafka {
        ResolvedKafka(
            brokers: settings.string("brokers", brokers, default: "127.0.0.1:9092"),
            topic: settings.string("topic", topic, default: "random_users"),
            dlqTopic: settings.string("dlq-topic", dlqTopic, default: "random_users_dlq"),
            group: settings.string("group", group, default: "userstream"),
            sessionTimeout: try settings.duration("session-timeout", sessionTimeout, default: .seconds(10)),
            compression: try Self.codec(settings.optionalString("compression", compression)),
            consumerProperties: try Self.properties(consumerProperties, option: "--consumer-property"),
            producerProperties: try Self.properties(producerProperties, option: "--producer-property")
        )
    }

    /// `key=value` items as a dictionary.
    static func properties(_ items: [String], option: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for item in items {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw ValidationError("\(option): '\(item)' is not key=value")
            }
            result[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        return result
    }

    private static func codec(_ name: String?) throws -> String? {
        guard let name else { return nil }
        let codecs = ["none", "lz4", "zstd", "snappy", "gzip"]
        guard codecs.contains(name) else {
            throw ValidationError("--compression: '\(name)' is not one of \(codecs.joined(separator: ", "))")
        }
        return name
    }
}

struct ResolvedKafka {
    var brokers: String
    var topic: String
    var dlqTopic: String
    var group: String
    var sessionTimeout: Duration
    /// The producer's codec; nil for the command's default.
    var compression: String?
    /// Extra librdkafka properties, applied last.
    var consumerProperties: [String: String] = [:]
    var producerProperties: [String: String] = [:]
}

/// Which store, e.g. `sqlite:users.sqlite` or `cassandra://host:9042/user_data`.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: """
            sqlite:PATH or cassandra://host[:port][,host2...]/keyspace[?consistency=LOCAL_QUORUM&rf=1&dc=...&tls=true]. \
            Default: sqlite:users.sqlite. Cassandra credentials come from USERSTREAM_CASSANDRA_USERNAME / \
            USERSTREAM_CASSANDRA_PASSWORD or USERSTREAM_CASSANDRA_PASSWORD_FILE, never from the command line. \
            (env: USERSTREAM_STORE)
            """
    )
    var store: String?

    func resolved(_ settings: Settings) -> String {
        settings.string("store", store, default: "sqlite:users.sqlite")
    }
}

/// Which source of users.
struct SourceOptions: ParsableArguments {
    @Option(name: .long, help: "randomuser (the real API), synthetic (offline generator) or a base URL. Default: synthetic for run, randomuser for ingest. (env: USERSTREAM_SOURCE)")
    var source: String?

    @Option(name: .long, help: "Seed: the same seed and page give the same users. Default: userstream. (env: USERSTREAM_SEED)")
    var seed: String?

    @Option(name: .long, help: "Users per page (1...5000). Default: 5000; run: 2000. (env: USERSTREAM_PAGE_SIZE)")
    var pageSize: Int?

    @Option(name: .long, help: "Fraction of bad records the synthetic source makes (0...1). Default: 0. (env: USERSTREAM_BAD_FRACTION)")
    var badFraction: String?
}
