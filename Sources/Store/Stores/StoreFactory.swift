import CQL
import Logging

/// Opens the store a `--store` value names: `sqlite:PATH` or `cassandra://host[:port][,host2]/keyspace?...`.
public enum StoreFactory {
    /// The `--store` value could not be used.
    public struct Error: Swift.Error, CustomStringConvertible {
        public var description: String
    }

    /// Opens (does not prepare) the store named by `location`.
    /// - Parameters:
    ///   - location: `sqlite:PATH[?...]` or `cassandra://host[:port][,host2]/keyspace[?...]`.
    ///   - credentials: the Cassandra username and password, if any; never part of the URL.
    ///   - consistency: a Cassandra consistency level name that overrides the URL's, if any.
    ///   - logger: where the store logs.
    /// - Throws: ``Error`` naming what is wrong with the location.
    public static func make(
        _ location: String,
        credentials: CQLCredentials? = nil,
        consistency: String? = nil,
        logger: Logger
    ) throws -> any UserStore {
        if location.hasPrefix("sqlite:") {
            return try SQLiteUserStore(configuration: sqliteConfiguration(location), logger: logger)
        }
        if location.hasPrefix("cassandra://") {
            var configuration = try CassandraUserStore.Configuration(url: location)
            configuration.credentials = credentials
            if let consistency {
                guard let level = CQLConsistency(name: consistency) else {
                    throw Error(description: "--consistency: '\(consistency)' is not a Cassandra consistency level (ONE, QUORUM, LOCAL_QUORUM, ALL, ...)")
                }
                configuration.consistency = level
            }
            return try CassandraUserStore(configuration: configuration, logger: logger)
        }
        throw Error(description: "--store '\(location)' is neither sqlite:PATH nor cassandra://host:port/keyspace")
    }

    /// Parses `sqlite:PATH[?synchronous=full|normal][&cache_kib=N]` (also `sqlite://PATH`).
    public static func sqliteConfiguration(_ location: String) throws -> SQLiteUserStore.Configuration {
        var rest = location.dropFirst("sqlite:".count)
        if rest.hasPrefix("//") { rest = rest.dropFirst(2) }
        let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(parts.first ?? "")
        guard !path.isEmpty else { throw Error(description: "--store sqlite:PATH needs a file path") }
        var configuration = SQLiteUserStore.Configuration(path: path)
        guard parts.count == 2 else { return configuration }
        for parameter in parts[1].split(separator: "&") {
            let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            switch (pair.first ?? "", pair.count == 2 ? pair[1] : nil) {
            case ("synchronous", let value?) where SQLiteUserStore.Configuration.Synchronous(name: value) != nil:
                configuration.synchronous = SQLiteUserStore.Configuration.Synchronous(name: value)!
            case ("cache_kib", let value?) where Int(value).map({ $0 > 0 }) == true:
                configuration.cacheKiB = Int(value)!
            default:
                throw Error(
                    description: "--store: '\(parameter)' is not one of synchronous=full, synchronous=normal, cache_kib=N (N > 0)")
            }
        }
        return configuration
    }
}
