import NIOConcurrencyHelpers
import NIOCore

@testable import CQL

/// Builds bytes from hex text (spaces ignored) and from pieces, for vectors written from the spec.
func hex(_ text: String) -> [UInt8] {
    let digits = text.filter { !$0.isWhitespace }
    var bytes: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        bytes.append(UInt8(digits[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

/// `[string]`: 2-byte length + UTF-8.
func str(_ s: String) -> [UInt8] { short(s.utf8.count) + Array(s.utf8) }
/// `[long string]`.
func longStr(_ s: String) -> [UInt8] { int(Int32(s.utf8.count)) + Array(s.utf8) }
/// `[short]`.
func short(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
/// `[int]`.
func int(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
/// `[long]`.
func long(_ v: Int64) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
/// `[bytes]`.
func bytes(_ b: [UInt8]) -> [UInt8] { int(Int32(b.count)) + b }

/// A response frame (version 0x84) as bytes.
func responseFrame(stream: Int16, opcode: UInt8, flags: UInt8 = 0, body: [UInt8]) -> [UInt8] {
    [0x84, flags] + short(Int(UInt16(bitPattern: stream))) + [opcode] + int(Int32(body.count)) + body
}

/// A request frame (version 0x04) as bytes.
func requestFrame(stream: Int16, opcode: UInt8, flags: UInt8 = 0, body: [UInt8]) -> [UInt8] {
    [0x04, flags] + short(Int(UInt16(bitPattern: stream))) + [opcode] + int(Int32(body.count)) + body
}

/// Encodes a request as a frame and returns its bytes.
func encoded(_ request: CQLRequest, stream: Int16 = 0) -> [UInt8] {
    var buffer = ByteBuffer()
    CQLFrameEncoder().encode(request.frame(stream: stream), into: &buffer)
    return Array(buffer.readableBytesView)
}

/// Decodes one response frame from bytes.
func decodeResponse(_ bytes: [UInt8]) throws -> CQLResponse {
    var buffer = ByteBuffer(bytes: bytes)
    var decoder = CQLFrameDecoder()
    guard let frame = try decoder.decodeFrame(from: &buffer) else { throw CQLDecodingError("partial") }
    return try CQLResponse.decode(frame)
}

/// The STARTUP body this client sends without compression.
let startupBody: [UInt8] = short(1) + str("CQL_VERSION") + str("3.0.0")

/// The result of work started in the background, readable without waiting (nil until it finishes), so a test can
/// wait for it with a deadline instead of hanging when it never finishes.
final class Outcome<Value: Sendable>: Sendable {
    private let box = NIOLockedValueBox<Result<Value, any Error>?>(nil)

    /// Starts `body` in a task.
    init(_ body: @escaping @Sendable () async throws -> Value) {
        Task { [box] in
            do {
                let value = try await body()
                box.withLockedValue { $0 = .success(value) }
            } catch {
                box.withLockedValue { $0 = .failure(error) }
            }
        }
    }

    /// The result, once finished.
    var result: Result<Value, any Error>? { self.box.withLockedValue { $0 } }

    /// The error it failed with, once finished (nil while running or after a success).
    var error: (any Error)? {
        guard case .failure(let error) = self.result else { return nil }
        return error
    }
}
