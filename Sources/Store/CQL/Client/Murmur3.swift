/// Cassandra's Murmur3 partitioner hash: MurmurHash3 x64 128-bit with seed 0, as `MurmurHash.hash3_x64_128`
/// computes it, including its quirk: the tail bytes (length mod 16) are read as *signed* Java bytes, so a
/// byte ≥ 0x80 is sign-extended before it is shifted in. The token is the first 64-bit half, with
/// `Int64.min` mapped to `Int64.max` (the partitioner's `normalize`).
public enum Murmur3 {
    private static let c1: UInt64 = 0x87c3_7b91_1142_53d5
    private static let c2: UInt64 = 0x4cf5_ad43_2745_937f

    /// The token of a partition key (its serialized bytes, or the composite routing key).
    public static func token<Bytes: Collection>(_ key: Bytes) -> Int64 where Bytes.Element == UInt8 {
        let hash = Int64(bitPattern: self.hash128(Array(key)).0)
        return hash == .min ? .max : hash
    }

    /// Both 64-bit halves of the hash, as Cassandra computes them.
    public static func hash128(_ key: [UInt8], seed: UInt64 = 0) -> (UInt64, UInt64) {
        let length = key.count
        let blockCount = length / 16
        var h1 = seed
        var h2 = seed

        func block(_ offset: Int) -> UInt64 {
            var value: UInt64 = 0
            for index in 0..<8 { value |= UInt64(key[offset + index]) << UInt64(8 * index) }
            return value
        }

        for blockIndex in 0..<blockCount {
            var k1 = block(blockIndex * 16)
            var k2 = block(blockIndex * 16 + 8)
            k1 = k1 &* c1
            k1 = rotl(k1, 31)
            k1 = k1 &* c2
            h1 ^= k1
            h1 = rotl(h1, 27)
            h1 = h1 &+ h2
            h1 = h1 &* 5 &+ 0x52dc_e729
            k2 = k2 &* c2
            k2 = rotl(k2, 33)
            k2 = k2 &* c1
            h2 ^= k2
            h2 = rotl(h2, 31)
            h2 = h2 &+ h1
            h2 = h2 &* 5 &+ 0x3849_5ab5
        }

        let tail = blockCount * 16
        let remaining = length & 15
        /// A tail byte as Java's `(long) byte`: sign-extended.
        func signed(_ index: Int) -> UInt64 { UInt64(bitPattern: Int64(Int8(bitPattern: key[tail + index]))) }

        var k1: UInt64 = 0
        var k2: UInt64 = 0
        if remaining > 8 {
            for index in stride(from: remaining - 1, through: 8, by: -1) {
                k2 ^= signed(index) << UInt64(8 * (index - 8))
            }
            k2 = k2 &* c2
            k2 = rotl(k2, 33)
            k2 = k2 &* c1
            h2 ^= k2
        }
        if remaining > 0 {
            for index in stride(from: min(remaining, 8) - 1, through: 0, by: -1) {
                k1 ^= signed(index) << UInt64(8 * index)
            }
            k1 = k1 &* c1
            k1 = rotl(k1, 31)
            k1 = k1 &* c2
            h1 ^= k1
        }

        h1 ^= UInt64(length)
        h2 ^= UInt64(length)
        h1 = h1 &+ h2
        h2 = h2 &+ h1
        h1 = fmix(h1)
        h2 = fmix(h2)
        h1 = h1 &+ h2
        h2 = h2 &+ h1
        return (h1, h2)
    }

    private static func rotl(_ value: UInt64, _ shift: UInt64) -> UInt64 {
        (value << shift) | (value >> (64 - shift))
    }

    private static func fmix(_ value: UInt64) -> UInt64 {
        var k = value
        k ^= k >> 33
        k = k &* 0xff51_afd7_ed55_8ccd
        k ^= k >> 33
        k = k &* 0xc4ce_b9fe_1a85_ec53
        k ^= k >> 33
        return k
    }
}
