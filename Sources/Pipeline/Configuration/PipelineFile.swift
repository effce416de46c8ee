#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Yams

/// A pipeline file (`userstream.yaml`, YAML or JSON) read into setting key → value.
///
/// Nested mappings make the keys (`processing:` / `batch-size: 5000` is `processing.batch-size`); a key no setting
/// has is an error naming it. A null value (`~`, `null` or nothing) leaves the setting at its default. Scalars may
/// reference the environment: `${VAR}` (an error when unset), `${VAR:-fallback}`, and `$$` for a literal `$`. A list
/// setting takes a sequence, or a mapping of librdkafka properties (`linger.ms: 5`). swift-configuration's own
/// file provider cannot list a file's keys or expand references, hence this reader; its values then go through the
/// same ``Configuration/ConfigReader`` as the other layers.
struct PipelineFile: Sendable {
    /// Setting key → value.
    var values: [String: SettingValue]
    /// The file, for messages.
    var path: String

    init(values: [String: SettingValue], path: String) {
        self.values = values
        self.path = path
    }

    /// Reads and checks the file.
    /// - Throws: ``ConfigurationError`` with a line per unknown key, bad reference or malformed part.
    init(path: String, environment: [String: String]) throws(ConfigurationError) {
        self.path = path
        self.values = [:]
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(problems: ["--config: cannot read \(path); give a readable YAML or JSON file"])
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: String(decoding: data, as: UTF8.self))
        } catch {
            let reason = "\(error)".split(separator: "\n").first.map(String.init) ?? "malformed"
            throw ConfigurationError(problems: ["--config: \(path) is not valid YAML or JSON: \(reason)"])
        }
        guard let root else { return }  // an empty file sets nothing
        guard case .mapping(let mapping) = root else {
            throw ConfigurationError(problems: ["--config: \(path) must hold a mapping of sections (source, kafka, ...)"])
        }
        var walker = Walker(path: path, environment: environment)
        walker.walk(mapping, prefix: [])
        guard walker.problems.isEmpty else { throw ConfigurationError(problems: walker.problems) }
        self.values = walker.values
    }

    private struct Walker {
        let path: String
        let environment: [String: String]
        var values: [String: SettingValue] = [:]
        var problems: [String] = []
        private let settings = Dictionary(uniqueKeysWithValues: PipelineSetting.all.map { ($0.key, $0) })
        private let sections = Set(PipelineSetting.all.flatMap { setting in
            let parts = setting.key.split(separator: ".")
            return (1..<parts.count).map { parts[..<$0].joined(separator: ".") }
        })

        init(path: String, environment: [String: String]) {
            self.path = path
            self.environment = environment
        }

        mutating func walk(_ mapping: Node.Mapping, prefix: [String]) {
            for (keyNode, valueNode) in mapping {
                guard let name = keyNode.scalar?.string else {
                    problems.append("\(path): a key under '\(prefix.joined(separator: "."))' is not text")
                    continue
                }
                let key = (prefix + [name]).joined(separator: ".")
                if let setting = settings[key] {
                    read(valueNode, for: setting)
                } else if sections.contains(key) {
                    switch valueNode {
                    case .mapping(let inner): walk(inner, prefix: prefix + [name])
                    case .scalar(let scalar) where scalar.isNull: continue  // an empty section sets nothing
                    default: problems.append("\(key) in \(path): is a section; put its keys under it")
                    }
                } else {
                    problems.append(unknown(key))
                }
            }
        }

        private func unknown(_ key: String) -> String {
            let parent = key.split(separator: ".").dropLast().joined(separator: ".")
            let siblings = PipelineSetting.all.map(\.key).filter { candidate in
                candidate.split(separator: ".").dropLast().joined(separator: ".") == parent
            }
            let known = siblings.isEmpty
                ? "sections are " + Set(PipelineSetting.all.map { String($0.key.split(separator: ".")[0]) }).sorted()
                    .joined(separator: ", ")
                : "known keys there: " + siblings.joined(separator: ", ")
            return "\(key) in \(path): unknown key (\(known))"
        }

        private mutating func read(_ node: Node, for setting: PipelineSetting) {
            switch node {
            case .scalar(let scalar):
                if scalar.isNull { return }
                guard let text = expand(scalar.string, key: setting.key) else { return }
                values[setting.key] = setting.isList ? .many([text]) : .one(text)
            case .sequence(let sequence):
                guard setting.isList else {
                    problems.append("\(setting.key) in \(path): takes one value, not a list")
                    return
                }
                var items: [String] = []
                for item in sequence {
                    guard let scalar = item.scalar, let text = expand(scalar.string, key: setting.key) else {
                        problems.append("\(setting.key) in \(path): list items must be plain values")
                        return
                    }
                    items.append(text)
                }
                values[setting.key] = .many(items)
            case .mapping(let mapping) where setting.isList:
                var items: [String] = []
                for (keyNode, valueNode) in mapping {
                    guard let name = keyNode.scalar?.string, let scalar = valueNode.scalar,
                        let text = expand(scalar.string, key: setting.key)
                    else {
                        problems.append("\(setting.key) in \(path): entries must be property: value")
                        return
                    }
                    items.append("\(name)=\(text)")
                }
                values[setting.key] = .many(items)
            case .mapping, .alias:
                problems.append("\(setting.key) in \(path): takes a plain value")
            }
        }

        /// Expands `${VAR}`, `${VAR:-fallback}` and `$$`; nil (with a problem) when a variable is unset.
        private mutating func expand(_ text: String, key: String) -> String? {
            guard text.contains("$") else { return text }
            var result = ""
            var rest = Substring(text)
            while let dollar = rest.firstIndex(of: "$") {
                result += rest[..<dollar]
                let after = rest[rest.index(after: dollar)...]
                if after.first == "$" {
                    result += "$"
                    rest = after.dropFirst()
                } else if after.first == "{", let close = after.firstIndex(of: "}") {
                    let reference = after[after.index(after: after.startIndex)..<close]
                    let parts = reference.split(separator: ":-", maxSplits: 1, omittingEmptySubsequences: false)
                    let name = String(parts[0])
                    if let value = environment[name] {
                        result += value
                    } else if parts.count == 2 {
                        result += parts[1]
                    } else {
                        problems.append("\(key) in \(path): ${\(name)} is not set; set it or write ${\(name):-default}")
                        return nil
                    }
                    rest = after[after.index(after: close)...]
                } else {
                    result += "$"
                    rest = after
                }
            }
            return result + rest
        }
    }
}

extension Node.Scalar {
    /// `~`, `null`, `Null`, `NULL` or nothing, written plain.
    fileprivate var isNull: Bool {
        style == .plain && ["", "~", "null", "Null", "NULL"].contains(string)
    }
}
