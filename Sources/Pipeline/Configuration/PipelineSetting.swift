/// One setting of ``PipelineConfiguration``: its key in the pipeline file, its flag and environment variable, how its
/// text becomes a typed value, and how its default is shown.
///
/// The key `processing.batch-size` is the nested YAML key; the name `batch-size` is the flag `--batch-size` and the
/// environment variable `USERSTREAM_BATCH_SIZE`. Defaults are not written here: ``defaultText`` renders the value
/// of `PipelineConfiguration()`.
public struct PipelineSetting: Sendable {
    /// The key in the pipeline file, dot-separated (`processing.batch-size`).
    public let key: String
    /// The flag without its dashes, also the environment variable's suffix (`batch-size`).
    public let name: String
    /// What the setting does and which values it takes.
    public let summary: String
    /// Whether the value is a secret: never taken from a flag, never printed.
    public let isSecret: Bool
    /// Whether the setting takes a list (a YAML sequence, a repeated flag, a comma-separated variable).
    public let isList: Bool
    /// Whether a flag sets it (secrets have none: they would show in `ps` and shell history).
    public let hasFlag: Bool
    let apply: @Sendable (inout PipelineConfiguration, SettingValue) throws(SettingProblem) -> Void
    let render: @Sendable (PipelineConfiguration) -> String

    /// The environment variable: `USERSTREAM_` and the name in capitals, dashes as underscores.
    public var environmentVariable: String {
        "USERSTREAM_" + String(name.uppercased().map { $0 == "-" ? "_" : $0 })
    }

    /// The flag, `--name`.
    public var flag: String { "--" + name }

    /// The default, as `PipelineConfiguration()` has it.
    public var defaultText: String { render(PipelineConfiguration()) }

    /// The `--help` text: the summary, the default and the other places the setting can come from.
    public var help: String {
        "\(summary) Default: \(defaultText). (env: \(environmentVariable); file: \(key))"
    }

    /// This setting's value in `configuration`, as the pipeline file would write it (secrets redacted).
    public func text(in configuration: PipelineConfiguration) -> String {
        render(configuration)
    }
}

/// The raw text of a setting from one layer.
public enum SettingValue: Sendable, Equatable {
    /// A scalar setting's text.
    case one(String)
    /// A list setting's items.
    case many([String])

    var items: [String] {
        switch self {
        case .one(let text): [text]
        case .many(let items): items
        }
    }
}

/// Why a setting's text was refused: what is allowed, without repeating a secret value.
public struct SettingProblem: Error, Sendable, Equatable {
    /// What is wrong and what is allowed, e.g. "must be an integer from 1 to 5000".
    public var message: String
    /// Whether the message may quote the refused text (false for secrets).
    public var quotesValue: Bool

    init(_ message: String, quotesValue: Bool = true) {
        self.message = message
        self.quotesValue = quotesValue
    }
}

extension PipelineSetting {
    init(
        _ key: String, name: String, _ summary: String, secret: Bool = false, list: Bool = false,
        apply: @escaping @Sendable (inout PipelineConfiguration, SettingValue) throws(SettingProblem) -> Void,
        render: @escaping @Sendable (PipelineConfiguration) -> String
    ) {
        self.key = key
        self.name = name
        self.summary = summary
        self.isSecret = secret
        self.isList = list
        self.hasFlag = !secret
        self.apply = apply
        self.render = render
    }

    /// A text setting; `validate` refuses what it cannot use.
    static func text(
        _ key: String, name: String, _ summary: String,
        _ path: any WritableKeyPath<PipelineConfiguration, String> & Sendable,
        validate: @escaping @Sendable (String) throws(SettingProblem) -> Void = { _ throws(SettingProblem) in }
    ) -> PipelineSetting {
        PipelineSetting(key, name: name, summary, apply: { configuration, value throws(SettingProblem) in
            let text = try value.scalar()
            try validate(text)
            configuration[keyPath: path] = text
        }, render: { $0[keyPath: path] })
    }

    /// An optional text setting ("none" when unset).
    static func optionalText(
        _ key: String, name: String, _ summary: String,
        _ path: any WritableKeyPath<PipelineConfiguration, String?> & Sendable
    ) -> PipelineSetting {
        PipelineSetting(key, name: name, summary, apply: { configuration, value throws(SettingProblem) in
            configuration[keyPath: path] = try value.scalar()
        }, render: { $0[keyPath: path] ?? "none" })
    }

    /// A whole number in `range`.
    static func integer(
        _ key: String, name: String, _ summary: String, range: ClosedRange<Int>,
        _ path: any WritableKeyPath<PipelineConfiguration, Int> & Sendable
    ) -> PipelineSetting {
        PipelineSetting(key, name: name, summary, apply: { configuration, value throws(SettingProblem) in
            configuration[keyPath: path] = try SettingText.integer(value.scalar(), in: range)
        }, render: { String($0[keyPath: path]) })
    }

    /// A whole number in `range`, or `auto`/`none` (nil) for the rule the summary states.
    static func optionalInteger(
        _ key: String, name: String, _ summary: String, range: ClosedRange<Int>, unset: String,
        _ path: any WritableKeyPath<PipelineConfiguration, Int?> & Sendable
    ) -> PipelineSetting {
        PipelineSetting(key, name: name, summary, apply: { configuration, value throws(SettingProblem) in
            let text = try value.scalar()
            configuration[keyPath: path] = text == unset ? nil : try SettingText.integer(text, in: range, or: unset)
        }, render: { $0[keyPath: path].map(String.init) ?? unset })
    }

    /// A duration (`250ms`, `5s`, `2m`, `1h`, or seconds) of at least `minimum`.
    static func duration(
        _ key: String, name: String, _ summary: String, minimum: Duration = .zero,
        _ path: any WritableKeyPath<PipelineConfiguration, Duration> & Sendable
    ) -> PipelineSetting {
        PipelineSetting(key, name: name, summary, apply: { configuration, value throws(SettingProblem) in
            configuration[keyPath: path] = try SettingText.duration(value.scalar(), minimum: minimum)
        }, render: { DurationText.format($0[keyPath: path]) })
    }

    /// A duration, or `unset` (nil: `auto` or `none`) for the rule the summary states.
    static func optionalDuration(
        _ key: String, name: String, _ summary: String, unset: String = "auto",
        _ path: any WritableKeyPath<PipelineConfiguration, Duration?> & Sendable
    ) -> PipelineSetting {
        PipelineSetting(key, name: name, summary, apply: { configuration, value throws(SettingProblem) in
            let text = try value.scalar()
            configuration[keyPath: path] = text == unset ? nil : try SettingText.duration(text, or: unset)
        }, render: { $0[keyPath: path].map(DurationText.format) ?? unset })
    }

    /// `true`/`false` (also yes/no, on/off, 1/0).
    static func boolean(
        _ key: String, name: String, _ summary: String,
        _ path: any WritableKeyPath<PipelineConfiguration, Bool> & Sendable
    ) -> PipelineSetting {
        PipelineSetting(key, name: name, summary, apply: { configuration, value throws(SettingProblem) in
            configuration[keyPath: path] = try SettingText.boolean(value.scalar())
        }, render: { String($0[keyPath: path]) })
    }

    /// One of an enumeration's raw values.
    static func choice<Choice: RawRepresentable<String> & CaseIterable & Sendable>(
        _ key: String, name: String, _ summary: String,
        _ path: any WritableKeyPath<PipelineConfiguration, Choice> & Sendable
    ) -> PipelineSetting {
        PipelineSetting(key, name: name, summary, apply: { configuration, value throws(SettingProblem) in
            configuration[keyPath: path] = try SettingText.choice(value.scalar(), of: Choice.self)
        }, render: { $0[keyPath: path].rawValue })
    }

    /// `key=value` items (a repeated flag, a YAML sequence or mapping, a comma-separated variable).
    static func properties(
        _ key: String, name: String, _ summary: String,
        _ path: any WritableKeyPath<PipelineConfiguration, [String: String]> & Sendable
    ) -> PipelineSetting {
        PipelineSetting(key, name: name, summary, list: true, apply: { configuration, value throws(SettingProblem) in
            configuration[keyPath: path] = try SettingText.properties(value.items)
        }, render: { configuration in
            let properties = configuration[keyPath: path]
            return properties.isEmpty ? "none" : properties.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }
                .joined(separator: ",")
        })
    }

    /// A secret, never from a flag, redacted when shown.
    static func secret(
        _ key: String, name: String, _ summary: String,
        _ path: any WritableKeyPath<PipelineConfiguration, Secret?> & Sendable
    ) -> PipelineSetting {
        PipelineSetting(key, name: name, summary, secret: true, apply: { configuration, value throws(SettingProblem) in
            configuration[keyPath: path] = Secret(try value.scalar())
        }, render: { $0[keyPath: path] == nil ? "none" : "<redacted>" })
    }

    /// A file whose first line is a secret: the reference is shown, the secret is not.
    static func secretFile(
        _ key: String, name: String, _ summary: String,
        _ path: any WritableKeyPath<PipelineConfiguration, Secret?> & Sendable
    ) -> PipelineSetting {
        PipelineSetting(key, name: name, summary, apply: { configuration, value throws(SettingProblem) in
            configuration[keyPath: path] = Secret(try SettingText.firstLine(ofFile: value.scalar()))
        }, render: { _ in "none" })
    }
}

extension SettingValue {
    /// The one text of a scalar setting.
    func scalar() throws(SettingProblem) -> String {
        switch self {
        case .one(let text): return text
        case .many(let items):
            guard items.count == 1 else { throw SettingProblem("takes one value, not a list") }
            return items[0]
        }
    }
}

extension PipelineSetting {
    /// Parses `key=value` librdkafka properties as the property settings do.
    /// - Throws: ``SettingProblem`` saying what is allowed.
    public static func properties(_ items: [String]) throws(SettingProblem) -> [String: String] {
        try SettingText.properties(items)
    }
}
