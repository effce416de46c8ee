import Logging

/// Opens the store a `--store` value names: `sqlite:PATH` or `cassandra://host[:port][,host2]/keyspace?...`.
public enum StoreFactory {
    /// The `--store` value could not be used.
    public struct Error: Swift.Error, CustomStringConvertible {
        public var description: String
    }

    /// Opens (does not prepare) the store named by `location`.
    /// - Parameter environment: where Cassandra credentials are read from (`USERSTREAM_CASSANDRA_USERNAME`,
    ///   `USERSTREAM_CASSANDRA_PASSWORD` or `USERSTREAM_CASSANDRA_PASSWORD_FILE`); never from the URL.
    public static func make(
        _ location: String,
        environment: StoreEnvironment,
        logger: Logger
    ) throws -> any UserStore {
        if location.hasPrefix("sqlite:") {
            var path = String(location.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw Error(description: "--store sqlite:PATH needs a file path") }
            return try SQLiteUserStore(configuration: .init(path: path), logger: logger)
        }
        if location.hasPrefix("cassandra://") {
            var configuration = try CassandraUserStore.Configuration(url: location)
            try environment.applyCredentials(to: &configuration)
            return try CassandraUserStore(configuration: configuration, logger: logger)
        }
        throw Error(description: "--store '\(location)' is neither sqlite:PATH nor cassandra://host:port/keyspace")
    }
}
