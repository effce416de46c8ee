import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import Pipeline

// Every flag here is a setting of `PipelineConfiguration`: its help and default come from `PipelineSetting`, and
// its value goes through `ConfigurationLoader` with the environment and the pipeline file. Flags are optional with
// no default of their own, so that a flag given wins and a flag not given lets the lower layers speak. Values are
// taken as they are (`parsing: .unconditional`), so `--batch-size -5` is refused as negative, not as a missing value.

/// A section's flags, as setting key → value.
protocol SettingFlags {
    var given: [String: SettingValue] { get }
}

extension SettingFlags {
    /// `value` for `setting`, when given.
    func entry(_ setting: PipelineSetting, _ value: String?) -> (String, SettingValue)? {
        value.map { (setting.key, .one($0)) }
    }

    func entry(_ setting: PipelineSetting, _ values: [String]) -> (String, SettingValue)? {
        values.isEmpty ? nil : (setting.key, .many(values))
    }

    func entry(_ setting: PipelineSetting, _ value: Bool?) -> (String, SettingValue)? {
        value.map { (setting.key, .one(String($0))) }
    }

    func collect(_ entries: (String, SettingValue)?...) -> [String: SettingValue] {
        Dictionary(entries.compactMap { $0 }, uniquingKeysWith: { _, last in last })
    }
}

/// Options every command has: the pipeline file and logging.
struct GlobalOptions: ParsableArguments, SettingFlags {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A pipeline file, YAML or JSON (see deploy/userstream.yaml): every setting in one place, with ${VAR} "
                + "references. Flags and USERSTREAM_* variables win over it. (env: USERSTREAM_CONFIG)"))
    var config: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.logLevel.help))
    var logLevel: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.logFormat.help))
    var logFormat: String?

    var given: [String: SettingValue] {
        collect(entry(.logLevel, logLevel), entry(.logFormat, logFormat))
    }

    /// Loads the configuration from these flags and `sections`' flags, the environment and the pipeline file, then
    /// installs the log handler. Exits 64 with one `Error:` line per problem when a setting is unusable.
    func load(_ sections: any SettingFlags...) throws -> PipelineConfiguration {
        var flags = given
        for section in sections { flags.merge(section.given) { _, section in section } }
        let configuration: PipelineConfiguration
        do {
            configuration = try ConfigurationLoader(flags: flags, filePath: config).load()
        } catch {
            for problem in error.problems { StandardError.write("Error: \(problem)\n") }
            throw ExitCode(64)
        }
        let log = configuration.log
        LogFormat(log.format)?.bootstrap(level: Logger.Level(rawValue: log.level) ?? .info)
        return configuration
    }
}

/// The source of users.
struct SourceOptions: ParsableArguments, SettingFlags {
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.source.help))
    var source: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.sourceURL.help))
    var sourceURL: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.pageSize.help))
    var pageSize: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.rate.help))
    var rate: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.seed.help))
    var seed: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.badFraction.help))
    var badFraction: String?

    var given: [String: SettingValue] {
        collect(
            entry(.source, source), entry(.sourceURL, sourceURL), entry(.pageSize, pageSize), entry(.rate, rate),
            entry(.seed, seed), entry(.badFraction, badFraction))
    }
}

/// Where Kafka is, its topics and group, and how clients talk to it.
struct KafkaOptions: ParsableArguments, SettingFlags {
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.brokers.help))
    var brokers: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.topic.help))
    var topic: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.deadLetterTopic.help))
    var dlqTopic: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.group.help))
    var group: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.partitions.help))
    var partitions: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.replicationFactor.help))
    var replicationFactor: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.createTopics.help))
    var createTopics: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.sessionTimeout.help))
    var sessionTimeout: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.deliveryTimeout.help))
    var deliveryTimeout: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.compression.help))
    var compression: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.embeddedPort.help))
    var port: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.securityProtocol.help))
    var securityProtocol: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.saslMechanism.help))
    var saslMechanism: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.saslUsername.help))
    var saslUsername: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.saslPasswordFile.help))
    var saslPasswordFile: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.caLocation.help))
    var sslCaLocation: String?
    @Option(
        name: .customLong("producer-property"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp(PipelineSetting.producerProperties.help + " Repeatable."))
    var producerProperties: [String] = []
    @Option(
        name: .customLong("consumer-property"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp(PipelineSetting.consumerProperties.help + " Repeatable."))
    var consumerProperties: [String] = []

    var given: [String: SettingValue] {
        collect(
            entry(.brokers, brokers), entry(.topic, topic), entry(.deadLetterTopic, dlqTopic), entry(.group, group),
            entry(.partitions, partitions), entry(.replicationFactor, replicationFactor),
            entry(.createTopics, createTopics),
            entry(.sessionTimeout, sessionTimeout), entry(.deliveryTimeout, deliveryTimeout), entry(.compression, compression), entry(.embeddedPort, port),
            entry(.securityProtocol, securityProtocol), entry(.saslMechanism, saslMechanism),
            entry(.saslUsername, saslUsername), entry(.saslPasswordFile, saslPasswordFile),
            entry(.caLocation, sslCaLocation), entry(.producerProperties, producerProperties),
            entry(.consumerProperties, consumerProperties))
    }
}

/// How the stream processor batches.
struct ProcessingOptions: ParsableArguments, SettingFlags {
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.batchSize.help))
    var batchSize: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.batchInterval.help))
    var batchInterval: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.batchLinger.help))
    var batchLinger: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.maxMessageBytes.help))
    var maxMessageBytes: String?
    @Flag(name: .long, inversion: .prefixedNo, help: ArgumentHelp(PipelineSetting.failOnGap.help))
    var failOnGap: Bool?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.maxLag.help))
    var maxLag: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.progressInterval.help))
    var progressInterval: String?

    var given: [String: SettingValue] {
        collect(
            entry(.batchSize, batchSize), entry(.batchInterval, batchInterval), entry(.batchLinger, batchLinger),
            entry(.maxMessageBytes, maxMessageBytes), entry(.failOnGap, failOnGap), entry(.maxLag, maxLag),
            entry(.progressInterval, progressInterval))
    }
}

/// Which store.
struct StoreOptions: ParsableArguments, SettingFlags {
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.store.help))
    var store: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.maxStoreOutage.help))
    var maxStoreOutage: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.consistency.help))
    var consistency: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.storeUsername.help))
    var cassandraUsername: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.storePasswordFile.help))
    var cassandraPasswordFile: String?

    var given: [String: SettingValue] {
        collect(
            entry(.store, store), entry(.maxStoreOutage, maxStoreOutage), entry(.consistency, consistency), entry(.storeUsername, cassandraUsername),
            entry(.storePasswordFile, cassandraPasswordFile))
    }
}

/// The HTTP server, and the quality rules (reserved).
struct ServingOptions: ParsableArguments, SettingFlags {
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.http.help))
    var http: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.httpTokenFile.help))
    var httpTokenFile: String?
    @Option(name: .customLong("quality-rule"), parsing: .unconditionalSingleValue, help: ArgumentHelp(PipelineSetting.qualityRules.help))
    var qualityRules: [String] = []

    var given: [String: SettingValue] {
        collect(entry(.http, http), entry(.httpTokenFile, httpTokenFile), entry(.qualityRules, qualityRules))
    }
}

/// Where traces go.
struct TraceOptions: ParsableArguments, SettingFlags {
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.otlpEndpoint.help))
    var otlpEndpoint: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.otlpProtocol.help))
    var otlpProtocol: String?

    var given: [String: SettingValue] {
        collect(entry(.otlpEndpoint, otlpEndpoint), entry(.otlpProtocol, otlpProtocol))
    }
}

/// When scheduled ingestion runs, how each run is tried, and where the history is kept.
struct ScheduleOptions: ParsableArguments, SettingFlags {
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.every.help))
    var every: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.cron.help))
    var cron: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.timeZone.help))
    var timeZone: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.usersPerRun.help))
    var usersPerRun: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.runTimeout.help))
    var runTimeout: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.retries.help))
    var retries: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.retryDelay.help))
    var retryDelay: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.catchUp.help))
    var catchUp: String?
    @OptionGroup var history: HistoryOptions

    var given: [String: SettingValue] {
        collect(
            entry(.every, every), entry(.cron, cron), entry(.timeZone, timeZone), entry(.usersPerRun, usersPerRun),
            entry(.runTimeout, runTimeout), entry(.retries, retries), entry(.retryDelay, retryDelay),
            entry(.catchUp, catchUp)
        ).merging(history.given) { _, history in history }
    }
}

/// Where the run history is.
struct HistoryOptions: ParsableArguments, SettingFlags {
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.state.help))
    var state: String?

    var given: [String: SettingValue] { collect(entry(.state, state)) }
}

/// A whole number of at least `minimum` for a command's own option (`--count`), with a one-line error.
func wholeNumberOption(_ text: String?, option: String, minimum: Int = 0) throws -> Int? {
    guard let text else { return nil }
    guard let value = Int(text), value >= minimum else {
        throw ValidationError("\(option): '\(text)' must be an integer of at least \(minimum)")
    }
    return value
}

/// A duration for a command's own option (`--idle-exit 10s`), with a one-line error.
func durationOption(_ text: String?, option: String) throws -> Duration? {
    guard let text else { return nil }
    guard let value = DurationText.parse(text) else {
        throw ValidationError("\(option): '\(text)' must be a duration such as 250ms, 5s, 2m or 1h")
    }
    return value
}

/// An environment variable of this process, for a command's own options (`USERSTREAM_COUNT`).
func environment(_ name: String) -> String? {
    ProcessInfo.processInfo.environment[name]
}

/// `key=value` librdkafka properties of a benchmark's own option, through the settings' parser.
func propertiesOption(_ items: [String], option: String) throws -> [String: String] {
    do {
        return try PipelineSetting.properties(items)
    } catch {
        throw ValidationError("\(option): \(error.message)")
    }
}

/// A runtime failure a command reports as one `Error:` line, exit 1, without usage text (usage errors are
/// `ValidationError`s: exit 64).
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
