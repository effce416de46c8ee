/// A `cassandra://` store location that cannot be used.
public struct CassandraURLError: Error, Sendable, CustomStringConvertible {
    /// What is wrong with it.
    public var message: String
    /// A human-readable description.
    public var description: String { "invalid Cassandra URL: \(self.message)" }
}
