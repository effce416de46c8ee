import Logging
import NIOCore

/// One request travelling to the channel handler: the message, where its answer goes and its timeout.
struct CQLTask: Sendable {
    var request: CQLRequest
    var promise: EventLoopPromise<CQLResponse>
    var timeout: TimeAmount?
    var tracing: Bool = false
}

/// The channel handler of one connection: frames bytes, runs the handshake state machine, assigns
/// stream ids, matches answers to requests by stream id and fails every pending request when the
/// channel goes away.
///
/// A request's timeout runs from when it reaches the handler, whether it is sent at once or first waits for the
/// handshake or a free stream id: one that is still waiting at its deadline fails with `timeout` and is never sent.
final class CQLChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = CQLTask
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        /// nil once the caller gave up (timeout): the id stays taken until the late answer arrives.
        var promise: EventLoopPromise<CQLResponse>?
        var timeout: Scheduled<Void>?
    }

    private var stateMachine: CQLConnectionStateMachine
    /// A request waiting for the handshake or for a free stream id.
    private struct Waiting {
        var task: CQLTask
        /// When its caller gives up (its timeout, counted from when it reached the handler).
        var deadline: NIODeadline?
        /// Fails the request at the deadline if it is still waiting.
        var expiry: Scheduled<Void>?
    }

    private var streams: CQLStreamTable<Pending>
    /// Requests waiting for the handshake or for a free stream id, by arrival number.
    private var waiting: [UInt64: Waiting] = [:]
    /// Arrival numbers in order, oldest first; numbers of requests that expired are skipped when reached.
    private var waitingOrder = CircularBuffer<UInt64>()
    private var nextArrival: UInt64 = 0
    private var decoder: CQLFrameDecoder
    private var encoder = CQLFrameEncoder()
    private var inbound: ByteBuffer?
    private let handshakePromise: EventLoopPromise<Void>
    private let onEvent: @Sendable (CQLEvent) -> Void
    private let logger: Logger
    private var context: ChannelHandlerContext?
    private var failure: (any Error)?
    private let heartbeatInterval: TimeAmount?
    private let heartbeatTimeout: TimeAmount
    private var heartbeat: Scheduled<Void>?
    private var lastRead = NIODeadline.now()
    /// Requests whose caller gave up (timeout) and whose answer has not come yet.
    private var orphans = 0
    private let maximumOrphans: Int

    init(
        credentials: CQLCredentials?,
        compression: CQLCompression?,
        maximumBodyLength: Int,
        maximumInFlight: Int,
        handshakePromise: EventLoopPromise<Void>,
        logger: Logger,
        heartbeatInterval: TimeAmount? = nil,
        heartbeatTimeout: TimeAmount = .seconds(12),
        maximumOrphans: Int = 256,
        onEvent: @escaping @Sendable (CQLEvent) -> Void
    ) {
        self.heartbeatInterval = heartbeatInterval
        self.heartbeatTimeout = heartbeatTimeout
        self.maximumOrphans = max(1, maximumOrphans)
        self.stateMachine = CQLConnectionStateMachine(credentials: credentials, compression: compression)
        self.streams = CQLStreamTable(capacity: maximumInFlight)
        self.decoder = CQLFrameDecoder(maximumBodyLength: maximumBodyLength)
        self.handshakePromise = handshakePromise
        self.logger = logger
        self.onEvent = onEvent
    }

    /// Requests in flight (answers pending, including timed-out ones).
    var inFlightCount: Int { self.streams.inFlight.count }
    /// Requests waiting for the handshake or a free stream id.
    var waitingCount: Int { self.waiting.count }

    // MARK: lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { self.run(self.stateMachine.channelActive(), context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.heartbeat?.cancel()
        self.failAll(CQLError(code: .connectionClosed, message: "the connection handler was removed"))
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        self.run(self.stateMachine.channelActive(), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.heartbeat?.cancel()
        let action = self.stateMachine.channelInactive()
        self.run(action, context: context)
        let error = self.failure ?? CQLError(code: .connectionClosed, message: "the server closed the connection")
        self.failAll(error)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.logger.debug("CQL connection error", metadata: ["error": "\(error)"])
        if self.failure == nil {
            self.failure = CQLError(code: .connectionClosed, message: "the connection failed", underlying: error)
        }
        context.close(promise: nil)
    }

    // MARK: outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let task = self.unwrapOutboundIn(data)
        promise?.succeed(())
        if let failure = self.failure ?? (self.stateMachine.state == .closed ? Self.closedError : nil) {
            task.promise.fail(failure)
            return
        }
        let deadline = task.timeout.map { context.eventLoop.now + $0 }
        if self.stateMachine.isReady, self.waiting.isEmpty, !self.streams.isFull {
            self.send(task, deadline: deadline, context: context)
        } else {
            self.enqueue(task, deadline: deadline, context: context)
        }
    }

    func flush(context: ChannelHandlerContext) { context.flush() }

    private static let closedError = CQLError(code: .connectionClosed, message: "the connection is closed")

    /// Sends a request on a free stream id, or queues it when none is free; it times out at `deadline`.
    private func send(_ task: CQLTask, deadline: NIODeadline?, context: ChannelHandlerContext) {
        guard let stream = self.streams.allocate(Pending(promise: task.promise, timeout: nil)) else {
            self.enqueue(task, deadline: deadline, context: context)
            return
        }
        if let deadline, let timeout = task.timeout {
            let scheduled = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
                guard let self else { return }
                self.timedOut(stream: stream, after: timeout)
            }
            self.streams.update(stream, Pending(promise: task.promise, timeout: scheduled))
        }
        self.writeFrame(
            task.request.frame(stream: stream, tracing: task.tracing, allocator: context.channel.allocator),
            context: context)
    }

    private func writeFrame(_ frame: CQLFrame, context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: frame.body.readableBytes + CQLFrame.Header.size)
        self.encoder.encode(frame, into: &buffer)
        context.write(self.wrapOutboundOut(buffer), promise: nil)
    }

    /// Queues a request until the handshake is done and a stream id is free, failing it at its deadline.
    private func enqueue(_ task: CQLTask, deadline: NIODeadline?, context: ChannelHandlerContext) {
        let arrival = self.nextArrival
        self.nextArrival &+= 1
        var entry = Waiting(task: task, deadline: deadline, expiry: nil)
        if let deadline, let timeout = task.timeout {
            entry.expiry = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
                guard let self else { return }
                self.waitExpired(arrival, after: timeout)
            }
        }
        self.waiting[arrival] = entry
        self.waitingOrder.append(arrival)
    }

    /// Sends waiting requests, oldest first, while stream ids are free.
    private func drainWaiting(context: ChannelHandlerContext) {
        var wrote = false
        while !self.streams.isFull, let arrival = self.waitingOrder.popFirst() {
            guard let entry = self.waiting.removeValue(forKey: arrival) else { continue }  // expired
            entry.expiry?.cancel()
            self.send(entry.task, deadline: entry.deadline, context: context)
            wrote = true
        }
        if self.waiting.isEmpty { self.waitingOrder.removeAll(keepingCapacity: true) }
        if wrote { context.flush() }
    }

    /// A request still waiting at its deadline fails with `timeout`; it was never sent.
    private func waitExpired(_ arrival: UInt64, after timeout: TimeAmount) {
        guard let entry = self.waiting.removeValue(forKey: arrival) else { return }
        if self.waiting.isEmpty { self.waitingOrder.removeAll(keepingCapacity: true) }
        let milliseconds = timeout.nanoseconds / 1_000_000
        let reason =
            self.stateMachine.isReady
            ? "no free stream id within \(milliseconds) ms (all \(self.streams.capacity) in flight); not sent"
            : "the connection was not ready within \(milliseconds) ms; not sent"
        entry.task.promise.fail(CQLError(code: .timeout, message: reason))
    }

    private func timedOut(stream: Int16, after timeout: TimeAmount) {
        guard let pending = self.streams.inFlight[stream], let promise = pending.promise else { return }
        self.streams.update(stream, Pending(promise: nil, timeout: nil))
        self.orphans += 1
        promise.fail(
            CQLError(
                code: .timeout,
                message: "no answer within \(timeout.nanoseconds / 1_000_000) ms (stream \(stream))"
            )
        )
        if self.orphans >= self.maximumOrphans, let context = self.context {
            // A node that leaves this many requests unanswered is treated as gone: close, so the pool reconnects.
            self.logger.warning(
                "CQL connection closed after too many timeouts", metadata: ["timeouts": "\(self.orphans)"])
            if self.failure == nil {
                self.failure = CQLError(
                    code: .connectionClosed,
                    message: "closed after \(self.orphans) requests went unanswered"
                )
            }
            context.close(promise: nil)
        }
    }

    // MARK: heartbeat

    private func scheduleHeartbeat(context: ChannelHandlerContext) {
        guard let interval = self.heartbeatInterval else { return }
        self.heartbeat = context.eventLoop.assumeIsolated().scheduleTask(in: interval) { [weak self] in
            guard let self, let context = self.context else { return }
            self.heartbeatTick(context: context, interval: interval)
        }
    }

    /// When nothing was read for a whole interval, sends OPTIONS; no answer within the heartbeat timeout closes
    /// the connection (so a silently dropped connection is noticed even while idle).
    private func heartbeatTick(context: ChannelHandlerContext, interval: TimeAmount) {
        guard self.stateMachine.isReady, self.failure == nil else { return }
        if context.eventLoop.now - self.lastRead >= interval {
            let promise = context.eventLoop.makePromise(of: CQLResponse.self)
            let channel = context.channel
            promise.futureResult.whenFailure { error in
                if let error = error as? CQLError, error.code == .timeout { channel.close(promise: nil) }
            }
            self.send(
                CQLTask(request: .options, promise: promise, timeout: self.heartbeatTimeout),
                deadline: context.eventLoop.now + self.heartbeatTimeout,
                context: context
            )
            context.flush()
        }
        self.scheduleHeartbeat(context: context)
    }

    // MARK: inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = self.unwrapInboundIn(data)
        self.lastRead = context.eventLoop.now
        if self.inbound == nil {
            self.inbound = bytes
        } else {
            self.inbound!.writeBuffer(&bytes)
        }
        do {
            while var buffer = self.inbound {
                self.inbound = nil
                let frame = try self.decoder.decodeFrame(from: &buffer)
                if buffer.readableBytes > 0 {
                    if buffer.readerIndex > 65536 { buffer.discardReadBytes() }
                    self.inbound = buffer
                }
                guard let frame else { break }
                try self.handle(frame, context: context)
                if self.context == nil { break }
            }
        } catch {
            self.inbound = nil
            self.errorCaught(context: context, error: error)
        }
    }

    private func handle(_ frame: CQLFrame, context: ChannelHandlerContext) throws {
        let response = try CQLResponse.decode(frame)
        if !response.warnings.isEmpty {
            self.logger.warning("Cassandra warning", metadata: ["warnings": "\(response.warnings)"])
        }
        if frame.header.stream < 0 {
            if case .event(let event) = response.message { self.onEvent(event) }
            return
        }
        if self.stateMachine.isHandshaking {
            self.run(self.stateMachine.handshakeMessage(response.message), context: context)
            return
        }
        guard let pending = self.streams.release(frame.header.stream) else {
            self.logger.debug("CQL answer on an unknown stream", metadata: ["stream": "\(frame.header.stream)"])
            return
        }
        pending.timeout?.cancel()
        if pending.promise == nil { self.orphans -= 1 }
        if let promise = pending.promise {
            if case .error(let error) = response.message {
                promise.fail(error)
            } else {
                promise.succeed(response)
            }
        }
        self.drainWaiting(context: context)
    }

    // MARK: actions

    private func run(_ action: CQLConnectionStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .sendOptions:
            self.writeFrame(CQLRequest.options.frame(stream: 0, allocator: context.channel.allocator), context: context)
            context.flush()
        case .sendStartup(let compression):
            let startup = CQLRequest.startup(CQLStartup(compression: compression))
            self.writeFrame(startup.frame(stream: 0, allocator: context.channel.allocator), context: context)
            context.flush()
            // Once the server has STARTUP, frames in both directions may be compressed (section 5).
            self.decoder.compression = compression
            self.encoder.compression = compression
        case .sendAuthResponse(let token):
            let response = CQLRequest.authResponse(CQLAuthResponse(token: token))
            self.writeFrame(response.frame(stream: 0, allocator: context.channel.allocator), context: context)
            context.flush()
        case .handshakeSucceeded:
            self.handshakePromise.succeed(())
            self.lastRead = context.eventLoop.now
            self.scheduleHeartbeat(context: context)
            self.drainWaiting(context: context)
        case .handshakeFailed(let failure):
            let error: any Error
            switch failure {
            case .server(let serverError):
                error = serverError
            case .authenticationRequired(let authenticator):
                error = CQLError(
                    code: .authenticationRequired,
                    message: "the server requires authentication (\(authenticator)) but no credentials are configured"
                )
            case .unexpected(let message):
                error = CQLError(code: .protocolViolation, message: message)
            case .closed:
                error =
                    self.failure
                    ?? CQLError(
                        code: .connectionClosed, message: "the server closed the connection during the handshake")
            }
            if self.failure == nil { self.failure = error }
            self.handshakePromise.fail(error)
            self.failAll(error)
            context.close(promise: nil)
        case .none:
            break
        }
    }

    private func failAll(_ error: any Error) {
        if self.failure == nil { self.failure = error }
        self.handshakePromise.fail(error)
        for pending in self.streams.removeAll() {
            pending.timeout?.cancel()
            pending.promise?.fail(error)
        }
        let waiting = self.waitingOrder.compactMap { self.waiting[$0] }
        self.waiting = [:]
        self.waitingOrder.removeAll()
        for entry in waiting {
            entry.expiry?.cancel()
            entry.task.promise.fail(error)
        }
    }
}
