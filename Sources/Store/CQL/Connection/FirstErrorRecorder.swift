import NIOConcurrencyHelpers
import NIOCore

/// Keeps the first error that reaches it in the pipeline (and passes every error on). Installed right after the TLS
/// handler, it holds the handshake's failure even when the channel closes before the protocol handler is added, so
/// the connection reports the TLS error rather than "I/O on closed channel".
final class FirstErrorRecorder: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    private let first = NIOLockedValueBox<(any Error)?>(nil)

    /// The first error seen, if any.
    var error: (any Error)? { first.withLockedValue { $0 } }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        first.withLockedValue { if $0 == nil { $0 = error } }
        context.fireErrorCaught(error)
    }
}
