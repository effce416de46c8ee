import NIOCore
import Testing

@testable import CQL

/// Hostile or corrupt input must give an error, never a crash or a hang.
@Suite("Decoder robustness")
struct DecoderRobustnessTests {
    static let seeds: [[UInt8]] = [
        responseFrame(stream: 1, opcode: 0x08, body: ResponseDecodingTests.rowsWithGlobalSpec),
        responseFrame(stream: 1, opcode: 0x08, body: ResponseDecodingTests.preparedBody),
        responseFrame(
            stream: 1, opcode: 0x00, body: int(0x1300) + str("rf") + hex("0005") + int(1) + int(3) + int(2) + [1]),
        responseFrame(
            stream: -1, opcode: 0x0C, body: str("TOPOLOGY_CHANGE") + str("NEW_NODE") + [4, 10, 0, 0, 7] + int(9042)),
        responseFrame(stream: 0, opcode: 0x06, body: short(1) + str("COMPRESSION") + short(1) + str("lz4")),
        responseFrame(
            stream: 2, opcode: 0x08, flags: 0x0E, body: [UInt8](repeating: 1, count: 16) + short(0) + short(0) + int(1)),
    ]

    /// Decodes a frame and every cell of every row; returns whether it all decoded.
    static func exercise(_ bytes: [UInt8]) -> Bool {
        var decoder = CQLFrameDecoder(maximumBodyLength: 1 << 20, compression: .lz4)
        var buffer = ByteBuffer(bytes: bytes)
        do {
            while let frame = try decoder.decodeFrame(from: &buffer) {
                let response = try CQLResponse.decode(frame)
                if case .result(.rows(let rows)) = response.message {
                    for row in rows.rows {
                        for index in row.cells.indices { _ = try? row.value(at: index) }
                    }
                }
            }
            return true
        } catch {
            return false
        }
    }

    @Test("random byte flips, truncations and length changes of valid frames never crash")
    func mutations() {
        var generator = SplitMix64(seed: 42)
        var failures = 0
        for round in 0..<4_000 {
            var bytes = Self.seeds[round % Self.seeds.count]
            let edits = Int(generator.next() % 4) + 1
            for _ in 0..<edits {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: generator.next())
                case 1: bytes = Array(bytes.prefix(max(position, 9)))
                default: bytes[position] ^= 0x80
                }
            }
            if bytes.count >= 9 {
                // Keep the header's length in step with the body sometimes, so the body parsers see the damage.
                if generator.next() % 2 == 0 {
                    let length = UInt32(bytes.count - 9)
                    bytes[5] = UInt8(length >> 24)
                    bytes[6] = UInt8(length >> 16 & 0xFF)
                    bytes[7] = UInt8(length >> 8 & 0xFF)
                    bytes[8] = UInt8(length & 0xFF)
                }
            }
            if !Self.exercise(bytes) { failures += 1 }
        }
        #expect(failures > 0)  // the damage was noticed somewhere, and nothing crashed
    }

    @Test("random bytes as values of every type give a value or an error")
    func randomValues() {
        let types: [CQLDataType] = [
            .ascii, .bigint, .blob, .boolean, .counter, .decimal, .double, .float, .int, .timestamp, .uuid, .varchar,
            .varint, .timeuuid, .inet, .date, .time, .smallint, .tinyint, .duration, .list(.int), .set(.varchar),
            .map(.varchar, .list(.bigint)), .tuple([.int, .varchar]),
            .udt(keyspace: "k", name: "u", fields: [.init(name: "a", type: .map(.int, .int))]),
        ]
        var generator = SplitMix64(seed: 7)
        var decoded = 0
        for round in 0..<6_000 {
            let count = Int(generator.next() % 24)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if (try? CQLValue.decode(ByteBuffer(bytes: bytes), as: types[round % types.count])) != nil { decoded += 1 }
        }
        #expect(decoded > 0)
    }

    @Test("a type nested 1,000 levels deep is refused")
    func deepType() {
        var buffer = ByteBuffer(
            bytes: Array([[UInt8]](repeating: [0x00, 0x20], count: 1_000).joined()) + [0x00, 0x09])
        #expect(throws: CQLDecodingError.self) { try CQLDataType.decode(from: &buffer) }
    }

    @Test("rows claimed without columns, and huge counts over few bytes, are errors")
    func hostileCounts() {
        let noColumns = int(2) + int(0) + int(0) + int(Int32.max)
        #expect(!Self.exercise(responseFrame(stream: 1, opcode: 0x08, body: noColumns)))
        let hugeColumns = int(2) + int(0x0004) + int(Int32.max) + int(1) + int(0)
        #expect(!Self.exercise(responseFrame(stream: 1, opcode: 0x08, body: hugeColumns)))
        let hugeList = int(Int32.max)
        #expect(throws: CQLDecodingError.self) { try CQLValue.decode(ByteBuffer(bytes: hugeList), as: .list(.int)) }
    }
}
