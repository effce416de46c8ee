/// Integers as decimal text, written through a pointer: the one integer-to-decimal routine of the package
/// (JSON numbers, RFC 3339 fields, the synthetic users' numbers).
///
/// Both functions write into room the caller has sized; nothing is checked or allocated, so they suit encoders that
/// size their output once (``JSONWriter/writeInt(_:into:)`` wraps them for a `[UInt8]`).
public enum DecimalDigits {
    /// The most bytes ``write(_:to:)`` writes: 20 (`-9223372036854775808`).
    public static let maxCount = 20

    /// Writes `value` in decimal, with a `-` first when it is negative.
    ///
    /// - Parameters:
    ///   - value: Any `Int64`, `Int64.min` included.
    ///   - destination: Room for ``maxCount`` bytes.
    /// - Returns: How many bytes were written.
    @inlinable
    public static func write(_ value: Int64, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        var start = destination
        if value < 0 {
            start.pointee = UInt8(ascii: "-")
            start += 1
        }
        let magnitude = value.magnitude
        var digits = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        self.write(magnitude, width: digits, to: start)
        return start + digits - destination
    }

    /// Writes the last `width` decimal digits of `value`, padded with leading zeros (`7` in width 3 is `007`).
    ///
    /// - Parameters:
    ///   - value: A non-negative value; digits beyond `width` are dropped.
    ///   - width: How many digits to write.
    ///   - destination: Room for `width` bytes.
    @inlinable
    public static func write(_ value: UInt64, width: Int, to destination: UnsafeMutablePointer<UInt8>) {
        var rest = value
        var index = width - 1
        while index >= 0 {
            destination[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
            index -= 1
        }
    }
}
