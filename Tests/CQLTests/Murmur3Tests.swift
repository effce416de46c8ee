import Testing

@testable import CQL

/// Token vectors for Cassandra's Murmur3Partitioner.
///
/// Where they come from: every value below was computed with `cassandra.murmur3.murmur3` of the DataStax
/// Python driver 3.30.1 (from PyPI; the driver uses it for token-aware routing against real clusters),
/// and agrees with a reading of Cassandra's `MurmurHash.hash3_x64_128`. The keys were chosen to cover an
/// empty key, tails of 1, 3 and 5 bytes, tail bytes ≥ 0x80 (the signed-byte quirk), a key of one full
/// 16-byte block plus a tail, and a 43-byte key (two blocks plus an 11-byte tail that reaches `k2`).
@Suite("Murmur3 tokens")
struct Murmur3Tests {
    static let vectors: [([UInt8], Int64)] = [
        ([], 0),
        (Array("a".utf8), -8_839_064_797_231_613_815),
        (Array("123".utf8), -7_468_325_962_851_647_638),
        (Array("hello".utf8), -3_758_069_500_696_749_310),
        ([0xFF], -4_442_228_696_663_692_417),
        ([0x80, 0x81, 0x82], 4_805_209_697_930_042_770),
        (Array("The quick brown fox jumps over the lazy dog".utf8), -2_068_352_364_225_029_268),
        (Array("0123456789abcdef0".utf8), -1_502_884_478_548_852_619),
    ]

    @Test("tokens match the reference values", arguments: vectors.indices)
    func token(index: Int) {
        let (key, expected) = Self.vectors[index]
        #expect(Murmur3.token(key) == expected)
    }

    @Test("the signed-byte quirk changes the token of a tail byte ≥ 0x80")
    func signedTail() {
        // With unsigned tail bytes 0xFF would hash like 0x00000000000000FF; Cassandra sign-extends it.
        #expect(Murmur3.token([0xFF]) != Murmur3.token([0x7F]))
        #expect(Murmur3.token([0xFF]) == -4_442_228_696_663_692_417)
    }
}
