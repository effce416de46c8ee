/// SplitMix64: a small, fast, deterministic pseudo-random generator (Steele, Lea and Flood, 2014).
///
/// Not for anything secret; it makes the synthetic users reproducible from a seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator state.
    public var state: UInt64

    /// Creates a generator from a state.
    ///
    /// - Parameter state: Any 64-bit value.
    public init(state: UInt64) {
        self.state = state
    }

    /// The next 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(self.state)
    }

    /// A uniform value in `0..<bound` (Lemire's multiply-shift; the tiny bias is irrelevant here).
    @inline(__always)
    mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: UInt64(truncatingIfNeeded: bound).multipliedFullWidth(by: self.next()).high)
    }

    /// The SplitMix64 finaliser: a bijective bit mixer.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// FNV-1a over the UTF-8 bytes of `text`, then mixed: a stable 64-bit seed for a seed string.
    ///
    /// - Parameter text: The seed text.
    /// - Returns: The same value on every run and platform.
    public static func seed(from text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return self.mix(hash)
    }
}
