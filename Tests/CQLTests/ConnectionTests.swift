import TestWaiting
import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import CQL

/// The test plays the server on an `NIOAsyncTestingChannel` and checks the exact bytes the client sends.
struct TestServer {
    let channel: NIOAsyncTestingChannel
    var decoder = CQLFrameDecoder()

    init(channel: NIOAsyncTestingChannel) { self.channel = channel }

    /// The next frame the client wrote.
    mutating func nextRequest() async throws -> CQLFrame {
        var buffer = try await self.channel.waitForOutboundWrite(as: ByteBuffer.self)
        let frame = try #require(try self.decoder.decodeFrame(from: &buffer))
        #expect(buffer.readableBytes == 0)
        #expect(frame.header.version == 0x04)
        return frame
    }

    /// Answers on a stream.
    func respond(stream: Int16, opcode: UInt8, flags: UInt8 = 0, body: [UInt8]) async throws {
        try await self.channel.writeInbound(
            ByteBuffer(bytes: responseFrame(stream: stream, opcode: opcode, flags: flags, body: body)))
    }

    /// Opens a connection, answering STARTUP with READY.
    static func connect(
        configuration: CQLConnection.Configuration = .init()
    ) async throws -> (TestServer, CQLConnection) {
        let channel = NIOAsyncTestingChannel()
        try await channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 9042))
        var server = TestServer(channel: channel)
        async let connection = CQLConnection.start(
            channel: channel, configuration: configuration, host: "127.0.0.1:9042", logger: Logger(label: "test")
        )
        let startup = try await server.nextRequest()
        #expect(startup.header.opcode == .startup)
        #expect(startup.header.stream == 0)
        try await server.respond(stream: 0, opcode: 0x02, body: [])
        return (server, try await connection)
    }
}

/// A Rows body with one text column `v` (global spec ks.t) and the given values.
func textRows(_ values: [String], pagingState: [UInt8]? = nil) -> [UInt8] {
    let flags: Int32 = 0x0001 | (pagingState == nil ? 0 : 0x0002)
    var body = int(2) + int(flags) + int(1)
    if let pagingState { body += bytes(pagingState) }
    body += str("ks") + str("t") + str("v") + short(0x000D) + int(Int32(values.count))
    for value in values { body += bytes(Array(value.utf8)) }
    return body
}

@Suite("Connection")
struct ConnectionTests {
    @Test("handshake without authentication: STARTUP (exact bytes) then READY")
    func handshakeNoAuth() async throws {
        let channel = NIOAsyncTestingChannel()
        try await channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 9042))
        let server = TestServer(channel: channel)
        async let connection = CQLConnection.start(
            channel: channel, configuration: .init(), host: "h", logger: Logger(label: "test")
        )
        let bytes = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        #expect(Array(bytes.readableBytesView) == requestFrame(stream: 0, opcode: 0x01, body: startupBody))
        try await server.respond(stream: 0, opcode: 0x02, body: [])
        let open = try await connection
        #expect(open.isActive)
    }

    @Test("handshake with PasswordAuthenticator: STARTUP → AUTHENTICATE → AUTH_RESPONSE \\0user\\0pass → AUTH_SUCCESS")
    func handshakeAuth() async throws {
        let channel = NIOAsyncTestingChannel()
        try await channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 9042))
        var server = TestServer(channel: channel)
        let configuration = CQLConnection.Configuration(credentials: .init(username: "user", password: "pass"))
        async let connection = CQLConnection.start(
            channel: channel, configuration: configuration, host: "h", logger: Logger(label: "test")
        )
        let startup = try await server.nextRequest()
        #expect(startup.header.opcode == .startup)
        try await server.respond(stream: 0, opcode: 0x03, body: str("org.apache.cassandra.auth.PasswordAuthenticator"))
        let auth = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        let token: [UInt8] = [0] + Array("user".utf8) + [0] + Array("pass".utf8)
        #expect(Array(auth.readableBytesView) == requestFrame(stream: 0, opcode: 0x0F, body: bytes(token)))
        try await server.respond(stream: 0, opcode: 0x10, body: int(-1))
        let open = try await connection
        #expect(open.isActive)
        #expect(!"\(configuration)".contains("pass\""))
        #expect(!"\(configuration)".contains(": pass"))
        #expect("\(configuration.credentials!)" == "user (password redacted)")
    }

    @Test("a wrong password fails the connect with Authentication_error")
    func wrongPassword() async throws {
        let channel = NIOAsyncTestingChannel()
        try await channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 9042))
        var server = TestServer(channel: channel)
        async let connection = CQLConnection.start(
            channel: channel, configuration: .init(credentials: .init(username: "u", password: "bad")),
            host: "h", logger: Logger(label: "test")
        )
        _ = try await server.nextRequest()
        try await server.respond(stream: 0, opcode: 0x03, body: str("org.apache.cassandra.auth.PasswordAuthenticator"))
        _ = try await server.nextRequest()
        try await server.respond(
            stream: 0, opcode: 0x00,
            body: int(0x0100) + str("Provided username u and/or password are incorrect")
        )
        do {
            _ = try await connection
            Issue.record("connect should fail")
        } catch let error as CQLServerError {
            #expect(error.code == .authenticationError)
        }
    }

    @Test("AUTHENTICATE without configured credentials fails with a clear error")
    func authWithoutCredentials() async throws {
        let channel = NIOAsyncTestingChannel()
        try await channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 9042))
        var server = TestServer(channel: channel)
        async let connection = CQLConnection.start(
            channel: channel, configuration: .init(), host: "h", logger: Logger(label: "test")
        )
        _ = try await server.nextRequest()
        try await server.respond(stream: 0, opcode: 0x03, body: str("org.apache.cassandra.auth.PasswordAuthenticator"))
        do {
            _ = try await connection
            Issue.record("connect should fail")
        } catch let error as CQLError {
            #expect(error.code == .authenticationRequired)
        }
    }

    @Test("answers on several streams in any order reach their own callers")
    func outOfOrder() async throws {
        var (server, connection) = try await TestServer.connect()
        async let a = connection.query("SELECT 'a'")
        async let b = connection.query("SELECT 'b'")
        async let c = connection.query("SELECT 'c'")
        var requests: [CQLFrame] = []
        for _ in 0..<3 { requests.append(try await server.nextRequest()) }
        #expect(Set(requests.map(\.header.stream)).count == 3)
        // Answer in reverse order, each with the letter of its query.
        for request in requests.reversed() {
            var body = request.body
            let query = try body.readCQLLongString()
            let letter = String(query.dropFirst(8).prefix(1))
            try await server.respond(stream: request.header.stream, opcode: 0x08, body: textRows([letter]))
        }
        let results = try await [a, b, c]
        #expect(try results.map { try $0.rows[0].decode(String.self, column: "v") } == ["a", "b", "c"])
    }

    @Test("QUERY bytes on the wire: long string, consistency, flags, values")
    func queryBytes() async throws {
        var (server, connection) = try await TestServer.connect()
        async let result = connection.query(
            "INSERT INTO t (k, v) VALUES (?, ?)", ["k1", Optional<String>.none],
            options: .init(consistency: .one, pageSize: nil, defaultTimestamp: 7)
        )
        let request = try await server.nextRequest()
        let expected =
            longStr("INSERT INTO t (k, v) VALUES (?, ?)") + hex("0001") + [0x01 | 0x20]
            + short(2) + bytes(Array("k1".utf8)) + int(-2) + long(7)
        #expect(Array(request.body.readableBytesView) == expected)
        try await server.respond(stream: request.header.stream, opcode: 0x08, body: int(1))
        guard case .void = try await result.result else {
            Issue.record("expected Void")
            return
        }
    }

    @Test("UNPREPARED on EXECUTE re-prepares the same text and executes again")
    func reprepare() async throws {
        var (server, connection) = try await TestServer.connect()
        let cql = "SELECT v FROM ks.t WHERE k = ?"
        async let prepared = connection.prepare(cql)
        let prepare = try await server.nextRequest()
        #expect(Array(prepare.body.readableBytesView) == longStr(cql))
        let preparedBody =
            int(4) + short(1) + [0xAA] + int(1) + int(1) + int(1) + short(0)
            + str("ks") + str("t") + str("k") + short(0x000D)
            + int(1) + int(1) + str("ks") + str("t") + str("v") + short(0x000D)
        try await server.respond(stream: prepare.header.stream, opcode: 0x08, body: preparedBody)
        let statement = try await prepared
        #expect(statement.id == [0xAA])
        #expect(statement.partitionKeyIndices == [0])

        async let executed = connection.execute(
            statement, [.text("key")], options: .init(consistency: .one, pageSize: nil))
        let execute1 = try await server.nextRequest()
        let executeBody = short(1) + [0xAA] + hex("0001") + [0x01 | 0x02] + short(1) + bytes(Array("key".utf8))
        #expect(execute1.header.opcode == .execute)
        #expect(Array(execute1.body.readableBytesView) == executeBody)
        try await server.respond(
            stream: execute1.header.stream, opcode: 0x00, body: int(0x2500) + str("unknown") + short(1) + [0xAA])
        let prepare2 = try await server.nextRequest()
        #expect(prepare2.header.opcode == .prepare)
        #expect(Array(prepare2.body.readableBytesView) == longStr(cql))
        try await server.respond(stream: prepare2.header.stream, opcode: 0x08, body: preparedBody)
        let execute2 = try await server.nextRequest()
        #expect(Array(execute2.body.readableBytesView) == executeBody)
        // skip_metadata was asked, so the server answers with No_metadata rows.
        try await server.respond(
            stream: execute2.header.stream, opcode: 0x08,
            body: int(2) + int(0x0004) + int(1) + int(1) + bytes(Array("hello".utf8))
        )
        let result = try await executed
        #expect(try result.rows[0].decode(String.self, column: "v") == "hello")
    }

    @Test("paging across three pages sends each paging state back and stops after the last")
    func paging() async throws {
        var (server, connection) = try await TestServer.connect()
        let pages: [([String], [UInt8]?)] = [(["1", "2"], [0x01]), (["3", "4"], [0x02]), (["5"], nil)]
        let collector = Task {
            try await connection.rows("SELECT v FROM ks.t", options: .init(consistency: .one, pageSize: 2)).collect()
        }
        var previousState: [UInt8]?
        for (values, state) in pages {
            let request = try await server.nextRequest()
            var expected =
                longStr("SELECT v FROM ks.t") + hex("0001") + [0x04 | (previousState == nil ? 0 : 0x08)] + int(2)
            if let previousState { expected += bytes(previousState) }
            #expect(Array(request.body.readableBytesView) == expected)
            try await server.respond(
                stream: request.header.stream, opcode: 0x08, body: textRows(values, pagingState: state))
            previousState = state
        }
        let rows = try await collector.value
        #expect(try rows.map { try $0.decode(String.self, column: "v") } == ["1", "2", "3", "4", "5"])
    }

    @Test(
        "every error code reaches the caller as a CQLServerError with its code",
        arguments: [
            0x0000, 0x000A, 0x0100, 0x1001, 0x1002, 0x1003, 0x2000, 0x2100, 0x2200, 0x2300,
        ] as [Int32])
    func errorCodes(code: Int32) async throws {
        var (server, connection) = try await TestServer.connect()
        async let result = connection.query("SELECT 1")
        let request = try await server.nextRequest()
        try await server.respond(stream: request.header.stream, opcode: 0x00, body: int(code) + str("failed"))
        do {
            _ = try await result
            Issue.record("expected an error")
        } catch let error as CQLServerError {
            #expect(error.code.rawValue == code)
            #expect(error.message == "failed")
        }
        // The connection keeps working after an error.
        async let next = connection.query("SELECT 2")
        let second = try await server.nextRequest()
        try await server.respond(stream: second.header.stream, opcode: 0x08, body: int(1))
        _ = try await next
    }

    @Test("errors with details reach the caller with their details")
    func errorDetails() async throws {
        var (server, connection) = try await TestServer.connect()
        let bodies: [[UInt8]] = [
            int(0x1000) + str("u") + hex("0006") + int(3) + int(1),
            int(0x1100) + str("wt") + hex("0006") + int(1) + int(2) + str("SIMPLE"),
            int(0x1200) + str("rt") + hex("0006") + int(1) + int(2) + [1],
            int(0x1300) + str("rf") + hex("0006") + int(1) + int(2) + int(1) + [0],
            int(0x1400) + str("ff") + str("ks") + str("f") + short(0),
            int(0x1500) + str("wf") + hex("0006") + int(1) + int(2) + int(1) + str("COUNTER"),
            int(0x2400) + str("ae") + str("ks") + str("t"),
            int(0x2500) + str("up") + short(1) + [7],
        ]
        for body in bodies {
            async let result = connection.query("Q")
            let request = try await server.nextRequest()
            try await server.respond(stream: request.header.stream, opcode: 0x00, body: body)
            do {
                _ = try await result
                Issue.record("expected an error")
            } catch let error as CQLServerError {
                #expect(
                    error.code.rawValue == Int32(bigEndian: body.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }))
                #expect(error.consistency != nil || error.keyspace != nil || error.unpreparedID != nil)
            }
        }
    }

    @Test("the server closing mid-request fails every pending request, never hangs")
    func serverCloses() async throws {
        var (server, connection) = try await TestServer.connect()
        let first = Task { try await connection.query("SELECT 1") }
        let second = Task { try await connection.query("SELECT 2") }
        _ = try await server.nextRequest()
        _ = try await server.nextRequest()
        try await server.channel.close()
        for task in [first, second] {
            do {
                _ = try await task.value
                Issue.record("expected connectionClosed")
            } catch let error as CQLError {
                #expect(error.code == .connectionClosed)
            }
        }
        do {
            _ = try await connection.query("SELECT 3")
            Issue.record("expected connectionClosed")
        } catch let error as CQLError {
            #expect(error.code == .connectionClosed)
        }
    }

    @Test("a timed-out request fails, and its stream id is not reused until the late answer arrives")
    func timeoutKeepsStream() async throws {
        var (server, connection) = try await TestServer.connect(configuration: .init(maximumInFlight: 2))
        async let slow = connection.query("SLOW", options: .init(timeout: .milliseconds(100)))
        let slowRequest = try await server.nextRequest()
        await server.channel.testingEventLoop.advanceTime(by: .milliseconds(150))
        do {
            _ = try await slow
            Issue.record("expected a timeout")
        } catch let error as CQLError {
            #expect(error.code == .timeout)
        }
        async let other = connection.query("OTHER")
        let otherRequest = try await server.nextRequest()
        #expect(otherRequest.header.stream != slowRequest.header.stream)
        // Only two ids: a third request waits until an answer frees one.
        async let third = connection.query("THIRD")
        try await server.respond(stream: slowRequest.header.stream, opcode: 0x08, body: int(1))  // late answer: dropped
        let thirdRequest = try await server.nextRequest()
        #expect(thirdRequest.header.stream == slowRequest.header.stream)
        try await server.respond(stream: otherRequest.header.stream, opcode: 0x08, body: textRows(["o"]))
        try await server.respond(stream: thirdRequest.header.stream, opcode: 0x08, body: textRows(["t"]))
        #expect(try await other.rows[0].decode(String.self, column: "v") == "o")
        #expect(try await third.rows[0].decode(String.self, column: "v") == "t")
    }

    @Test("an idle connection sends an OPTIONS heartbeat, and one left unanswered closes the connection")
    func heartbeat() async throws {
        var configuration = CQLConnection.Configuration(requestTimeout: .seconds(5))
        configuration.heartbeatInterval = .seconds(30)
        var (server, connection) = try await TestServer.connect(configuration: configuration)
        await server.channel.testingEventLoop.advanceTime(by: .seconds(31))
        let first = try await server.nextRequest()
        #expect(first.header.opcode == .options)
        #expect(first.body.readableBytes == 0)
        try await server.respond(stream: first.header.stream, opcode: 0x06, body: short(0))  // read at 31 s
        // The check at 60 s finds only 29 s of silence; the one at 90 s sends the next heartbeat.
        await server.channel.testingEventLoop.advanceTime(by: .seconds(61))
        let second = try await server.nextRequest()
        #expect(second.header.opcode == .options)
        await server.channel.testingEventLoop.advanceTime(by: .seconds(6))  // no SUPPORTED within the timeout
        try await server.channel.closeFuture.get()
        #expect(!connection.isActive)
    }

    @Test("too many unanswered (timed-out) requests close the connection")
    func orphans() async throws {
        var configuration = CQLConnection.Configuration()
        configuration.maximumOrphanedRequests = 2
        configuration.heartbeatInterval = nil
        var (server, connection) = try await TestServer.connect(configuration: configuration)
        let first = Task { try await connection.query("A", options: .init(timeout: .seconds(1))) }
        let second = Task { try await connection.query("B", options: .init(timeout: .seconds(1))) }
        _ = try await server.nextRequest()
        _ = try await server.nextRequest()
        await server.channel.testingEventLoop.advanceTime(by: .seconds(2))
        for task in [first, second] {
            do {
                _ = try await task.value
                Issue.record("expected a timeout")
            } catch let error as CQLError {
                #expect(error.code == .timeout)
            }
        }
        try await server.channel.closeFuture.get()
        #expect(!connection.isActive)
    }

    @Test("requests beyond the in-flight limit wait for a free stream id")
    func inFlightLimit() async throws {
        var (server, connection) = try await TestServer.connect(configuration: .init(maximumInFlight: 1))
        async let a = connection.query("A")
        let first = try await server.nextRequest()
        async let b = connection.query("B")
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await server.channel.readOutbound(as: ByteBuffer.self) == nil)
        try await server.respond(stream: first.header.stream, opcode: 0x08, body: int(1))
        let second = try await server.nextRequest()
        #expect(second.header.stream == first.header.stream)
        try await server.respond(stream: second.header.stream, opcode: 0x08, body: int(1))
        _ = try await (a, b)
    }

    /// How many requests wait in the connection's handler for the handshake or a free stream id.
    static func waitingCount(_ channel: NIOAsyncTestingChannel) async throws -> Int {
        try await channel.testingEventLoop.executeInContext {
            try channel.pipeline.syncOperations.handler(type: CQLChannelHandler.self).waitingCount
        }
    }

    /// A connection with one stream id and a 1 s request timeout: request SENT is on the wire (`first`), and
    /// WAITING waits in the handler for its stream id.
    static func requestWaitingForStreamID() async throws -> (
        server: TestServer, sent: Outcome<CQLQueryResult>, first: CQLFrame, waiting: Outcome<CQLQueryResult>
    ) {
        var configuration = CQLConnection.Configuration(maximumInFlight: 1, requestTimeout: .seconds(1))
        configuration.heartbeatInterval = nil
        var (server, open) = try await TestServer.connect(configuration: configuration)
        let connection = open
        let sent = Outcome { try await connection.query("SENT") }
        let first = try await server.nextRequest()
        let waiting = Outcome { try await connection.query("WAITING") }
        #expect(try await eventually { try await Self.waitingCount(server.channel) == 1 })
        return (server, sent, first, waiting)
    }

    @Test("a request waiting for a free stream id fails with timeout at its deadline and is never sent")
    func streamWaitTimesOut() async throws {
        let (server, sent, first, waiting) = try await Self.requestWaitingForStreamID()
        await server.channel.testingEventLoop.advanceTime(by: .milliseconds(999))
        #expect(try await Self.waitingCount(server.channel) == 1)
        await server.channel.testingEventLoop.advanceTime(by: .milliseconds(2))  // the server never answers
        #expect(await eventually { waiting.result != nil && sent.result != nil })
        for outcome in [sent, waiting] {
            #expect((outcome.error as? CQLError)?.code == .timeout, "\(String(describing: outcome.result))")
        }
        #expect("\(waiting.error.map { "\($0)" } ?? "")".contains("no free stream id"))
        #expect(try await Self.waitingCount(server.channel) == 0)
        // The late answer frees the id; the expired request is not sent after all.
        try await server.respond(stream: first.header.stream, opcode: 0x08, body: int(1))
        #expect(try await server.channel.readOutbound(as: ByteBuffer.self) == nil)
        try await server.channel.close()
    }

    @Test("a request that waited for a stream id has only the rest of its timeout once sent")
    func streamWaitCountsTowardsTimeout() async throws {
        let (waitingServer, sent, first, waiting) = try await Self.requestWaitingForStreamID()
        var server = waitingServer
        await server.channel.testingEventLoop.advanceTime(by: .milliseconds(600))
        try await server.respond(stream: first.header.stream, opcode: 0x08, body: int(1))
        let second = try await server.nextRequest()  // sent 600 ms after it was handed over
        #expect(second.header.stream == first.header.stream)
        #expect(await eventually { sent.result != nil })
        #expect(throws: Never.self) { try sent.result?.get() }
        await server.channel.testingEventLoop.advanceTime(by: .milliseconds(401))
        #expect(await eventually { waiting.result != nil })
        #expect((waiting.error as? CQLError)?.code == .timeout)
        try await server.channel.close()
    }

    @Test("REGISTER then EVENT frames on stream -1 arrive on the events stream")
    func events() async throws {
        var (server, connection) = try await TestServer.connect()
        async let registered: Void = connection.register()
        let register = try await server.nextRequest()
        #expect(register.header.opcode == .register)
        try await server.respond(stream: register.header.stream, opcode: 0x02, body: [])
        try await registered
        try await server.respond(
            stream: -1, opcode: 0x0C, body: str("STATUS_CHANGE") + str("UP") + [4, 127, 0, 0, 2] + int(9042))
        var iterator = connection.events.makeAsyncIterator()
        let event = await iterator.next()
        #expect(event == .statusChange(change: "UP", address: CQLInet(bytes: [127, 0, 0, 2], port: 9042)))
    }

    @Test("warnings are returned with the result")
    func warnings() async throws {
        var (server, connection) = try await TestServer.connect()
        async let result = connection.query("BATCH")
        let request = try await server.nextRequest()
        try await server.respond(
            stream: request.header.stream, opcode: 0x08, flags: 0x08, body: short(1) + str("big batch") + int(1))
        #expect(try await result.warnings == ["big batch"])
    }

    @Test("a server that does not offer lz4 gets a STARTUP without COMPRESSION")
    func compressionNotOffered() async throws {
        let channel = NIOAsyncTestingChannel()
        try await channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 9042))
        var server = TestServer(channel: channel)
        async let open = CQLConnection.start(
            channel: channel, configuration: .init(compression: .lz4), host: "h", logger: Logger(label: "test")
        )
        let options = try await server.nextRequest()
        #expect(options.header.opcode == .options)
        try await server.respond(
            stream: 0, opcode: 0x06, body: short(1) + str("COMPRESSION") + short(1) + str("snappy"))
        let startup = try await server.nextRequest()
        #expect(Array(startup.body.readableBytesView) == startupBody)
        try await server.respond(stream: 0, opcode: 0x02, body: [])
        let connection = try await open
        async let result = connection.query("SELECT 1")
        let raw = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        #expect(raw.getInteger(at: 1, as: UInt8.self) == 0x00)
        try await server.respond(stream: 0, opcode: 0x08, body: int(1))
        _ = try await result
    }

    @Test("BATCH with prepared and string statements, and LZ4 negotiated in STARTUP")
    func batchWithCompression() async throws {
        let channel = NIOAsyncTestingChannel()
        try await channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 9042))
        var server = TestServer(channel: channel)
        server.decoder.compression = .lz4
        async let open = CQLConnection.start(
            channel: channel, configuration: .init(compression: .lz4), host: "h", logger: Logger(label: "test")
        )
        // Compression is wanted: OPTIONS first, and lz4 only because SUPPORTED offers it.
        let options = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        #expect(Array(options.readableBytesView) == hex("04 00 0000 05 00000000"))
        try await server.respond(
            stream: 0, opcode: 0x06,
            body: short(2) + str("COMPRESSION") + short(2) + str("snappy") + str("lz4") + str("CQL_VERSION") + short(1)
                + str("3.4.5")
        )
        let startup = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        let startupBytes = short(2) + str("CQL_VERSION") + str("3.0.0") + str("COMPRESSION") + str("lz4")
        #expect(Array(startup.readableBytesView) == requestFrame(stream: 0, opcode: 0x01, body: startupBytes))
        // The server may compress its READY.
        let ready = CQLCompression.lz4.compress(ByteBuffer(), allocator: .init())
        try await server.respond(stream: 0, opcode: 0x02, flags: 0x01, body: Array(ready.readableBytesView))
        let connection = try await open
        async let result = connection.batch(
            .unlogged, [.query("INSERT A", [.int(1)])], options: .init(consistency: .one))
        var raw = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        #expect(raw.getInteger(at: 1, as: UInt8.self) == 0x01)
        let frame = try #require(try server.decoder.decodeFrame(from: &raw))
        let expected: [UInt8] =
            [1] + short(1) + [0] + longStr("INSERT A") + short(1) + bytes(int(1)) + hex("0001") + [0]
        #expect(Array(frame.body.readableBytesView) == expected)
        try await server.respond(stream: frame.header.stream, opcode: 0x08, body: int(1))
        _ = try await result
    }
}
