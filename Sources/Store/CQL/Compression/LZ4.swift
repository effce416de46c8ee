/// The LZ4 block format (not the LZ4 frame format): sequences of a token, literals, a 2-byte
/// little-endian match offset and match length extensions.
///
/// A small greedy compressor (one hash table probe per position) and a bounds-checked
/// decompressor. The compressor keeps the format's end-of-block rules: the last five bytes are
/// literals and the last match starts at least twelve bytes before the end.
public enum LZ4 {
    /// Why a block could not be decompressed.
    public struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        /// What was wrong.
        public var message: String
        /// A human-readable description.
        public var description: String { "LZ4: \(self.message)" }
    }

    private static let minimumMatch = 4

    /// Compresses `input` into one LZ4 block.
    public static func compress(_ input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count + input.count / 255 + 16)
        input.withUnsafeBufferPointer { source in
            let count = source.count
            var anchor = 0
            if count >= 13 {
                // A table about the input's size (256 ... 65,536 entries) keeps small frames cheap.
                var hashBits = 8
                while hashBits < 16, 1 << hashBits < count { hashBits += 1 }
                var table = [Int](repeating: -1, count: 1 << hashBits)
                var index = 0
                let lastMatchStart = count - 12
                let matchEndLimit = count - 5
                while index <= lastMatchStart {
                    let sequence = read32(source, index)
                    let hash = Int((sequence &* 2_654_435_761) >> (32 - UInt32(hashBits)))
                    let candidate = table[hash]
                    table[hash] = index
                    if candidate >= 0, index - candidate <= 65535, read32(source, candidate) == sequence {
                        var length = minimumMatch
                        while index + length < matchEndLimit, source[candidate + length] == source[index + length] {
                            length += 1
                        }
                        writeSequence(
                            into: &output,
                            literals: UnsafeBufferPointer(rebasing: source[anchor..<index]),
                            offset: index - candidate,
                            matchLength: length
                        )
                        index += length
                        anchor = index
                    } else {
                        index += 1
                    }
                }
            }
            writeSequence(
                into: &output,
                literals: UnsafeBufferPointer(rebasing: source[anchor..<count]),
                offset: 0,
                matchLength: 0
            )
        }
        return output
    }

    /// Decompresses one LZ4 block that must expand to exactly `uncompressedLength` bytes.
    /// - Throws: ``LZ4/Error`` on a malformed or truncated block, or a different length.
    public static func decompress(_ input: [UInt8], uncompressedLength: Int) throws(LZ4.Error) -> [UInt8] {
        guard uncompressedLength >= 0 else { throw Error(message: "negative length") }
        var output: [UInt8] = []
        output.reserveCapacity(uncompressedLength)
        var index = 0
        let count = input.count
        if count == 0 {
            guard uncompressedLength == 0 else { throw Error(message: "empty block") }
            return output
        }
        while true {
            guard index < count else { throw Error(message: "truncated block") }
            let token = input[index]
            index += 1
            var literalLength = Int(token >> 4)
            if literalLength == 15 {
                while true {
                    guard index < count else { throw Error(message: "truncated literal length") }
                    let byte = input[index]
                    index += 1
                    literalLength += Int(byte)
                    if byte != 255 { break }
                }
            }
            guard literalLength <= count - index else { throw Error(message: "literals run past the block") }
            guard output.count + literalLength <= uncompressedLength else {
                throw Error(message: "output longer than \(uncompressedLength) bytes")
            }
            output.append(contentsOf: input[index..<(index + literalLength)])
            index += literalLength
            if index == count { break }
            guard count - index >= 2 else { throw Error(message: "truncated match offset") }
            let offset = Int(input[index]) | Int(input[index + 1]) << 8
            index += 2
            guard offset > 0, offset <= output.count else {
                throw Error(message: "match offset \(offset) out of range")
            }
            var matchLength = Int(token & 0x0F)
            if matchLength == 15 {
                while true {
                    guard index < count else { throw Error(message: "truncated match length") }
                    let byte = input[index]
                    index += 1
                    matchLength += Int(byte)
                    if byte != 255 { break }
                }
            }
            matchLength += minimumMatch
            guard output.count + matchLength <= uncompressedLength else {
                throw Error(message: "output longer than \(uncompressedLength) bytes")
            }
            var from = output.count - offset
            for _ in 0..<matchLength {
                output.append(output[from])
                from += 1
            }
        }
        guard output.count == uncompressedLength else {
            throw Error(message: "block expanded to \(output.count) bytes, expected \(uncompressedLength)")
        }
        return output
    }

    private static func read32(_ buffer: UnsafeBufferPointer<UInt8>, _ index: Int) -> UInt32 {
        UInt32(buffer[index]) | UInt32(buffer[index + 1]) << 8 | UInt32(buffer[index + 2]) << 16
            | UInt32(buffer[index + 3]) << 24
    }

    private static func writeLengthExtension(into output: inout [UInt8], _ remainder: Int) {
        var remainder = remainder
        while remainder >= 255 {
            output.append(255)
            remainder -= 255
        }
        output.append(UInt8(remainder))
    }

    /// Writes one sequence; `matchLength == 0` writes the final, literals-only sequence.
    private static func writeSequence(
        into output: inout [UInt8],
        literals: UnsafeBufferPointer<UInt8>,
        offset: Int,
        matchLength: Int
    ) {
        let literalNibble = min(literals.count, 15)
        let matchNibble = matchLength == 0 ? 0 : min(matchLength - minimumMatch, 15)
        output.append(UInt8(literalNibble << 4 | matchNibble))
        if literals.count >= 15 { writeLengthExtension(into: &output, literals.count - 15) }
        output.append(contentsOf: literals)
        guard matchLength > 0 else { return }
        output.append(UInt8(offset & 0xFF))
        output.append(UInt8(offset >> 8))
        if matchLength - minimumMatch >= 15 { writeLengthExtension(into: &output, matchLength - minimumMatch - 15) }
    }
}
