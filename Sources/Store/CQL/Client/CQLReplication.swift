/// A keyspace's replication strategy: `SimpleStrategy` with one replication factor, or
/// `NetworkTopologyStrategy` with one per data center.
public struct CQLReplication: Sendable, Hashable, CustomStringConvertible {
    private enum Strategy: Sendable, Hashable {
        case simple(Int)
        case networkTopology([String: Int])
        case other(String)
    }

    private let strategy: Strategy

    /// `SimpleStrategy` with `replicationFactor` copies around the ring.
    public static func simple(replicationFactor: Int) -> CQLReplication {
        CQLReplication(strategy: .simple(replicationFactor))
    }

    /// `NetworkTopologyStrategy` with a replication factor per data center.
    public static func networkTopology(_ factors: [String: Int]) -> CQLReplication {
        CQLReplication(strategy: .networkTopology(factors))
    }

    /// Reads `system_schema.keyspaces.replication` (`class`, then `replication_factor` or one entry per DC).
    public init(map: [String: String]) {
        let className = map["class"] ?? ""
        if className.hasSuffix("SimpleStrategy") {
            self.strategy = .simple(Int(map["replication_factor"] ?? "") ?? 1)
        } else if className.hasSuffix("NetworkTopologyStrategy") {
            var factors: [String: Int] = [:]
            for (key, value) in map where key != "class" { factors[key] = Int(value) ?? 0 }
            self.strategy = .networkTopology(factors)
        } else {
            self.strategy = .other(className)
        }
    }

    private init(strategy: Strategy) { self.strategy = strategy }

    /// The replication factor of `SimpleStrategy`, nil otherwise.
    public var simpleReplicationFactor: Int? {
        if case .simple(let factor) = self.strategy { return factor }
        return nil
    }

    /// The per-DC factors of `NetworkTopologyStrategy`, nil otherwise.
    public var dataCenterFactors: [String: Int]? {
        if case .networkTopology(let factors) = self.strategy { return factors }
        return nil
    }

    /// The CQL map literal, e.g. `{'class': 'SimpleStrategy', 'replication_factor': 1}`.
    public var cql: String {
        switch self.strategy {
        case .simple(let factor):
            return "{'class': 'SimpleStrategy', 'replication_factor': \(factor)}"
        case .networkTopology(let factors):
            let entries = factors.sorted { $0.key < $1.key }.map { "'\(Self.escape($0.key))': \($0.value)" }
            return
                "{'class': 'NetworkTopologyStrategy'\(entries.isEmpty ? "" : ", " + entries.joined(separator: ", "))}"
        case .other(let className):
            return "{'class': '\(Self.escape(className))'}"
        }
    }

    /// Same as ``cql``.
    public var description: String { self.cql }

    private static func escape(_ text: String) -> String { text.replacingOccurrences(of: "'", with: "''") }
}
