import CQL
import Foundation

extension CassandraUserStore {
    /// Where and how the Cassandra store writes.
    public struct Configuration: Sendable, CustomStringConvertible {
        /// Nodes to start from, `host` or `host:port`. Default: `["127.0.0.1"]`.
        public var contactPoints: [String]
        /// The native protocol port. Default: 9042.
        public var port: Int
        /// The keyspace. Default: `user_data`.
        public var keyspace: String
        /// The table. Default: `users`.
        public var table: String
        /// The keyspace's replication when ``CassandraUserStore/prepare()`` creates it.
        /// Default: `SimpleStrategy` with factor 1.
        public var replication: CQLReplication
        /// The consistency of reads and writes. Default: `LOCAL_QUORUM`.
        public var consistency: CQLConsistency
        /// The data center to prefer; also the DC of `NetworkTopologyStrategy` from a URL. Default: nil.
        public var localDataCenter: String?
        /// Username and password; never logged. Default: nil.
        public var credentials: CQLCredentials?
        /// TLS; nil for plain TCP. Default: nil.
        public var tls: CQLTLSOptions?
        /// Writes in flight at once during ``CassandraUserStore/upsert(_:)``. Default: 256.
        public var maximumInFlightWrites: Int
        /// Connections per node. Default: 2.
        public var connectionsPerHost: Int
        /// How long one request may take. Default: 12 s.
        public var requestTimeout: Duration
        /// LZ4 frame compression. Default: false.
        public var compression: Bool
        /// Whether to learn the other nodes from `system.peers` (turn off when their addresses are not reachable
        /// from here, e.g. behind NAT; then only the contact points are used). Default: true.
        public var discoverPeers: Bool
        /// How long ``CassandraUserStore/prepare()`` waits for the up nodes to agree on the schema and to have the
        /// table; after that it logs one warning and goes on. Default: 30 s.
        public var schemaAgreementTimeout: Duration

        /// Creates a configuration with the defaults.
        public init(
            contactPoints: [String] = ["127.0.0.1"],
            port: Int = 9042,
            keyspace: String = "user_data",
            table: String = "users",
            replication: CQLReplication = .simple(replicationFactor: 1),
            consistency: CQLConsistency = .localQuorum,
            localDataCenter: String? = nil,
            credentials: CQLCredentials? = nil,
            tls: CQLTLSOptions? = nil,
            maximumInFlightWrites: Int = 256,
            connectionsPerHost: Int = 2,
            requestTimeout: Duration = .seconds(12),
            compression: Bool = false
        ) {
            self.contactPoints = contactPoints
            self.port = port
            self.keyspace = keyspace
            self.table = table
            self.replication = replication
            self.consistency = consistency
            self.localDataCenter = localDataCenter
            self.credentials = credentials
            self.tls = tls
            self.maximumInFlightWrites = maximumInFlightWrites
            self.connectionsPerHost = connectionsPerHost
            self.requestTimeout = requestTimeout
            self.compression = compression
            self.discoverPeers = true
            self.schemaAgreementTimeout = .seconds(30)
        }

        /// The settings, with the password redacted.
        public var description: String {
            "CassandraUserStore.Configuration(contactPoints: \(self.contactPoints), port: \(self.port), "
                + "keyspace: \(self.keyspace), table: \(self.table), replication: \(self.replication), "
                + "consistency: \(self.consistency), localDataCenter: \(self.localDataCenter ?? "any"), "
                + "credentials: \(self.credentials.map { "\($0)" } ?? "none"), tls: \(self.tls == nil ? "off" : "on"), "
                + "maximumInFlightWrites: \(self.maximumInFlightWrites))"
        }

        /// The CQL client configuration these settings make.
        public func clientConfiguration() throws -> CQLClient.Configuration {
            var client = CQLClient.Configuration(
                contactPoints: self.contactPoints,
                port: self.port,
                connectionsPerHost: self.connectionsPerHost,
                localDataCenter: self.localDataCenter
            )
            client.connection.credentials = self.credentials
            client.connection.tls = try self.tls?.makeTLSConfiguration()
            client.connection.requestTimeout = self.requestTimeout
            client.connection.compression = self.compression ? .lz4 : nil
            client.connection.maximumInFlight = max(1024, self.maximumInFlightWrites)
            client.discoverPeers = self.discoverPeers
            return client
        }
    }
}

extension CassandraUserStore.Configuration {
    /// Parses `cassandra://[host[:port][,host2[:port]]]/keyspace?consistency=LOCAL_QUORUM&dc=DC&rf=3&tls=true`.
    ///
    /// Hosts default to `127.0.0.1`, the keyspace to `user_data`. Query items: `consistency` (a level name),
    /// `dc` (the local data center; with `rf`, the keyspace uses `NetworkTopologyStrategy {dc: rf}`), `rf`
    /// (`SimpleStrategy` factor when there is no `dc`), `tls` (`true`/`false`), `tlsCA` (a PEM file),
    /// `tlsVerify` (`false` to skip certificate checks), `table`, `maxInFlight`, `connections`,
    /// `timeout` (milliseconds), `compression` (`lz4`), `discover` (`false` to use only the listed hosts).
    /// Credentials are refused in the URL: they come from the environment or a file.
    /// - Throws: ``CassandraURLError``.
    public init(url: String) throws {
        self.init()
        let prefix = "cassandra://"
        guard url.lowercased().hasPrefix(prefix) else {
            throw CassandraURLError(message: "it must start with \(prefix)")
        }
        var rest = Substring(url.dropFirst(prefix.count))
        var query = Substring("")
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path = Substring("")
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        guard !rest.contains("@") else {
            throw CassandraURLError(
                message: "credentials do not belong in the URL; use the environment or a password file")
        }
        if !rest.isEmpty {
            var hosts: [String] = []
            for part in rest.split(separator: ",") {
                guard let (address, port) = CQLHost.parse(String(part), defaultPort: 9042) else {
                    throw CassandraURLError(message: "'\(part)' is not host[:port]")
                }
                hosts.append(CQLHost(address: address, port: port).id)
            }
            self.contactPoints = hosts
            if let first = hosts.first, let (_, port) = CQLHost.parse(first, defaultPort: 9042) { self.port = port }
        }
        let keyspace = path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if !keyspace.isEmpty { self.keyspace = keyspace }
        guard Self.isIdentifier(self.keyspace) else {
            throw CassandraURLError(message: "keyspace '\(self.keyspace)' must be 1-48 letters, digits or _")
        }
        var replicationFactor: Int?
        for item in query.split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(pair[0]).lowercased()
            let value = pair.count > 1 ? (String(pair[1]).removingPercentEncoding ?? String(pair[1])) : ""
            switch key {
            case "consistency":
                guard let level = CQLConsistency(name: value) else {
                    throw CassandraURLError(message: "unknown consistency '\(value)'")
                }
                self.consistency = level
            case "dc", "localdc", "datacenter":
                self.localDataCenter = value
            case "rf", "replication_factor":
                guard let factor = Int(value), factor > 0 else {
                    throw CassandraURLError(message: "rf must be a positive integer")
                }
                replicationFactor = factor
            case "tls", "ssl":
                switch value.lowercased() {
                case "true", "1", "yes", "on", "": self.tls = self.tls ?? CQLTLSOptions()
                case "false", "0", "no", "off": self.tls = nil
                default: throw CassandraURLError(message: "tls must be true or false")
                }
            case "tlsca":
                var options = self.tls ?? CQLTLSOptions()
                options.trustRootsFile = value
                self.tls = options
            case "tlsverify":
                var options = self.tls ?? CQLTLSOptions()
                options.verifyCertificate = !["false", "0", "no", "off"].contains(value.lowercased())
                self.tls = options
            case "table":
                guard Self.isIdentifier(value) else {
                    throw CassandraURLError(message: "table '\(value)' is not an identifier")
                }
                self.table = value
            case "maxinflight":
                guard let number = Int(value), number > 0 else {
                    throw CassandraURLError(message: "maxInFlight must be positive")
                }
                self.maximumInFlightWrites = number
            case "connections":
                guard let number = Int(value), number > 0 else {
                    throw CassandraURLError(message: "connections must be positive")
                }
                self.connectionsPerHost = number
            case "timeout":
                guard let number = Int(value), number > 0 else {
                    throw CassandraURLError(message: "timeout must be milliseconds")
                }
                self.requestTimeout = .milliseconds(number)
            case "compression":
                self.compression = value.lowercased() == "lz4"
            case "discover":
                self.discoverPeers = !["false", "0", "no", "off"].contains(value.lowercased())
            case "username", "password", "user":
                throw CassandraURLError(
                    message: "credentials do not belong in the URL; use the environment or a password file")
            default:
                throw CassandraURLError(message: "unknown option '\(key)'")
            }
        }
        if let dc = self.localDataCenter, !dc.isEmpty {
            self.replication = .networkTopology([dc: replicationFactor ?? 1])
        } else if let replicationFactor {
            self.replication = .simple(replicationFactor: replicationFactor)
        }
    }

    /// Whether a name is a plain CQL identifier (letters, digits, underscore; 1-48 characters).
    static func isIdentifier(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 48
            && name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_") }
    }
}
