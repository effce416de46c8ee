import NIOCore
import NIOTestUtils
import Testing

@testable import CQL

/// Response vectors written from sections 4.2 and 9 of the protocol v4 specification. The Rows, Prepared,
/// Read_failure and TOPOLOGY_CHANGE vectors were also decoded with the DataStax Python driver 3.30.1
/// (`ProtocolHandler.decode_message`), which read the same values.
@Suite("Response decoding")
struct ResponseDecodingTests {
    static let textType: [UInt8] = short(0x000D)

    @Test("READY, AUTHENTICATE, AUTH_CHALLENGE, AUTH_SUCCESS, SUPPORTED")
    func simpleMessages() throws {
        guard case .ready = try decodeResponse(responseFrame(stream: 0, opcode: 0x02, body: [])).message else {
            Issue.record("READY")
            return
        }
        let authenticator = "org.apache.cassandra.auth.PasswordAuthenticator"
        let auth = try decodeResponse(responseFrame(stream: 0, opcode: 0x03, body: str(authenticator)))
        guard case .authenticate(let a) = auth.message else {
            Issue.record("AUTHENTICATE")
            return
        }
        #expect(a.authenticator == authenticator)
        let challenge = try decodeResponse(responseFrame(stream: 0, opcode: 0x0E, body: bytes([1, 2])))
        guard case .authChallenge(let c) = challenge.message else {
            Issue.record("AUTH_CHALLENGE")
            return
        }
        #expect(c.token == [1, 2])
        let success = try decodeResponse(responseFrame(stream: 0, opcode: 0x10, body: int(-1)))
        guard case .authSuccess(let s) = success.message else {
            Issue.record("AUTH_SUCCESS")
            return
        }
        #expect(s.token == nil)
        let supportedBody =
            short(2) + str("COMPRESSION") + short(2) + str("snappy") + str("lz4")
            + str("CQL_VERSION") + short(1) + str("3.4.5")
        let supported = try decodeResponse(responseFrame(stream: 0, opcode: 0x06, body: supportedBody))
        guard case .supported(let sup) = supported.message else {
            Issue.record("SUPPORTED")
            return
        }
        #expect(sup.options == ["COMPRESSION": ["snappy", "lz4"], "CQL_VERSION": ["3.4.5"]])
    }

    @Test("RESULT Void and Set_keyspace")
    func voidAndKeyspace() throws {
        guard case .result(.void) = try decodeResponse(responseFrame(stream: 1, opcode: 0x08, body: int(1))).message
        else {
            Issue.record("Void")
            return
        }
        let ks = try decodeResponse(responseFrame(stream: 1, opcode: 0x08, body: int(3) + str("user_data")))
        guard case .result(.setKeyspace("user_data")) = ks.message else {
            Issue.record("Set_keyspace")
            return
        }
    }

    static let rowsWithGlobalSpec: [UInt8] =
        int(2)
        + int(0x0001 | 0x0002) + int(2) + bytes([0xCA, 0xFE])
        + str("ks") + str("users") + str("user_id") + textType + str("age") + short(0x0009)
        + int(2)
        + bytes(Array("a".utf8)) + bytes(int(30))
        + bytes(Array("b".utf8)) + int(-1)

    @Test("RESULT Rows with a global table spec, paging state and a null cell")
    func rowsGlobal() throws {
        let response = try decodeResponse(responseFrame(stream: 1, opcode: 0x08, body: Self.rowsWithGlobalSpec))
        guard case .result(.rows(let rows)) = response.message else {
            Issue.record("Rows")
            return
        }
        #expect(rows.pagingState == [0xCA, 0xFE])
        #expect(rows.metadata.columns.map(\.name) == ["user_id", "age"])
        #expect(rows.metadata.columns.allSatisfy { $0.keyspace == "ks" && $0.table == "users" })
        #expect(rows.rows.count == 2)
        #expect(try rows.rows[0].decode(String.self, column: "user_id") == "a")
        #expect(try rows.rows[0].decode(Int32.self, column: "age") == 30)
        #expect(try rows.rows[1].decode(Int32?.self, column: "age") == nil)
        #expect(throws: CQLValueError.self) { try rows.rows[1].decode(Int32.self, column: "age") }
        #expect(throws: CQLValueError.self) { try rows.rows[1].decode(Int32.self, column: "nope") }
    }

    @Test("RESULT Rows decodes in every split of the bytes")
    func rowsSplits() throws {
        let bytes = responseFrame(stream: 1, opcode: 0x08, body: Self.rowsWithGlobalSpec)
        let expected = CQLFrame(
            header: .init(version: 0x84, stream: 1, opcode: .result),
            body: ByteBuffer(bytes: Self.rowsWithGlobalSpec)
        )
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(ByteBuffer(bytes: bytes), [expected])],
            decoderFactory: { CQLFrameDecoder() }
        )
    }

    @Test("RESULT Rows with per-column table specs")
    func rowsPerColumn() throws {
        let body = int(2) + int(0) + int(1) + str("ks") + str("t") + str("n") + short(0x0002) + int(1) + bytes(long(7))
        let response = try decodeResponse(responseFrame(stream: 1, opcode: 0x08, body: body))
        guard case .result(.rows(let rows)) = response.message else {
            Issue.record("Rows")
            return
        }
        #expect(rows.metadata.columns == [CQLColumnSpec(keyspace: "ks", table: "t", name: "n", type: .bigint)])
        #expect(rows.pagingState == nil)
        #expect(try rows.rows[0].decode(Int64.self, at: 0) == 7)
    }

    @Test("RESULT Rows with No_metadata keeps the column count and no specs")
    func rowsNoMetadata() throws {
        let body = int(2) + int(0x0004) + int(1) + int(1) + bytes(int(5))
        let response = try decodeResponse(responseFrame(stream: 1, opcode: 0x08, body: body))
        guard case .result(.rows(let rows)) = response.message else {
            Issue.record("Rows")
            return
        }
        #expect(rows.metadata.noMetadata)
        #expect(rows.metadata.columnCount == 1)
        let filled = rows.withColumns([CQLColumnSpec(keyspace: "k", table: "t", name: "x", type: .int)])
        #expect(try filled.rows[0].decode(Int32.self, column: "x") == 5)
    }

    static let preparedBody: [UInt8] =
        int(4) + short(2) + [0x0A, 0x0B]
        + int(0x0001) + int(2) + int(1) + short(0)
        + str("ks") + str("users") + str("user_id") + textType + str("age") + short(0x0009)
        + int(0x0004) + int(0)

    @Test("RESULT Prepared with pk indices, bind metadata and empty result metadata")
    func prepared() throws {
        let response = try decodeResponse(responseFrame(stream: 1, opcode: 0x08, body: Self.preparedBody))
        guard case .result(.prepared(let p)) = response.message else {
            Issue.record("Prepared")
            return
        }
        #expect(p.id == [0x0A, 0x0B])
        #expect(p.partitionKeyIndices == [0])
        #expect(p.bindColumns.map(\.type) == [.varchar, .int])
        #expect(p.resultMetadata.columns.isEmpty)
    }

    @Test("RESULT Schema_change for keyspace, table and function")
    func schemaChange() throws {
        let keyspace = int(5) + str("CREATED") + str("KEYSPACE") + str("user_data")
        let table = int(5) + str("UPDATED") + str("TABLE") + str("user_data") + str("users")
        let function =
            int(5) + str("DROPPED") + str("FUNCTION") + str("ks") + str("f") + short(2) + str("int") + str("text")
        let cases: [([UInt8], CQLSchemaChange)] = [
            (keyspace, .init(changeType: "CREATED", target: "KEYSPACE", keyspace: "user_data")),
            (table, .init(changeType: "UPDATED", target: "TABLE", keyspace: "user_data", name: "users")),
            (
                function,
                .init(
                    changeType: "DROPPED", target: "FUNCTION", keyspace: "ks", name: "f",
                    argumentTypes: ["int", "text"])
            ),
        ]
        for (body, expected) in cases {
            let response = try decodeResponse(responseFrame(stream: 1, opcode: 0x08, body: body))
            guard case .result(.schemaChange(let change)) = response.message else {
                Issue.record("Schema_change")
                continue
            }
            #expect(change == expected)
        }
    }

    @Test("EVENT TOPOLOGY_CHANGE, STATUS_CHANGE and SCHEMA_CHANGE on stream -1")
    func events() throws {
        let inet: [UInt8] = [4, 10, 0, 0, 7] + int(9042)
        let topology = try decodeResponse(
            responseFrame(stream: -1, opcode: 0x0C, body: str("TOPOLOGY_CHANGE") + str("NEW_NODE") + inet))
        #expect(topology.stream == -1)
        guard case .event(.topologyChange("NEW_NODE", let address)) = topology.message else {
            Issue.record("topology")
            return
        }
        #expect(address.description == "10.0.0.7:9042")
        let inet6: [UInt8] = [16] + [UInt8](repeating: 0, count: 15) + [1] + int(9042)
        let status = try decodeResponse(
            responseFrame(stream: -1, opcode: 0x0C, body: str("STATUS_CHANGE") + str("DOWN") + inet6))
        guard case .event(.statusChange("DOWN", let a6)) = status.message else {
            Issue.record("status")
            return
        }
        #expect(a6.description == "[::1]:9042")
        let schema = try decodeResponse(
            responseFrame(
                stream: -1, opcode: 0x0C,
                body: str("SCHEMA_CHANGE") + str("CREATED") + str("TYPE") + str("ks") + str("address")
            ))
        guard case .event(.schemaChange(let change)) = schema.message else {
            Issue.record("schema")
            return
        }
        #expect(change == CQLSchemaChange(changeType: "CREATED", target: "TYPE", keyspace: "ks", name: "address"))
    }
}
