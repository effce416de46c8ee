import NIOCore
import NIOHTTP1
import NIOPosix
import RandomUser
import Synchronization

/// A local HTTP/1.1 server that speaks the RandomUser API (`/api/1.4/?results=N&seed=S&page=P`) with generated users,
/// and that can be scripted to fail like the real one: 429 with `Retry-After`, 5xx, hanging, `{"error"}` bodies,
/// empty pages, malformed JSON, slow answers, dropped connections.
///
/// It listens on 127.0.0.1 only. It records every request so tests can assert retries.
///
/// ```swift
/// let server = FakeRandomUserServer()
/// try await server.start()
/// server.enqueue(.tooManyRequests(retryAfter: "2"))
/// // ... point a RandomUserAPISource at server.baseURL ...
/// try await server.shutdown()
/// ```
public final class FakeRandomUserServer: Sendable {
    /// The server's settings.
    public struct Configuration: Sendable {
        /// The address to listen on. Default: `127.0.0.1`.
        public var host: String = "127.0.0.1"
        /// The port; 0 picks a free one (read it from ``FakeRandomUserServer/port`` after start). Default: 0.
        public var port: Int = 0
        /// The path served. Default: `/api/1.4/` (served with or without the trailing slash).
        public var path: String = "/api/1.4/"
        /// The fraction of bad users in pages (never "not JSON", which would break the page). Default: 0.
        public var badFraction: Double = 0
        /// Whether pages are pretty-printed (new lines, 4-space indents, as the fixtures are) instead of compact.
        /// Default: false.
        public var prettyPrinted: Bool = false

        /// Creates settings with the defaults.
        public init() {}
    }

    /// One request the server received.
    public struct RecordedRequest: Sendable, Hashable {
        /// The request target, path and query.
        public var uri: String
        /// The `results` parameter as sent (nil when absent or not an integer).
        public var results: Int?
        /// The `seed` parameter, if any.
        public var seed: String?
        /// The `page` parameter, if any and an integer.
        public var page: Int?
    }

    struct State {
        var script: [FakeResponse] = []
        var requests: [RecordedRequest] = []
        var serverChannel: (any Channel)?
        var children: [ObjectIdentifier: any Channel] = [:]
        var port: Int?
    }

    /// The settings the server was made with.
    public let configuration: Configuration
    let state = Mutex(State())
    private let group: any EventLoopGroup

    /// Creates a server (not started).
    ///
    /// - Parameters:
    ///   - configuration: Address, path and options. Default: 127.0.0.1, an ephemeral port.
    ///   - eventLoopGroup: The loops to run on. Default: `MultiThreadedEventLoopGroup.singleton`.
    public init(
        configuration: Configuration = Configuration(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.group = eventLoopGroup
    }

    /// Binds and starts serving (a second call while running returns the bound port).
    ///
    /// - Returns: The bound port.
    /// - Throws: When binding fails.
    @discardableResult
    public func start() async throws -> Int {
        if let port = self.state.withLock({ $0.serverChannel == nil ? nil : $0.port }) { return port }
        let bootstrap = ServerBootstrap(group: self.group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                self.track(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(FakeRandomUserHandler(server: self))
                }
            }
        let channel = try await bootstrap.bind(host: self.configuration.host, port: self.configuration.port).get()
        let port = channel.localAddress?.port ?? self.configuration.port
        self.state.withLock {
            $0.serverChannel = channel
            $0.port = port
        }
        return port
    }

    /// Starts, serves until the calling task is cancelled, then shuts down (for a service group or a CLI command).
    ///
    /// - Throws: When binding fails.
    public func run() async throws {
        try await self.start()
        let closed = self.state.withLock { $0.serverChannel?.closeFuture }
        await withTaskCancellationHandler {
            try? await closed?.get()
        } onCancel: {
            self.state.withLock { $0.serverChannel }?.close(promise: nil)
        }
        try await self.shutdown()
    }

    /// Stops listening and closes every open connection (hanging requests included).
    public func shutdown() async throws {
        let (server, children) = self.state.withLock { state -> ((any Channel)?, [any Channel]) in
            let server = state.serverChannel
            state.serverChannel = nil
            let children = Array(state.children.values)
            state.children = [:]
            return (server, children)
        }
        for child in children {
            try? await child.close()
        }
        do {
            try await server?.close()
        } catch ChannelError.alreadyClosed {
            // Closed already (by run()'s cancellation).
        }
    }

    /// The bound port, once started.
    public var port: Int? { self.state.withLock { $0.port } }

    /// The base URL to give a client: `http://127.0.0.1:<port>/api/1.4/` (empty port before start).
    public var baseURL: String {
        "http://\(self.configuration.host):\(self.port.map(String.init) ?? "")\(self.configuration.path)"
    }

    /// Scripts how the next requests are answered: `response` for the next `times` requests (after anything
    /// already queued); once the script runs out, requests get normal pages.
    ///
    /// - Parameters:
    ///   - response: What to do.
    ///   - times: For how many requests. Default: 1.
    public func enqueue(_ response: FakeResponse, times: Int = 1) {
        self.state.withLock { state in
            for _ in 0..<max(0, times) { state.script.append(response) }
        }
    }

    /// Requests received so far, in order.
    public var requests: [RecordedRequest] { self.state.withLock { $0.requests } }

    /// How many requests were received.
    public var requestCount: Int { self.state.withLock { $0.requests.count } }

    /// The `results` values of the requests received, in order.
    public var requestedResults: [Int?] { self.state.withLock { $0.requests.map(\.results) } }

    /// Forgets the recorded requests and the remaining script.
    public func reset() {
        self.state.withLock {
            $0.requests = []
            $0.script = []
        }
    }

    private func track(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        self.state.withLock { $0.children[id] = channel }
        channel.closeFuture.whenComplete { _ in
            _ = self.state.withLock { $0.children.removeValue(forKey: id) }
        }
    }

    /// Records a request and takes the next scripted response.
    func receive(uri: String) -> (FakeResponse, RecordedRequest) {
        let query = Self.query(of: uri)
        let request = RecordedRequest(
            uri: uri, results: query["results"].flatMap { Int($0) }, seed: query["seed"],
            page: query["page"].flatMap { Int($0) })
        let response = self.state.withLock { state -> FakeResponse in
            state.requests.append(request)
            return state.script.isEmpty ? .normal : state.script.removeFirst()
        }
        return (response, request)
    }

    /// The query parameters of a request target (later duplicates win; `+` and `%XX` decoded).
    static func query(of uri: String) -> [String: String] {
        guard let mark = uri.firstIndex(of: "?") else { return [:] }
        var result: [String: String] = [:]
        for pair in uri[uri.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first else { continue }
            result[Self.decode(name)] = parts.count > 1 ? Self.decode(parts[1]) : ""
        }
        return result
    }

    private static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
