/// The Murmur3 token ring: which host owns which token, and which hosts replicate a token.
///
/// A node owns the range (previous token, its token]; a key's primary replica is the node with the first
/// token ≥ the key's token, wrapping around. `SimpleStrategy` adds the next distinct nodes clockwise;
/// `NetworkTopologyStrategy` walks the ring taking nodes of each data center until its factor is met
/// (racks are not considered).
public struct CQLTokenRing: Sendable, Hashable {
    private let tokens: [Int64]
    private let owners: [String]
    private let dataCenters: [String: String]

    /// Builds the ring from hosts and their tokens.
    public init(hosts: [CQLHost]) {
        var entries: [(Int64, String)] = []
        var dataCenters: [String: String] = [:]
        for host in hosts {
            for token in host.tokens { entries.append((token, host.id)) }
            if let dc = host.dataCenter { dataCenters[host.id] = dc }
        }
        entries.sort { $0.0 < $1.0 }
        self.tokens = entries.map(\.0)
        self.owners = entries.map(\.1)
        self.dataCenters = dataCenters
    }

    /// Whether the ring has no tokens.
    public var isEmpty: Bool { self.tokens.isEmpty }

    /// The index of the first ring token ≥ `token`, wrapping to 0.
    private func ownerIndex(of token: Int64) -> Int {
        var low = 0
        var high = self.tokens.count
        while low < high {
            let middle = (low + high) / 2
            if self.tokens[middle] < token { low = middle + 1 } else { high = middle }
        }
        return low == self.tokens.count ? 0 : low
    }

    /// The host that owns `token`.
    public func primaryOwner(of token: Int64) -> String? {
        guard !self.tokens.isEmpty else { return nil }
        return self.owners[self.ownerIndex(of: token)]
    }

    /// The replicas of `token`, primary first. With no known replication, only the primary owner.
    public func replicas(of token: Int64, replication: CQLReplication?) -> [String] {
        guard !self.tokens.isEmpty else { return [] }
        let start = self.ownerIndex(of: token)
        if let factor = replication?.simpleReplicationFactor {
            var replicas: [String] = []
            for step in 0..<self.tokens.count where replicas.count < factor {
                let owner = self.owners[(start + step) % self.tokens.count]
                if !replicas.contains(owner) { replicas.append(owner) }
            }
            return replicas
        }
        if let factors = replication?.dataCenterFactors {
            var replicas: [String] = []
            var perDC: [String: Int] = [:]
            let wanted = factors.values.reduce(0, +)
            for step in 0..<self.tokens.count where replicas.count < wanted {
                let owner = self.owners[(start + step) % self.tokens.count]
                guard !replicas.contains(owner), let dc = self.dataCenters[owner], let factor = factors[dc],
                    perDC[dc, default: 0] < factor
                else { continue }
                perDC[dc, default: 0] += 1
                replicas.append(owner)
            }
            return replicas.isEmpty ? [self.owners[start]] : replicas
        }
        return [self.owners[start]]
    }
}
