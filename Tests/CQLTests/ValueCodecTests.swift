import Foundation
import NIOCore
import Testing

@testable import CQL

/// Type vectors from sections 6 and 7 of the protocol v4 specification: each value's body bytes, both ways.
/// The duration, decimal, varint (including ±2^64/2^127), date and time vectors match the serializers of the
/// DataStax Python driver 3.30.1 (`cassandra.cqltypes`).
@Suite("Value codec")
struct ValueCodecTests {
    static func body(_ value: CQLValue) -> [UInt8] {
        var buffer = ByteBuffer()
        value.encodeBody(into: &buffer)
        return Array(buffer.readableBytesView)
    }

    static func decode(_ bytes: [UInt8], _ type: CQLDataType) throws -> CQLValue {
        try CQLValue.decode(ByteBuffer(bytes: bytes), as: type)
    }

    static let uuid = UUID(uuidString: "6BA7B810-9DAD-11D1-80B4-00C04FD430C8")!

    static let vectors: [(CQLValue, CQLDataType, [UInt8])] = [
        (.ascii("hi"), .ascii, [0x68, 0x69]),
        (.bigint(-2), .bigint, hex("FFFFFFFFFFFFFFFE")),
        (.blob([0, 1, 255]), .blob, [0, 1, 255]),
        (.boolean(true), .boolean, [1]),
        (.boolean(false), .boolean, [0]),
        (.counter(5), .counter, hex("0000000000000005")),
        (.date(daysSinceEpoch: 0), .date, hex("80000000")),
        (.date(daysSinceEpoch: -1), .date, hex("7FFFFFFF")),
        (.decimal(CQLDecimal(unscaled: CQLVarint(12345), scale: 2)), .decimal, hex("00000002 3039")),
        (.double(1.5), .double, hex("3FF8000000000000")),
        (.float(-2), .float, hex("C0000000")),
        (.inet(CQLInet("127.0.0.1")!), .inet, [127, 0, 0, 1]),
        (.inet(CQLInet("::1")!), .inet, [UInt8](repeating: 0, count: 15) + [1]),
        (.int(-129), .int, hex("FFFFFF7F")),
        (.smallint(258), .smallint, hex("0102")),
        (.text("é"), .varchar, [0xC3, 0xA9]),
        (.time(86_399_999_999_999), .time, hex("00004E94914EFFFF")),
        (.timestamp(1_700_000_000_123), .timestamp, hex("0000018BCFE5687B")),
        (.timeuuid(uuid), .timeuuid, hex("6BA7B8109DAD11D180B400C04FD430C8")),
        (.tinyint(-1), .tinyint, [0xFF]),
        (.uuid(uuid), .uuid, hex("6BA7B8109DAD11D180B400C04FD430C8")),
        (.duration(CQLDuration(months: 1, days: 2, nanoseconds: 3)), .duration, [0x02, 0x04, 0x06]),
        (.duration(CQLDuration(months: -1, days: 0, nanoseconds: 1000)), .duration, [0x01, 0x00, 0x87, 0xD0]),
        (.list([.int(1), .int(2)]), .list(.int), int(2) + bytes(int(1)) + bytes(int(2))),
        (.set([.text("a")]), .set(.varchar), int(1) + bytes([0x61])),
        (
            .map([CQLMapEntry(key: .text("k"), value: .bigint(1))]), .map(.varchar, .bigint),
            int(1) + bytes([0x6B]) + bytes(long(1))
        ),
        (.tuple([.int(1), .null]), .tuple([.int, .varchar]), bytes(int(1)) + int(-1)),
        (
            .udt([CQLUDTField(name: "street", value: .text("x")), CQLUDTField(name: "n", value: .null)]),
            .udt(
                keyspace: "ks", name: "addr",
                fields: [.init(name: "street", type: .varchar), .init(name: "n", type: .int)]),
            bytes([0x78]) + int(-1)
        ),
        (.custom("com.example.T", [9, 9]), .custom("com.example.T"), [9, 9]),
    ]

    @Test("every type encodes to and decodes from its section 6 bytes", arguments: vectors.indices)
    func roundTrip(index: Int) throws {
        let (value, type, bytes) = Self.vectors[index]
        #expect(Self.body(value) == bytes)
        #expect(try Self.decode(bytes, type) == value)
    }

    @Test(
        "varint examples of section 6.23",
        arguments: [
            (0, "00"), (1, "01"), (127, "7F"), (128, "0080"), (129, "0081"), (-1, "FF"), (-128, "80"), (-129, "FF7F"),
        ] as [(Int64, String)])
    func varint(value: Int64, encoding: String) throws {
        #expect(CQLVarint(value).bytes == hex(encoding))
        #expect(CQLVarint(bytes: hex(encoding)).int64Value == value)
        #expect(CQLVarint(String(value))?.bytes == hex(encoding))
    }

    @Test("varints beyond 64 bits keep every digit")
    func bigVarint() throws {
        let text = "-170141183460469231731687303715884105728"  // -2^127
        let varint = try #require(CQLVarint(text))
        #expect(varint.bytes == [0x80] + [UInt8](repeating: 0, count: 15))
        #expect(varint.description == text)
        #expect(varint.int64Value == nil)
        let positive = try #require(CQLVarint("18446744073709551616"))  // 2^64
        #expect(positive.bytes == [0x01] + [UInt8](repeating: 0, count: 8))
        #expect(positive.description == "18446744073709551616")
        #expect(CQLVarint("12a") == nil)
    }

    @Test("decimals print with their scale")
    func decimalText() throws {
        #expect(CQLDecimal(unscaled: CQLVarint(12345), scale: 2).description == "123.45")
        #expect(CQLDecimal(unscaled: CQLVarint(-5), scale: 3).description == "-0.005")
        #expect(CQLDecimal("-0.005") == CQLDecimal(unscaled: CQLVarint(-5), scale: 3))
    }

    @Test(
        "vints use leading one bits for extra bytes",
        arguments: [
            (0, "00"), (63, "7E"), (-64, "7F"), (64, "8080"), (-1, "01"), (1, "02"), (Int64.max, "FFFFFFFFFFFFFFFFFE"),
            (Int64.min, "FFFFFFFFFFFFFFFFFF"),
        ] as [(Int64, String)])
    func vint(value: Int64, encoding: String) throws {
        var buffer = ByteBuffer()
        buffer.writeCQLVInt(value)
        #expect(Array(buffer.readableBytesView) == hex(encoding))
        #expect(try buffer.readCQLVInt() == value)
    }

    @Test("null is length -1, unset is length -2, empty text is length 0")
    func nullUnsetEmpty() {
        for (value, expected) in [
            (CQLValue.null, int(-1)), (.unset, int(-2)), (.text(""), int(0)), (.int(7), int(4) + int(7)),
        ] {
            var buffer = ByteBuffer()
            value.encodeAsValue(into: &buffer)
            #expect(Array(buffer.readableBytesView) == expected)
        }
        #expect(Optional<String>.none.cqlValue == .unset)
        #expect(Optional("x").cqlValue == .text("x"))
    }

    @Test("a null cell is null, an empty cell of a fixed-size type is null, an empty text is empty")
    func nullCells() throws {
        #expect(try CQLValue.decode(nil, as: .int) == .null)
        #expect(try Self.decode([], .int) == .null)
        #expect(try Self.decode([], .varchar) == .text(""))
        #expect(throws: CQLDecodingError.self) { try Self.decode([1, 2, 3], .int) }
        #expect(throws: CQLDecodingError.self) { try Self.decode([1, 2, 3], .uuid) }
        #expect(throws: CQLDecodingError.self) { try Self.decode(int(5), .list(.int)) }
    }

    @Test("type options round trip, nested")
    func typeOptions() throws {
        let types: [CQLDataType] = [
            .map(.varchar, .list(.tuple([.int, .uuid]))),
            .udt(keyspace: "ks", name: "u", fields: [.init(name: "a", type: .set(.inet))]),
            .duration,
        ]
        for type in types {
            var buffer = ByteBuffer()
            type.encode(into: &buffer)
            #expect(try CQLDataType.decode(from: &buffer) == type)
            #expect(buffer.readableBytes == 0)
        }
        var list = ByteBuffer(bytes: hex("0020 0009"))
        #expect(try CQLDataType.decode(from: &list) == .list(.int))
    }

    @Test("values are converted to prepared marker types and range-checked")
    func coercion() throws {
        #expect(try CQLValue.bigint(5).coerced(to: .int) == .int(5))
        #expect(try CQLValue.bigint(1_700_000_000_000).coerced(to: .timestamp) == .timestamp(1_700_000_000_000))
        #expect(try CQLValue.text("a").coerced(to: .ascii) == .ascii("a"))
        #expect(try CQLValue.unset.coerced(to: .int) == .unset)
        #expect(throws: CQLValueError.self) { try CQLValue.bigint(1 << 40).coerced(to: .int) }
    }

    @Test("Swift types read typed values")
    func swiftTypes() throws {
        #expect(try Int(cqlValue: .int(4)) == 4)
        #expect(try Double(cqlValue: .float(0.5)) == 0.5)
        #expect(try [Int32](cqlValue: .list([.int(1)])) == [1])
        #expect(try [String: Int64](cqlValue: .map([CQLMapEntry(key: .text("a"), value: .bigint(2))])) == ["a": 2])
        #expect(try UUID(cqlValue: .timeuuid(Self.uuid)) == Self.uuid)
        #expect(throws: CQLValueError.self) { try String(cqlValue: .int(1)) }
        #expect(throws: CQLValueError.self) { try String(cqlValue: .null) }
    }
}
