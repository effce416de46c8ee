#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import StreamJSON
import UsersContract

/// How log lines look on stderr.
public struct LogFormat: Sendable, Hashable, CustomStringConvertible {
    private enum Kind: String { case text, json }
    private let kind: Kind
    /// `2026-11-25T10:00:00.000Z info userstream.processor: message key=value`.
    public static let text = LogFormat(kind: .text)
    /// One JSON object per line: `{"ts":…,"level":…,"label":…,"msg":…,…metadata}`.
    public static let json = LogFormat(kind: .json)

    /// Parses `text` or `json`.
    public init?(_ name: String) {
        guard let kind = Kind(rawValue: name.lowercased()) else { return nil }
        self.kind = kind
    }

    private init(kind: Kind) { self.kind = kind }
    public var description: String { kind.rawValue }

    /// Installs the process-wide log handler once, at `level`, writing to stderr in this format.
    public func bootstrap(level: Logger.Level) {
        let format = self
        LoggingSystem.bootstrap { label in
            var handler = StderrLogHandler(label: label, json: format.kind == .json)
            handler.logLevel = level
            return handler
        }
    }
}

/// A log handler that writes one line per event to stderr, as text or JSON.
///
/// UserStream never passes record payloads to a logger, so no secret can reach a log line through it.
struct StderrLogHandler: LogHandler {
    let label: String
    let json: Bool
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?,
        source: String, file: String, function: String, line: UInt
    ) {
        var merged = metadata
        if let explicit { merged.merge(explicit) { _, new in new } }
        let timestamp = Timestamp.rfc3339(WallClock.milliseconds())
        var text: String
        if json {
            var fields = "{\"ts\":\(JSONText.quote(timestamp)),\"level\":\(JSONText.quote(level.rawValue))"
            fields += ",\"label\":\(JSONText.quote(label)),\"msg\":\(JSONText.quote(message.description))"
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
                fields += ",\(JSONText.quote(key)):\(JSONText.quote(value.description))"
            }
            text = fields + "}\n"
        } else {
            text = "\(timestamp) \(level) \(label): \(message)"
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) { text += " \(key)=\(value)" }
            text += "\n"
        }
        StandardError.write(text)
    }
}

/// Minimal JSON string quoting for log lines and CLI output (not the hot path).
public enum JSONText {
    /// `value` as a JSON string literal.
    public static func quote(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
