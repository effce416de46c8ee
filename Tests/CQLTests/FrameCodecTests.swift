import NIOCore
import NIOTestUtils
import Testing

@testable import CQL

@Suite("Frame codec")
struct FrameCodecTests {
    @Test("a READY frame decodes whole, byte by byte and in chunks")
    func readyFrameAllSplits() throws {
        let bytes = responseFrame(stream: 5, opcode: 0x02, body: [])
        #expect(bytes == hex("84 00 0005 02 00000000"))
        let expected = CQLFrame(
            header: .init(version: 0x84, flags: [], stream: 5, opcode: .ready),
            body: ByteBuffer()
        )
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(ByteBuffer(bytes: bytes), [expected])],
            decoderFactory: { CQLFrameDecoder() }
        )
    }

    @Test("several frames with bodies decode in any split")
    func severalFrames() throws {
        let first = responseFrame(stream: 1, opcode: 0x08, body: int(1))
        let second = responseFrame(stream: -1, opcode: 0x0C, body: str("STATUS_CHANGE"))
        let frames = [
            CQLFrame(header: .init(version: 0x84, stream: 1, opcode: .result), body: ByteBuffer(bytes: int(1))),
            CQLFrame(
                header: .init(version: 0x84, stream: -1, opcode: .event), body: ByteBuffer(bytes: str("STATUS_CHANGE"))),
        ]
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(ByteBuffer(bytes: first + second), frames)],
            decoderFactory: { CQLFrameDecoder() }
        )
    }

    @Test("a partial frame gives nil and consumes nothing")
    func partialFrame() throws {
        let bytes = responseFrame(stream: 1, opcode: 0x08, body: int(1))
        var decoder = CQLFrameDecoder()
        for cut in 0..<bytes.count {
            var buffer = ByteBuffer(bytes: bytes[0..<cut])
            #expect(try decoder.decodeFrame(from: &buffer) == nil)
            #expect(buffer.readableBytes == cut)
        }
    }

    @Test("a body over the limit is refused before it arrives")
    func bodyLimit() {
        var decoder = CQLFrameDecoder(maximumBodyLength: 16)
        var buffer = ByteBuffer(bytes: hex("84 00 0001 08 00000011"))
        #expect(throws: CQLDecodingError.self) { try decoder.decodeFrame(from: &buffer) }
        var defaultDecoder = CQLFrameDecoder()
        var huge = ByteBuffer(bytes: hex("84 00 0001 08 10000001"))  // 256 MB + 1
        #expect(throws: CQLDecodingError.self) { try defaultDecoder.decodeFrame(from: &huge) }
    }

    @Test("an unknown protocol version is refused")
    func badVersion() {
        var decoder = CQLFrameDecoder()
        var buffer = ByteBuffer(bytes: hex("86 00 0001 08 00000000"))
        #expect(throws: CQLDecodingError.self) { try decoder.decodeFrame(from: &buffer) }
    }

    @Test("the encoder writes the 9-byte header with version 0x04")
    func encodeHeader() {
        let bytes = encoded(.options, stream: 0x0102)
        #expect(bytes == hex("04 00 0102 05 00000000"))
    }

    @Test("warnings, tracing id and custom payload are read before the message")
    func prelude() throws {
        let tracing: [UInt8] = Array(0..<16)
        let body = tracing + short(2) + str("w1") + str("w2") + short(1) + str("k") + bytes([9]) + int(1)
        let response = try decodeResponse(responseFrame(stream: 3, opcode: 0x08, flags: 0x02 | 0x04 | 0x08, body: body))
        #expect(response.warnings == ["w1", "w2"])
        #expect(response.tracingID?.uuidString == "00010203-0405-0607-0809-0A0B0C0D0E0F")
        #expect(response.customPayload["k"]??.readableBytes == 1)
        guard case .result(.void) = response.message else {
            Issue.record("expected Void, got \(response.message)")
            return
        }
    }

    @Test("a warning alone is surfaced")
    func warningOnly() throws {
        let body = short(1) + str("Batch too large") + int(1)
        let response = try decodeResponse(responseFrame(stream: 0, opcode: 0x08, flags: 0x08, body: body))
        #expect(response.warnings == ["Batch too large"])
    }

    @Test("LZ4-compressed frames decode when compression was negotiated")
    func compressedFrame() throws {
        let plain = int(2) + int(4) + int(0) + int(0)  // Rows, No_metadata, 0 columns, 0 rows
        let body = CQLCompression.lz4.compress(ByteBuffer(bytes: plain), allocator: ByteBufferAllocator())
        let frame = responseFrame(stream: 1, opcode: 0x08, flags: 0x01, body: Array(body.readableBytesView))
        var decoder = CQLFrameDecoder(compression: .lz4)
        var buffer = ByteBuffer(bytes: frame)
        let decoded = try #require(try decoder.decodeFrame(from: &buffer))
        #expect(Array(decoded.body.readableBytesView) == plain)
        #expect(!decoded.header.flags.contains(.compression))
        var uncompressedDecoder = CQLFrameDecoder()
        var again = ByteBuffer(bytes: frame)
        #expect(throws: CQLDecodingError.self) { try uncompressedDecoder.decodeFrame(from: &again) }
    }

    @Test("the encoder compresses all but STARTUP and OPTIONS")
    func encoderCompression() throws {
        let encoder = CQLFrameEncoder(compression: .lz4)
        var startup = ByteBuffer()
        encoder.encode(CQLRequest.startup(CQLStartup(compression: .lz4)).frame(stream: 0), into: &startup)
        #expect(startup.getInteger(at: 1, as: UInt8.self) == 0)
        var query = ByteBuffer()
        let request = CQLRequest.query(CQLQuery(query: "SELECT * FROM t", parameters: .init(consistency: .one)))
        encoder.encode(request.frame(stream: 1), into: &query)
        #expect(query.getInteger(at: 1, as: UInt8.self) == 1)
        var decoder = CQLFrameDecoder(compression: .lz4)
        let frame = try #require(try decoder.decodeFrame(from: &query))
        #expect(Array(frame.body.readableBytesView) == Array(encoded(request, stream: 1).dropFirst(9)))
    }
}
