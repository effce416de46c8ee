#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Durations as settings write them: `250ms`, `5s`, `2m`, `1h`, or a plain number of seconds (`1.5`).
public enum DurationText {
    /// Parses a duration; nil when the text is not one, or is negative.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            guard let number = Double(trimmed.dropLast(suffix.count)), number >= 0, number.isFinite else { return nil }
            return .milliseconds(Int64((number * scale * 1000).rounded()))
        }
        guard let seconds = Double(trimmed), seconds >= 0, seconds.isFinite else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// ``format(_:)`` of the whole seconds of `duration` (`12s`, `2m`): how long an outage or a stall has lasted.
    public static func wholeSeconds(_ duration: Duration) -> String {
        format(.seconds(duration.components.seconds))
    }

    /// The shortest exact text: `250ms`, `10s`, `5m`, `2h`.
    public static func format(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 3_600_000 == 0, milliseconds != 0 { return "\(milliseconds / 3_600_000)h" }
        if milliseconds % 60_000 == 0, milliseconds != 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }
}

/// Turns a setting's text into a typed value, or says what is allowed.
enum SettingText {
    static func integer(_ text: String, in range: ClosedRange<Int>, or alternative: String? = nil) throws(SettingProblem)
        -> Int
    {
        let allowed = "an integer from \(range.lowerBound) to \(range.upperBound)"
            + (alternative.map { " or \($0)" } ?? "")
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw SettingProblem("must be \(allowed)")
        }
        guard range.contains(value) else { throw SettingProblem("must be \(allowed)") }
        return value
    }

    static func number(_ text: String, in range: ClosedRange<Double>) throws(SettingProblem) -> Double {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw SettingProblem("must be a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    static func duration(_ text: String, minimum: Duration = .zero, or alternative: String? = nil)
        throws(SettingProblem) -> Duration
    {
        let allowed = "a duration such as 250ms, 5s, 2m or 1h" + (alternative.map { ", or \($0)" } ?? "")
        guard let value = DurationText.parse(text) else { throw SettingProblem("must be \(allowed)") }
        guard value >= minimum else {
            throw SettingProblem("must be at least \(DurationText.format(minimum))")
        }
        return value
    }

    static func boolean(_ text: String) throws(SettingProblem) -> Bool {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw SettingProblem("must be true or false")
        }
    }

    static func choice<Choice: RawRepresentable<String> & CaseIterable>(_ text: String, of: Choice.Type)
        throws(SettingProblem) -> Choice
    {
        guard let value = Choice(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw SettingProblem("must be one of " + Choice.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    static func properties(_ items: [String]) throws(SettingProblem) -> [String: String] {
        var result: [String: String] = [:]
        for item in items {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                // The item may hold a secret (sasl.password=...): name its position, not its text.
                throw SettingProblem("items must be key=value (a librdkafka property)", quotesValue: false)
            }
            result[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        return result
    }

    static func firstLine(ofFile path: String) throws(SettingProblem) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SettingProblem(
                "cannot read the file \(path); give a readable file holding the secret on its first line",
                quotesValue: false)
        }
        return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }

    /// `HOST:PORT` of a server to listen on; port 0 picks a free one.
    static func listenAddress(_ text: String) throws(SettingProblem) {
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex,
            let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else {
            throw SettingProblem("must be HOST:PORT (e.g. 127.0.0.1:8080; port 0 picks a free one) or off")
        }
    }

    /// `host:port,host:port`, every port a number from 1 to 65535.
    static func hostPorts(_ text: String) throws(SettingProblem) {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        for item in items {
            guard let colon = item.lastIndex(of: ":"), colon != item.startIndex,
                let port = Int(item[item.index(after: colon)...]), (1...65535).contains(port)
            else {
                throw SettingProblem("must be embedded or host:port[,host:port...]")
            }
        }
    }
}
