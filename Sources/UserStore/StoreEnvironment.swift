#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Where store credentials come from: the environment or a file it names, never the command line or a URL.
public struct StoreEnvironment: Sendable {
    /// The variables to read.
    public var variables: [String: String]

    /// Reads the given variables.
    public init(variables: [String: String]) {
        self.variables = variables
    }

    /// This process's environment.
    public static var current: StoreEnvironment {
        StoreEnvironment(variables: ProcessInfo.processInfo.environment)
    }

    /// The Cassandra username (`USERSTREAM_CASSANDRA_USERNAME`) and password (`USERSTREAM_CASSANDRA_PASSWORD`, or the
    /// first line of the file named by `USERSTREAM_CASSANDRA_PASSWORD_FILE`), if set.
    /// - Throws: when the password file cannot be read.
    public func cassandraCredentials() throws -> (username: String, password: String)? {
        guard let username = variables["USERSTREAM_CASSANDRA_USERNAME"], !username.isEmpty else { return nil }
        if let password = variables["USERSTREAM_CASSANDRA_PASSWORD"] { return (username, password) }
        if let file = variables["USERSTREAM_CASSANDRA_PASSWORD_FILE"] {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw StoreFactory.Error(description: "cannot read USERSTREAM_CASSANDRA_PASSWORD_FILE (\(file))")
            }
            return (username, String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""))
        }
        throw StoreFactory.Error(
            description: "USERSTREAM_CASSANDRA_USERNAME is set but neither USERSTREAM_CASSANDRA_PASSWORD nor USERSTREAM_CASSANDRA_PASSWORD_FILE is"
        )
    }

    func applyCredentials(to configuration: inout CassandraUserStore.Configuration) throws {
        if let credentials = try cassandraCredentials() {
            configuration.credentials = .init(username: credentials.username, password: credentials.password)
        }
    }
}
