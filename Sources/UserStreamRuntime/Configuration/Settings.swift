#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Resolves one option from, in this order: the command-line flag, the environment, the config file, the default.
///
/// The flag `--foo-bar` corresponds to the environment variable `USERSTREAM_FOO_BAR` and to the config-file key
/// `foo-bar` (or `foo_bar`). The config file is the one named by `--config` or `USERSTREAM_CONFIG`; its format is
/// one `key = value` per line, `#` starts a comment, values may be quoted, and a `[command]` section holds keys that
/// apply only to that subcommand (keys before any section apply to all):
///
/// ```
/// # userstream.conf
/// brokers = 127.0.0.1:9092
/// store = sqlite:users.sqlite
/// [process]
/// batch-size = 2000
/// ```
public struct Settings: Sendable {
    /// An option's value could not be used.
    public struct Error: Swift.Error, CustomStringConvertible {
        public var description: String
    }

    private let environment: [String: String]
    private let file: [String: String]
    /// Where the config file came from, if any (for messages).
    public let configPath: String?

    /// Loads the config file (if `configPath`, or else `USERSTREAM_CONFIG`, names one) for `command`.
    /// - Throws: ``Error`` when the named file cannot be read or has a malformed line.
    public init(
        configPath: String?,
        command: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        self.environment = environment
        let path = configPath ?? environment["USERSTREAM_CONFIG"]
        self.configPath = path
        if let path {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw Error(description: "cannot read config file \(path)")
            }
            self.file = try Self.parse(text, command: command, path: path)
        } else {
            self.file = [:]
        }
    }

    /// Settings with no config file, from the given environment only (tests, library use).
    public init(environment: [String: String] = [:], file: [String: String] = [:]) {
        self.environment = environment
        self.file = file
        self.configPath = nil
    }

    /// The environment variable that feeds option `name` (`batch-size` → `USERSTREAM_BATCH_SIZE`).
    public static func environmentKey(_ name: String) -> String {
        "USERSTREAM_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    /// The raw text of option `name` and where it came from, or nil when no layer sets it.
    public func lookup(_ name: String, flag: String?) -> (value: String, origin: String)? {
        if let flag { return (flag, "--\(name)") }
        let key = Self.environmentKey(name)
        if let value = environment[key] { return (value, key) }
        if let value = file[name] { return (value, "\(name) in \(configPath ?? "config file")") }
        return nil
    }

    /// A text option.
    public func string(_ name: String, _ flag: String?, default defaultValue: String) -> String {
        lookup(name, flag: flag)?.value ?? defaultValue
    }

    /// A text option with no default.
    public func optionalString(_ name: String, _ flag: String?) -> String? {
        lookup(name, flag: flag)?.value
    }

    /// An integer option. - Throws: ``Error`` naming the option and its origin when the text is not an integer.
    public func int(_ name: String, _ flag: Int?, default defaultValue: Int) throws -> Int {
        try optionalInt(name, flag) ?? defaultValue
    }

    /// An integer option with no default.
    public func optionalInt(_ name: String, _ flag: Int?) throws -> Int? {
        if let flag { return flag }
        guard let (text, origin) = lookup(name, flag: nil) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw Error(description: "\(origin): '\(text)' is not an integer")
        }
        return value
    }

    /// A duration option: `250ms`, `5s`, `2m`, `1h`, or a plain number of seconds (`1.5`).
    public func duration(_ name: String, _ flag: String?, default defaultValue: Duration) throws -> Duration {
        try optionalDuration(name, flag) ?? defaultValue
    }

    /// A duration option with no default.
    public func optionalDuration(_ name: String, _ flag: String?) throws -> Duration? {
        guard let (text, origin) = lookup(name, flag: flag) else { return nil }
        guard let value = Self.parseDuration(text) else {
            throw Error(description: "\(origin): '\(text)' is not a duration (examples: 250ms, 5s, 2m, 1h, 1.5)")
        }
        return value
    }

    /// A boolean option: `true/false`, `yes/no`, `1/0`, `on/off`.
    public func bool(_ name: String, _ flag: Bool?, default defaultValue: Bool) throws -> Bool {
        if let flag { return flag }
        guard let (text, origin) = lookup(name, flag: nil) else { return defaultValue }
        switch text.lowercased() {
        case "true", "yes", "1", "on": return true
        case "false", "no", "0", "off": return false
        default: throw Error(description: "\(origin): '\(text)' is not a boolean")
        }
    }

    /// Parses `250ms`, `5s`, `2m`, `1h` or a plain number of seconds.
    public static func parseDuration(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            guard let number = Double(trimmed.dropLast(suffix.count)), number >= 0, number.isFinite else { return nil }
            return .milliseconds(Int64((number * scale * 1000).rounded()))
        }
        guard let seconds = Double(trimmed), seconds >= 0, seconds.isFinite else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// Parses the config file text: global keys, then the `[command]` section's keys over them.
    static func parse(_ text: String, command: String, path: String) throws -> [String: String] {
        var global: [String: String] = [:]
        var scoped: [String: String] = [:]
        var section: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw Error(description: "\(path):\(index + 1): expected 'key = value'")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "-")
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            switch section {
            case nil: global[key] = value
            case command?: scoped[key] = value
            default: continue
            }
        }
        return global.merging(scoped) { _, scopedValue in scopedValue }
    }
}
