import NIOCore
import NIOHTTP1
import RandomUser

/// Answers one connection's requests for ``FakeRandomUserServer``.
final class FakeRandomUserHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: FakeRandomUserServer
    private var head: HTTPRequestHead?

    init(server: FakeRandomUserServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head = self.head else { return }
            self.head = nil
            self.answer(head, context: context)
        }
    }

    private func answer(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
            ?? head.uri
        let served = self.server.configuration.path
        let trimmedServed = served.hasSuffix("/") ? String(served.dropLast()) : served
        guard path == served || path == trimmedServed else {
            self.send(status: 404, body: Array(FakeResponse.errorJSON("not found: \(path)").utf8), context: context)
            return
        }
        let (response, request) = self.server.receive(uri: head.uri)
        switch response.kind {
        case .normal:
            self.send(status: 200, body: self.page(for: request, empty: false), context: context)
        case .emptyPage:
            self.send(status: 200, body: self.page(for: request, empty: true), context: context)
        case .hang:
            break
        case .closeConnection:
            context.close(promise: nil)
        case .malformedJSON:
            let body = Array("{\"results\":[{\"gender\":\"male\",\"name\":{\"title\":\"Mr\",\"first\":\"Tr".utf8)
            self.send(status: 200, body: body, context: context)
        case .status(let code, let body, let headers):
            self.send(status: code, body: Array((body ?? "").utf8), headers: headers, context: context)
        case .slow(let delay):
            let (seconds, attoseconds) = delay.components
            let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
            let body = self.page(for: request, empty: false)
            context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanoseconds)) {
                guard context.channel.isActive else { return }
                self.send(status: 200, body: body, context: context)
            }
        }
    }

    /// The envelope for a request, with the API's parameter rules (`results` 1–5000 else 1; `page` 1-based).
    private func page(for request: RecordedRequest, empty: Bool) -> [UInt8] {
        var count = request.results ?? 1
        if !(1...5000).contains(count) { count = 1 }
        let page = max(1, request.page ?? 1)
        let seed = request.seed ?? Self.randomSeed()
        var configuration = SyntheticUserGenerator.Configuration(
            seed: seed, badFraction: self.server.configuration.badFraction)
        configuration.allowsNotJSON = false
        if let nat = FakeRandomUserServer.query(of: request.uri)["nat"], !nat.isEmpty {
            configuration.nationalities = nat.split(separator: ",").map(String.init)
        }
        let generator = SyntheticUserGenerator(configuration: configuration)
        let body = generator.envelope(page: page, count: empty ? 0 : count, seed: seed)
        return self.server.configuration.prettyPrinted ? JSONPrettyPrinter.indent(body) : body
    }

    private typealias RecordedRequest = FakeRandomUserServer.RecordedRequest

    /// A 16-hex-digit seed, as the API makes when none is given.
    private static func randomSeed() -> String {
        let value = UInt64.random(in: .min ... .max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private func send(
        status: Int, body: [UInt8], headers extra: [(String, String)] = [], context: ChannelHandlerContext
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.count))
        for (name, value) in extra { headers.add(name: name, value: value) }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
        context.write(self.wrapOutboundOut(.head(head)), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: body.count)
        buffer.writeBytes(body)
        context.write(self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
    }
}
