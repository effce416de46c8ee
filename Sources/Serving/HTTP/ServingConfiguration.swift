/// Where the HTTP face listens and who may read it.
public struct ServingConfiguration: Sendable {
    /// The interface, e.g. `127.0.0.1` or `0.0.0.0`.
    public var host: String
    /// The port; 0 picks a free one (tests).
    public var port: Int
    /// The bearer token every route but `/health` requires; nil: none (allowed only on loopback).
    public var token: String?
    /// The most users one `/api/users` page returns. Default: 500.
    public var maxPageSize = 500

    /// A configuration.
    public init(host: String, port: Int, token: String? = nil) {
        self.host = host
        self.port = port
        self.token = token
    }

    /// Whether `host` is a loopback address (the default: nothing beyond this machine can connect).
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// `host:port`.
    public var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// The HTTP face cannot start as configured; one line naming the setting.
public struct ServingError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
