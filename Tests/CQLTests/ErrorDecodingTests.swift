import NIOCore
import Testing

@testable import CQL

/// Every error code of section 9, with the code-specific details written from the specification.
@Suite("ERROR decoding")
struct ErrorDecodingTests {
    /// Builds an ERROR body.
    static func errorBody(_ code: Int32, _ message: String, _ extra: [UInt8] = []) -> [UInt8] {
        int(code) + str(message) + extra
    }

    static func decodeError(_ body: [UInt8]) throws -> CQLServerError {
        let response = try decodeResponse(responseFrame(stream: 9, opcode: 0x00, body: body))
        guard case .error(let error) = response.message else { throw CQLDecodingError("not an ERROR") }
        return error
    }

    static let plainCodes: [(Int32, CQLServerError.Code, String)] = [
        (0x0000, .serverError, "Server_error"),
        (0x000A, .protocolError, "Protocol_error"),
        (0x0100, .authenticationError, "Authentication_error"),
        (0x1001, .overloaded, "Overloaded"),
        (0x1002, .isBootstrapping, "Is_bootstrapping"),
        (0x1003, .truncateError, "Truncate_error"),
        (0x2000, .syntaxError, "Syntax_error"),
        (0x2100, .unauthorized, "Unauthorized"),
        (0x2200, .invalid, "Invalid"),
        (0x2300, .configError, "Config_error"),
    ]

    @Test("codes without details decode with code and message", arguments: plainCodes.indices)
    func plain(index: Int) throws {
        let (raw, code, name) = Self.plainCodes[index]
        let error = try Self.decodeError(Self.errorBody(raw, "boom"))
        #expect(error.code == code)
        #expect(error.code.rawValue == raw)
        #expect(error.code.description == name)
        #expect(error.message == "boom")
        #expect(error.consistency == nil)
    }

    @Test("Unavailable: cl, required, alive")
    func unavailable() throws {
        let error = try Self.decodeError(Self.errorBody(0x1000, "u", hex("0006") + int(2) + int(1)))
        #expect(error.code == .unavailable)
        #expect(error.consistency == .localQuorum)
        #expect(error.required == 2)
        #expect(error.alive == 1)
        #expect(error.isTransient)
    }

    @Test("Write_timeout: cl, received, blockfor, writeType")
    func writeTimeout() throws {
        let error = try Self.decodeError(Self.errorBody(0x1100, "wt", hex("0004") + int(1) + int(2) + str("SIMPLE")))
        #expect(error.code == .writeTimeout)
        #expect(error.consistency == .quorum)
        #expect(error.received == 1)
        #expect(error.blockFor == 2)
        #expect(error.writeType == "SIMPLE")
    }

    @Test("Read_timeout: cl, received, blockfor, data_present")
    func readTimeout() throws {
        let error = try Self.decodeError(Self.errorBody(0x1200, "rt", hex("0001") + int(0) + int(1) + [0]))
        #expect(error.code == .readTimeout)
        #expect(error.consistency == .one)
        #expect(error.received == 0)
        #expect(error.blockFor == 1)
        #expect(error.dataPresent == false)
    }

    @Test("Read_failure: cl, received, blockfor, numfailures, data_present")
    func readFailure() throws {
        let error = try Self.decodeError(Self.errorBody(0x1300, "rf", hex("0005") + int(1) + int(3) + int(2) + [1]))
        #expect(error.code == .readFailure)
        #expect(error.consistency == .all)
        #expect(error.numFailures == 2)
        #expect(error.dataPresent == true)
    }

    @Test("Function_failure: keyspace, function, arg types")
    func functionFailure() throws {
        let error = try Self.decodeError(Self.errorBody(0x1400, "ff", str("ks") + str("fn") + short(1) + str("int")))
        #expect(error.code == .functionFailure)
        #expect(error.keyspace == "ks")
        #expect(error.function == "fn")
        #expect(error.argumentTypes == ["int"])
    }

    @Test("Write_failure: cl, received, blockfor, numfailures, writeType")
    func writeFailure() throws {
        let error = try Self.decodeError(
            Self.errorBody(0x1500, "wf", hex("000A") + int(0) + int(1) + int(1) + str("BATCH_LOG")))
        #expect(error.code == .writeFailure)
        #expect(error.consistency == .localOne)
        #expect(error.numFailures == 1)
        #expect(error.writeType == "BATCH_LOG")
    }

    @Test("Already_exists: keyspace and table (empty for a keyspace)")
    func alreadyExists() throws {
        let error = try Self.decodeError(Self.errorBody(0x2400, "ae", str("user_data") + str("")))
        #expect(error.code == .alreadyExists)
        #expect(error.keyspace == "user_data")
        #expect(error.table == "")
    }

    @Test("Unprepared: the unknown id")
    func unprepared() throws {
        let error = try Self.decodeError(Self.errorBody(0x2500, "up", short(2) + [0xBE, 0xEF]))
        #expect(error.code == .unprepared)
        #expect(error.unpreparedID == [0xBE, 0xEF])
    }

    @Test("an unknown code keeps its number")
    func unknown() throws {
        let error = try Self.decodeError(Self.errorBody(0x1700, "new"))
        #expect(error.code.rawValue == 0x1700)
        #expect(error.code.description == "0x1700")
    }

    @Test("a truncated detail is a decoding error, not a crash")
    func truncated() {
        #expect(throws: CQLDecodingError.self) { try Self.decodeError(Self.errorBody(0x1000, "u", hex("0006"))) }
    }
}
