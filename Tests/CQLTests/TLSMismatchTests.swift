import NIOCore
import NIOPosix
import NIOSSL
import Testing

@testable import CQL

@Suite("TLS to a server without TLS")
struct TLSMismatchTests {
    /// Answers whatever it receives with a plain CQL v4 ERROR frame (protocol error), as a Cassandra node without
    /// client encryption answers a TLS ClientHello.
    final class PlainAnswer: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let message = Array("Invalid or unsupported protocol version".utf8)
            var frame = context.channel.allocator.buffer(capacity: 64)
            frame.writeBytes([0x84, 0x00, 0x00, 0x00, 0x00])
            frame.writeInteger(UInt32(4 + 2 + message.count))
            frame.writeInteger(UInt32(0x000A))
            frame.writeInteger(UInt16(message.count))
            frame.writeBytes(message)
            context.writeAndFlush(self.wrapOutboundOut(frame), promise: nil)
        }
    }

    @Test("TLS to a plain server fails at once with an explanation, not BoringSSL's code, and is not transient")
    func tlsToPlainServer() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { $0.pipeline.addHandler(PlainAnswer()) }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        var configuration = CQLConnection.Configuration(tls: .makeClientConfiguration())
        configuration.connectTimeout = .seconds(120)
        let started = ContinuousClock.now
        let error = try await #require(throws: CQLError.self) {
            _ = try await CQLConnection.connect(host: "127.0.0.1", port: port, configuration: configuration)
        }
        try await server.close()
        #expect(error.code == .tlsFailed, "\(error)")
        #expect(!error.isTransient)
        #expect("\(error)".contains("127.0.0.1:\(port)"))
        #expect("\(error)".contains("no TLS on this port"), "\(error)")
        // It does not wait for the 120 s handshake timeout (the bound leaves room for a loaded machine).
        #expect(ContinuousClock.now - started < .seconds(60))
    }
}
