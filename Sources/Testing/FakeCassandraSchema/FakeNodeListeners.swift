import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The listeners of a few fake nodes on 127.0.0.x sharing one port, and the connections each accepted: a node can be
/// stopped (listener and connections, as a crash or restart does) and started again on the same port.
public final class FakeNodeListeners: Sendable {
    /// Sets up a connection a node accepted: the node's address, the connection, its number (from 1, across nodes).
    public typealias Initializer = @Sendable (_ address: String, _ channel: any Channel, _ number: Int) throws -> Void

    private let initialize: Initializer
    private let boundPort = NIOLockedValueBox(0)
    private let channels = NIOLockedValueBox<[String: any Channel]>([:])
    /// The connections each node accepted and still has open.
    private let connections = NIOLockedValueBox<[String: [any Channel]]>([:])
    private let connectionNumbers = NIOLockedValueBox(0)

    private init(initialize: @escaping Initializer) {
        self.initialize = initialize
    }

    /// Starts the nodes; the first picks a free port and the others bind the same one.
    public static func start(
        _ addresses: [String], initialize: @escaping Initializer
    ) async throws -> FakeNodeListeners {
        let listeners = FakeNodeListeners(initialize: initialize)
        for address in addresses {
            let channel = try await listeners.listen(address)
            listeners.boundPort.withLockedValue { $0 = channel.localAddress?.port ?? $0 }
            listeners.channels.withLockedValue { $0[address] = channel }
        }
        return listeners
    }

    /// The port every node listens on.
    public var port: Int { self.boundPort.withLockedValue { $0 } }

    private func listen(_ address: String) async throws -> any Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                self.accepted(channel, on: address)
                return channel.eventLoop.makeCompletedFuture {
                    try self.initialize(address, channel, self.nextConnectionNumber())
                }
            }
            .bind(host: address, port: self.port).get()
    }

    private func accepted(_ channel: any Channel, on address: String) {
        self.connections.withLockedValue { $0[address, default: []].append(channel) }
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.connections.withLockedValue { $0[address]?.removeAll { $0 === channel } }
        }
    }

    private func nextConnectionNumber() -> Int {
        self.connectionNumbers.withLockedValue {
            $0 += 1
            return $0
        }
    }

    /// Closes every listener and connection.
    public func stop() async {
        for channel in self.channels.withLockedValue({ Array($0.values) }) { try? await channel.close() }
        for channel in self.connections.withLockedValue({ $0.values.flatMap { $0 } }) { try? await channel.close() }
    }

    /// Stops one node as a crash or restart does: its listener and every connection it accepted close.
    public func stopNode(_ address: String) async {
        await self.stopListening(address)
        for channel in self.connections.withLockedValue({ $0.removeValue(forKey: address) ?? [] }) {
            try? await channel.close()
        }
    }

    /// Stops one node's listener (its open connections stay).
    public func stopListening(_ address: String) async {
        let channel = self.channels.withLockedValue { $0.removeValue(forKey: address) }
        try? await channel?.close()
    }

    /// Starts a stopped node again on the nodes' port.
    public func restart(_ address: String) async throws {
        let channel = try await self.listen(address)
        self.channels.withLockedValue { $0[address] = channel }
    }

    /// The nodes whose listener is open.
    public var runningNodes: [String] { self.channels.withLockedValue { $0.keys.sorted() } }

    public func isRunning(_ address: String) -> Bool { self.channels.withLockedValue { $0[address] != nil } }

    /// The connections a node has open.
    public func openConnections(_ address: String) -> Int {
        self.connections.withLockedValue { $0[address]?.count ?? 0 }
    }
}
