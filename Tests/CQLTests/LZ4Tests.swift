import NIOCore
import Testing

@testable import CQL

/// LZ4 block vectors derived by hand from the block format (token: literal length << 4 | match length - 4;
/// 255-byte length extensions; 2-byte little-endian offsets; the last five bytes are literals). Each was also
/// checked by decompressing it with the reference `lz4` library (python-lz4 4.4.5, `lz4.block.decompress`).
@Suite("LZ4")
struct LZ4Tests {
    @Test("an empty input is one token with no literals")
    func empty() throws {
        #expect(LZ4.compress([]) == [0x00])
        #expect(try LZ4.decompress([0x00], uncompressedLength: 0) == [])
    }

    @Test("short input is all literals")
    func literalsOnly() throws {
        #expect(LZ4.compress(Array("abc".utf8)) == [0x30] + Array("abc".utf8))
        #expect(try LZ4.decompress([0x30] + Array("abc".utf8), uncompressedLength: 3) == Array("abc".utf8))
    }

    @Test("twenty a's: one literal, an overlapping match of 14, five final literals")
    func run() throws {
        let input = [UInt8](repeating: 0x61, count: 20)
        let block = hex("1A 61 0100 50 6161616161")
        #expect(LZ4.compress(input) == block)
        #expect(try LZ4.decompress(block, uncompressedLength: 20) == input)
    }

    @Test("length extensions for literals and matches")
    func extensions() throws {
        let literals = [UInt8](0..<20)
        #expect(try LZ4.decompress([0xF0, 5] + literals, uncompressedLength: 20) == literals)
        // 'a', match offset 1 of 4 + 15 + 3 = 22, then 'bbbbb'.
        let block = hex("1F 61 0100 03 50 6262626262")
        let expected = [UInt8](repeating: 0x61, count: 23) + [UInt8](repeating: 0x62, count: 5)
        #expect(try LZ4.decompress(block, uncompressedLength: 28) == expected)
    }

    @Test("malformed blocks throw instead of crashing")
    func malformed() {
        #expect(throws: LZ4.Error.self) { try LZ4.decompress([0x1A, 0x61, 0x05, 0x00, 0x50], uncompressedLength: 20) }
        #expect(throws: LZ4.Error.self) { try LZ4.decompress([0xF0], uncompressedLength: 20) }
        #expect(throws: LZ4.Error.self) { try LZ4.decompress([0x30, 0x61], uncompressedLength: 3) }
        #expect(throws: LZ4.Error.self) { try LZ4.decompress([0x30] + Array("abc".utf8), uncompressedLength: 2) }
        #expect(throws: LZ4.Error.self) { try LZ4.decompress([], uncompressedLength: 1) }
    }

    @Test(
        "round trips of text, repeats, random bytes and sizes around the end-of-block rules",
        arguments: [
            0, 1, 4, 5, 11, 12, 13, 16, 64, 1000, 70_000, 300_000,
        ])
    func roundTrip(size: Int) throws {
        var generator = SplitMix64(seed: UInt64(size))
        let random = (0..<size).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let text = Array(
            String(repeating: "user_id text PRIMARY KEY, first_name text, ", count: size / 40 + 1).utf8.prefix(size))
        let mixed = (0..<size).map { i in i % 97 < 60 ? UInt8(i % 7) : UInt8(truncatingIfNeeded: generator.next()) }
        for input in [random, text, mixed] {
            let block = LZ4.compress(input)
            #expect(try LZ4.decompress(block, uncompressedLength: input.count) == input)
        }
        if size >= 1000 { #expect(LZ4.compress(text).count < text.count / 4) }
    }

    @Test("the frame body form is a big-endian length then the block")
    func bodyForm() throws {
        let body = CQLCompression.lz4.compress(
            ByteBuffer(bytes: [UInt8](repeating: 0x61, count: 20)), allocator: .init())
        #expect(Array(body.readableBytesView) == hex("00000014 1A 61 0100 50 6161616161"))
        let back = try CQLCompression.lz4.decompress(body, maximumLength: 100)
        #expect(Array(back.readableBytesView) == [UInt8](repeating: 0x61, count: 20))
        #expect(throws: CQLDecodingError.self) { try CQLCompression.lz4.decompress(body, maximumLength: 10) }
    }
}

/// A small deterministic generator for test data.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
