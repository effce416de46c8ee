import NIOCore

/// A frame body compression algorithm negotiated in STARTUP (section 5).
///
/// Only LZ4 is implemented (`snappy` is optional on servers and absent from Cassandra 4).
public struct CQLCompression: Sendable, Hashable, CustomStringConvertible {
    private enum Algorithm: Sendable, Hashable {
        case lz4
    }

    private let algorithm: Algorithm

    /// LZ4: the body is a 4-byte big-endian uncompressed length followed by one LZ4 block.
    public static let lz4 = CQLCompression(algorithm: .lz4)

    /// The value of STARTUP's `COMPRESSION` option, e.g. `lz4`.
    public var name: String {
        switch self.algorithm {
        case .lz4: "lz4"
        }
    }

    /// The option name.
    public var description: String { self.name }

    /// Compresses a frame body.
    public func compress(_ body: ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer {
        switch self.algorithm {
        case .lz4:
            let input = Array(body.readableBytesView)
            let block = LZ4.compress(input)
            var output = allocator.buffer(capacity: block.count + 4)
            output.writeInteger(Int32(truncatingIfNeeded: input.count), endianness: .big)
            output.writeBytes(block)
            return output
        }
    }

    /// Decompresses a frame body.
    /// - Throws: ``CQLDecodingError`` when the body is malformed or expands past `maximumLength`.
    public func decompress(_ body: ByteBuffer, maximumLength: Int) throws -> ByteBuffer {
        switch self.algorithm {
        case .lz4:
            var body = body
            guard let length = body.readInteger(endianness: .big, as: Int32.self), length >= 0 else {
                throw CQLDecodingError.truncated("LZ4 body length")
            }
            guard Int(length) <= maximumLength else {
                throw CQLDecodingError("LZ4 body expands to \(length) bytes, over the limit of \(maximumLength)")
            }
            do {
                let output = try LZ4.decompress(Array(body.readableBytesView), uncompressedLength: Int(length))
                return ByteBuffer(bytes: output)
            } catch {
                throw CQLDecodingError("LZ4 body: \(error.message)")
            }
        }
    }
}
