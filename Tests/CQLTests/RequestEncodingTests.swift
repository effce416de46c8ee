import NIOCore
import Testing

@testable import CQL

/// Request vectors written from sections 3 and 4.1 of the protocol v4 specification. The STARTUP, QUERY (all
/// options), BATCH and REGISTER vectors were also checked byte for byte against the encoder of the DataStax
/// Python driver 3.30.1 (`cassandra.protocol.ProtocolHandler.encode_message`, protocol version 4).
@Suite("Request encoding")
struct RequestEncodingTests {
    @Test("STARTUP is a string map with CQL_VERSION 3.0.0")
    func startup() {
        #expect(encoded(.startup(CQLStartup())) == requestFrame(stream: 0, opcode: 0x01, body: startupBody))
        #expect(startupBody == hex("0001 000B") + Array("CQL_VERSION".utf8) + hex("0005") + Array("3.0.0".utf8))
    }

    @Test("STARTUP with compression adds COMPRESSION lz4")
    func startupCompression() {
        let body = short(2) + str("CQL_VERSION") + str("3.0.0") + str("COMPRESSION") + str("lz4")
        #expect(encoded(.startup(CQLStartup(compression: .lz4))) == requestFrame(stream: 0, opcode: 0x01, body: body))
    }

    @Test("OPTIONS has an empty body")
    func options() {
        #expect(encoded(.options, stream: 7) == hex("04 00 0007 05 00000000"))
    }

    @Test("AUTH_RESPONSE for PasswordAuthenticator is SASL PLAIN: \\0user\\0password")
    func authResponse() {
        let request = CQLRequest.authResponse(.plain(username: "cassandra", password: "secret"))
        let token: [UInt8] = [0] + Array("cassandra".utf8) + [0] + Array("secret".utf8)
        #expect(encoded(request) == requestFrame(stream: 0, opcode: 0x0F, body: bytes(token)))
        #expect(
            encoded(.authResponse(CQLAuthResponse(token: nil))) == requestFrame(stream: 0, opcode: 0x0F, body: int(-1)))
    }

    @Test("QUERY without values: long string, consistency, flags 0")
    func queryPlain() {
        let request = CQLRequest.query(CQLQuery(query: "SELECT 1", parameters: .init(consistency: .one)))
        let body = longStr("SELECT 1") + hex("0001") + [0x00]
        #expect(encoded(request, stream: 2) == requestFrame(stream: 2, opcode: 0x07, body: body))
    }

    @Test("QUERY with every option writes them in the order of section 4.1.4")
    func queryAllOptions() {
        let parameters = CQLQueryParameters(
            consistency: .localQuorum,
            values: [.int(1), .null, .unset],
            pageSize: 100,
            pagingState: [0xAB, 0xCD],
            serialConsistency: .localSerial,
            defaultTimestamp: 1_700_000_000_000_000
        )
        let request = CQLRequest.query(CQLQuery(query: "Q", parameters: parameters))
        let body =
            longStr("Q") + hex("0006") + [0x01 | 0x04 | 0x08 | 0x10 | 0x20]
            + short(3) + int(4) + int(1) + int(-1) + int(-2)
            + int(100) + bytes([0xAB, 0xCD]) + hex("0009") + long(1_700_000_000_000_000)
        #expect(encoded(request, stream: 1) == requestFrame(stream: 1, opcode: 0x07, body: body))
    }

    @Test("QUERY with named values sets flag 0x40 and writes a name before each value")
    func queryNamed() {
        let parameters = CQLQueryParameters(consistency: .one, values: [.text("a")], names: ["k"], skipMetadata: true)
        let request = CQLRequest.query(CQLQuery(query: "Q", parameters: parameters))
        let body = longStr("Q") + hex("0001") + [0x01 | 0x02 | 0x40] + short(1) + str("k") + bytes(Array("a".utf8))
        #expect(encoded(request) == requestFrame(stream: 0, opcode: 0x07, body: body))
    }

    @Test("PREPARE is a long string")
    func prepare() {
        let request = CQLRequest.prepare(CQLPrepare(query: "SELECT * FROM t WHERE k = ?"))
        #expect(encoded(request) == requestFrame(stream: 0, opcode: 0x09, body: longStr("SELECT * FROM t WHERE k = ?")))
    }

    @Test("EXECUTE is short bytes id then the query parameters")
    func execute() {
        let parameters = CQLQueryParameters(consistency: .quorum, values: [.bigint(-2)], skipMetadata: true)
        let request = CQLRequest.execute(CQLExecute(id: [1, 2, 3], parameters: parameters))
        let body = short(3) + [1, 2, 3] + hex("0004") + [0x03] + short(1) + int(8) + long(-2)
        #expect(encoded(request) == requestFrame(stream: 0, opcode: 0x0A, body: body))
    }

    @Test("BATCH of a query string and a prepared id, logged and unlogged and counter")
    func batch() {
        let statements: [CQLBatch.Statement] = [
            .init(target: .query("INSERT 1"), values: []),
            .init(target: .prepared([0xAA]), values: [.text("x"), .unset]),
        ]
        for (kind, byte) in [(CQLBatch.Kind.logged, UInt8(0)), (.unlogged, 1), (.counter, 2)] {
            let request = CQLRequest.batch(
                CQLBatch(
                    kind: kind, statements: statements, consistency: .one, defaultTimestamp: 42
                ))
            let body =
                [byte] + short(2)
                + [0] + longStr("INSERT 1") + short(0)
                + [1] + short(1) + [0xAA] + short(2) + bytes(Array("x".utf8)) + int(-2)
                + hex("0001") + [0x20] + long(42)
            #expect(encoded(request) == requestFrame(stream: 0, opcode: 0x0D, body: body))
        }
    }

    @Test("BATCH with serial consistency sets flag 0x10")
    func batchSerial() {
        let request = CQLRequest.batch(
            CQLBatch(kind: .logged, statements: [], consistency: .quorum, serialConsistency: .serial))
        let body: [UInt8] = [0] + short(0) + hex("0004") + [0x10] + hex("0008")
        #expect(encoded(request) == requestFrame(stream: 0, opcode: 0x0D, body: body))
    }

    @Test("REGISTER is a string list of event types")
    func register() {
        let request = CQLRequest.register(CQLRegister())
        let body = short(3) + str("TOPOLOGY_CHANGE") + str("STATUS_CHANGE") + str("SCHEMA_CHANGE")
        #expect(encoded(request) == requestFrame(stream: 0, opcode: 0x0B, body: body))
    }
}
