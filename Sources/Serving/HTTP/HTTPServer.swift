#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import Logging
import Metrics
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The HTTP face as a `Service` of the pipeline's group: Hummingbird serving ``ServingRoutes`` on the configured
/// address until a graceful stop.
public final class HTTPServer: Service {
    private let configuration: ServingConfiguration
    private let backend: any ServingBackend
    private let metricsFactory: any MetricsFactory
    private let logger: Logger
    private let port = Mutex<Int?>(nil)

    /// A server for `backend`.
    /// - Throws: ``ServingError`` when the address is beyond loopback and no token is set.
    public init(
        configuration: ServingConfiguration, backend: any ServingBackend, metricsFactory: any MetricsFactory,
        logger: Logger = Logger(label: "userstream.http")
    ) throws {
        if !configuration.isLoopback && configuration.token == nil {
            throw ServingError(
                "http.address (--http) \(configuration.address) is reachable beyond this machine and needs a token: set "
                    + "USERSTREAM_HTTP_TOKEN or --http-token-file, or bind 127.0.0.1")
        }
        self.configuration = configuration
        self.backend = backend
        self.metricsFactory = metricsFactory
        self.logger = logger
    }

    /// The port it listens on, once it does (the configured one, or the one picked for port 0).
    public var boundPort: Int? { port.withLock { $0 } }

    /// Fails at once, before anything else starts, when `configuration`'s address cannot be bound (in use, or not
    /// an address of this machine): the same error ``run()`` would throw later.
    public static func checkAddress(_ configuration: ServingConfiguration) async throws {
        guard configuration.port != 0 else { return }
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: configuration.host, port: configuration.port).get()
            try await channel.close()
        } catch {
            throw explain(error, configuration) ?? ServingError("http.address (--http) \(configuration.address): \(error)")
        }
    }

    /// The one line for a bind error, or nil for another error.
    static func explain(_ error: any Error, _ configuration: ServingConfiguration) -> ServingError? {
        guard let error = error as? IOError else { return nil }
        switch error.errnoCode {
        case EADDRINUSE:
            return ServingError(
                "http.address (--http) \(configuration.address): the port is in use by another process; choose another "
                    + "with --http HOST:PORT, or --http off")
        case EADDRNOTAVAIL:
            return ServingError(
                "http.address (--http) \(configuration.address): not an address of this machine; use 127.0.0.1 or the "
                    + "address of one of its interfaces")
        default:
            return nil
        }
    }

    public func run() async throws {
        let router = ServingRoutes.router(backend: backend, configuration: configuration, metricsFactory: metricsFactory)
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .notice)  // Hummingbird's per-request lines stay out of the log
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { [self] channel in
                let configuration = self.configuration
                let bound = channel.localAddress?.port ?? configuration.port
                self.port.withLock { $0 = bound }
                self.logger.info(
                    "HTTP server listening",
                    metadata: [
                        "address": "\(configuration.host):\(bound)", "dashboard": "http://\(configuration.host):\(bound)/",
                        "token": "\(configuration.token == nil ? "none" : "required")",
                    ])
            },
            logger: quiet
        )
        do {
            try await application.run()
        } catch {
            throw Self.explain(error, configuration) ?? error
        }
    }
}
