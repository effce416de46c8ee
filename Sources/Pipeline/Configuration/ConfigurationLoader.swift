import Configuration
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Loads a ``PipelineConfiguration`` through swift-configuration from, in this order of precedence: flags,
/// `USERSTREAM_*` environment variables, the pipeline file, the defaults of ``PipelineConfiguration``.
///
/// The pipeline file (YAML, or JSON, which is YAML too) is read by ``PipelineFile``: its nested keys are the
/// settings' keys (`processing.batch-size`), `${VAR}` references are expanded from the environment, and an unknown
/// key is an error naming it. Every problem is collected, so one run lists them all, one line each.
public struct ConfigurationLoader: Sendable {
    /// Setting key → the value the flags gave.
    public var flags: [String: SettingValue]
    /// The environment to read `USERSTREAM_*` variables and `${VAR}` references from.
    public var environment: [String: String]
    /// The pipeline file, if any.
    public var filePath: String?

    /// A loader over the given layers.
    /// - Parameters:
    ///   - flags: setting key → value from the command line.
    ///   - environment: the process environment. Default: this process's.
    ///   - filePath: the pipeline file; nil for `USERSTREAM_CONFIG`, or none.
    public init(
        flags: [String: SettingValue] = [:],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        filePath: String? = nil
    ) {
        self.flags = flags
        self.environment = environment
        self.filePath = filePath ?? environment["USERSTREAM_CONFIG"]
    }

    /// Reads every layer and returns the configuration.
    /// - Throws: ``ConfigurationError`` listing every problem, one line each.
    public func load() throws(ConfigurationError) -> PipelineConfiguration {
        var problems: [String] = []
        var file = PipelineFile(values: [:], path: filePath ?? "")
        if let filePath {
            do {
                file = try PipelineFile(path: filePath, environment: environment)
            } catch {
                problems += error.problems
            }
        }
        let reader = makeReader(file: file)
        var configuration = PipelineConfiguration()
        var given: Set<String> = []
        for setting in PipelineSetting.all {
            let key = ConfigKey(setting.key)
            let value: SettingValue? =
                if setting.isList {
                    reader.stringArray(forKey: key, isSecret: setting.isSecret).map(SettingValue.many)
                } else {
                    reader.string(forKey: key, isSecret: setting.isSecret).map(SettingValue.one)
                }
            guard let value else { continue }
            given.insert(setting.key)
            do {
                try setting.apply(&configuration, value)
            } catch {
                problems.append(describe(error, setting: setting, value: value, file: file))
            }
        }
        problems += crossChecks(configuration, given: given)
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        return configuration
    }

    /// The provider hierarchy: flags, then the environment (each key mapped to its `USERSTREAM_` name), then the
    /// file. Secrets are marked so that swift-configuration redacts them wherever it prints a value.
    private func makeReader(file: PipelineFile) -> ConfigReader {
        var flagValues: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in flags {
            flagValues[AbsoluteConfigKey(ConfigKey(key))] = value.configValue(isSecret: false)
        }
        let names = Dictionary(uniqueKeysWithValues: PipelineSetting.all.map { ($0.key, $0.name) })
        let secretVariables = Set(PipelineSetting.all.filter(\.isSecret).map(\.environmentVariable))
        let environmentProvider = EnvironmentVariablesProvider(
            environmentVariables: environment,
            secretsSpecifier: .specific(secretVariables)
        ).mapKeys { key in
            // `processing.batch-size` is read as `userstream.batch-size`, which the provider spells
            // USERSTREAM_BATCH_SIZE.
            guard let name = names[key.components.joined(separator: ".")] else { return key }
            return AbsoluteConfigKey(["userstream", name])
        }
        let secretKeys = Set(PipelineSetting.all.filter(\.isSecret).map(\.key))
        var fileValues: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in file.values {
            fileValues[AbsoluteConfigKey(ConfigKey(key))] = value.configValue(isSecret: secretKeys.contains(key))
        }
        return ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: flagValues),
            environmentProvider,
            InMemoryProvider(name: file.path, values: fileValues),
        ])
    }

    /// Where a setting's value came from, as a user would look for it.
    func origin(of setting: PipelineSetting, file: PipelineFile) -> String {
        if flags[setting.key] != nil { return setting.flag }
        if environment[setting.environmentVariable] != nil { return setting.environmentVariable }
        if file.values[setting.key] != nil { return "\(setting.key) in \(file.path)" }
        return setting.key
    }

    private func describe(
        _ problem: SettingProblem, setting: PipelineSetting, value: SettingValue, file: PipelineFile
    ) -> String {
        let origin = origin(of: setting, file: file)
        guard problem.quotesValue, !setting.isSecret else { return "\(origin): \(problem.message)" }
        let shown = value.items.joined(separator: ",")
        return "\(origin): '\(shown)' \(problem.message)"
    }

    private func crossChecks(_ configuration: PipelineConfiguration, given: Set<String>) -> [String] {
        var problems: [String] = []
        for (secret, file) in [
            (PipelineSetting.storePassword, PipelineSetting.storePasswordFile),
            (PipelineSetting.saslPassword, PipelineSetting.saslPasswordFile),
            (PipelineSetting.httpToken, PipelineSetting.httpTokenFile),
        ] where given.contains(secret.key) && given.contains(file.key) {
            problems.append(
                "\(secret.environmentVariable) and \(file.key): both set; give the secret one way only")
        }
        let store = configuration.store
        if (store.password == nil) != (store.username == nil) {
            problems.append(
                "\(PipelineSetting.storeUsername.environmentVariable): the Cassandra username and password go together; "
                    + "set both (the password from \(PipelineSetting.storePassword.environmentVariable) or "
                    + "\(PipelineSetting.storePasswordFile.environmentVariable)) or neither")
        }
        let security = configuration.kafka.security
        if security.protocol.hasPrefix("sasl"),
            security.saslMechanism == nil || security.saslUsername == nil || security.saslPassword == nil
        {
            problems.append(
                "\(PipelineSetting.securityProtocol.flag) \(security.protocol): needs --sasl-mechanism, "
                    + "--sasl-username and the password from \(PipelineSetting.saslPassword.environmentVariable) or "
                    + "\(PipelineSetting.saslPasswordFile.flag)")
        }
        if configuration.kafka.topic == configuration.kafka.deadLetterTopic {
            problems.append(
                "\(PipelineSetting.deadLetterTopic.flag): must differ from \(PipelineSetting.topic.flag) "
                    + "('\(configuration.kafka.topic)')")
        }
        return problems
    }
}

/// The configuration could not be loaded: every problem, one line each, naming the setting.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// One line per problem.
    public var problems: [String]

    public var description: String { problems.joined(separator: "\n") }
}

extension SettingValue {
    func configValue(isSecret: Bool) -> ConfigValue {
        switch self {
        case .one(let text): ConfigValue(.string(text), isSecret: isSecret)
        case .many(let items): ConfigValue(.stringArray(items), isSecret: isSecret)
        }
    }
}
