import Logging
import NIOCore
import NIOPosix

/// Listens on 127.0.0.1:port and forwards every connection's bytes, both ways, to an upstream address.
///
/// Used by ``EmbeddedKafkaBroker`` to offer a fixed bootstrap port in front of the mock's ephemeral one.
/// Each accepted connection gets its own upstream connection on the same event loop; reads are paced by the
/// other side's writability.
final class PortForwarder: Sendable {
    private let serverChannel: any Channel

    init(listenPort: Int, upstreamHost: String, upstreamPort: Int, logger: Logger) throws {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { inbound in
                // The accepted side reads nothing until the upstream connection exists and both are glued.
                ClientBootstrap(group: inbound.eventLoop)
                    .connect(host: upstreamHost, port: upstreamPort)
                    .flatMapThrowing { upstream in
                        let (left, right) = GlueHandler.matchedPair()
                        try inbound.pipeline.syncOperations.addHandler(left)
                        try upstream.pipeline.syncOperations.addHandler(right)
                    }
                    .flatMap { inbound.setOption(.autoRead, value: true) }
                    .flatMapErrorThrowing { error in
                        logger.warning("forwarder could not reach the broker", metadata: ["error": "\(error)"])
                        throw error
                    }
            }
        do {
            self.serverChannel = try bootstrap.bind(host: "127.0.0.1", port: listenPort).wait()
        } catch {
            throw KafkaError(code: .forwarder, message: "cannot listen on 127.0.0.1:\(listenPort): \(error)")
        }
    }

    /// The bound port.
    var port: Int? { self.serverChannel.localAddress?.port }

    /// Stops listening (open forwarded connections close when either end closes).
    func close() {
        try? self.serverChannel.close().wait()
    }
}

/// One half of a forwarding pair: what this channel reads, the partner writes.
private final class GlueHandler: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private var partner: GlueHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false

    static func matchedPair() -> (GlueHandler, GlueHandler) {
        let first = GlueHandler()
        let second = GlueHandler()
        first.partner = second
        second.partner = first
        return (first, second)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.partner?.partnerWrite(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.partner?.partnerFlush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.partner?.partnerClose()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            self.partner?.partnerBecameWritable()
        }
    }

    func read(context: ChannelHandlerContext) {
        if let partner = self.partner, partner.partnerWritable {
            context.read()
        } else {
            self.pendingRead = true
        }
    }

    private func partnerWrite(_ data: NIOAny) {
        self.context?.write(data, promise: nil)
    }

    private func partnerFlush() {
        self.context?.flush()
    }

    private func partnerClose() {
        self.context?.close(promise: nil)
    }

    private var partnerWritable: Bool {
        self.context?.channel.isWritable ?? false
    }

    private func partnerBecameWritable() {
        if self.pendingRead {
            self.pendingRead = false
            self.context?.read()
        }
    }
}
