/// An arbitrary-size integer as the `varint` type carries it: two's complement, big-endian, in as
/// few bytes as keep the sign (section 6.23).
public struct CQLVarint: Sendable, Hashable, CustomStringConvertible {
    /// The minimal two's complement big-endian bytes (at least one byte).
    public private(set) var bytes: [UInt8]

    /// Wraps encoded bytes (an empty array is zero); redundant sign bytes are dropped.
    public init(bytes: [UInt8]) {
        self.bytes = Self.minimal(bytes.isEmpty ? [0] : bytes)
    }

    /// Encodes a 64-bit integer.
    public init(_ value: Int64) {
        var bytes: [UInt8] = []
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> Int64(shift)))
        }
        self.bytes = Self.minimal(bytes)
    }

    /// Parses decimal digits with an optional leading `-` or `+`; nil when not a number.
    public init?(_ text: String) {
        var digits = Substring(text)
        var negative = false
        if digits.first == "-" || digits.first == "+" {
            negative = digits.first == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        var magnitude: [UInt8] = [0]  // big-endian, unsigned
        for character in digits {
            guard let digit = character.wholeNumberValue, character.isASCII else { return nil }
            var carry = digit
            for index in magnitude.indices.reversed() {
                let value = Int(magnitude[index]) * 10 + carry
                magnitude[index] = UInt8(value & 0xFF)
                carry = value >> 8
            }
            while carry > 0 {
                magnitude.insert(UInt8(carry & 0xFF), at: 0)
                carry >>= 8
            }
        }
        var bytes = [UInt8(0)] + magnitude
        if negative { bytes = Self.negated(bytes) }
        self.bytes = Self.minimal(bytes)
    }

    /// Whether the value is below zero.
    public var isNegative: Bool { (self.bytes.first ?? 0) & 0x80 != 0 }

    /// The value when it fits in 64 bits.
    public var int64Value: Int64? {
        guard self.bytes.count <= 8 else { return nil }
        var value: Int64 = self.isNegative ? -1 : 0
        for byte in self.bytes { value = value << 8 | Int64(byte) }
        return value
    }

    /// The value in decimal digits.
    public var description: String {
        if let value = self.int64Value { return String(value) }
        var magnitude = self.isNegative ? Self.negated(self.bytes) : self.bytes
        var digits: [Character] = []
        while magnitude.contains(where: { $0 != 0 }) {
            var remainder = 0
            for index in magnitude.indices {
                let value = remainder << 8 | Int(magnitude[index])
                magnitude[index] = UInt8(value / 10)
                remainder = value % 10
            }
            digits.append(Character(String(remainder)))
        }
        if digits.isEmpty { return "0" }
        return (self.isNegative ? "-" : "") + String(digits.reversed())
    }

    /// Two's complement negation of big-endian bytes (one extra sign byte is kept by the caller).
    static func negated(_ bytes: [UInt8]) -> [UInt8] {
        var result = bytes.map { ~$0 }
        var index = result.count - 1
        while index >= 0 {
            let (sum, overflow) = result[index].addingReportingOverflow(1)
            result[index] = sum
            if !overflow { break }
            index -= 1
        }
        return result
    }

    /// Drops leading bytes that only repeat the sign.
    static func minimal(_ bytes: [UInt8]) -> [UInt8] {
        var start = 0
        while start < bytes.count - 1 {
            let current = bytes[start]
            let nextHighBit = bytes[start + 1] & 0x80
            if (current == 0x00 && nextHighBit == 0) || (current == 0xFF && nextHighBit != 0) {
                start += 1
            } else {
                break
            }
        }
        return Array(bytes[start...])
    }
}

/// A `decimal`: an unscaled varint and a scale; the value is `unscaled × 10^-scale` (section 6.6).
public struct CQLDecimal: Sendable, Hashable, CustomStringConvertible {
    /// The number of digits after the decimal point.
    public var scale: Int32
    /// The digits without the point.
    public var unscaled: CQLVarint

    /// Creates a decimal.
    public init(unscaled: CQLVarint, scale: Int32) {
        self.unscaled = unscaled
        self.scale = scale
    }

    /// Parses `-12.345` style text (no exponent); nil when not a number.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
            let unscaled = CQLVarint(String(parts[0]) + fraction)
        else { return nil }
        self.unscaled = unscaled
        self.scale = Int32(fraction.count)
    }

    /// The value in plain decimal notation (`E` notation for a negative scale).
    public var description: String {
        let digits = self.unscaled.description
        if self.scale <= 0 { return self.scale == 0 ? digits : "\(digits)E\(-self.scale)" }
        let negative = digits.hasPrefix("-")
        var magnitude = negative ? String(digits.dropFirst()) : digits
        let scale = Int(self.scale)
        if magnitude.count <= scale {
            magnitude = String(repeating: "0", count: scale - magnitude.count + 1) + magnitude
        }
        let point = magnitude.index(magnitude.endIndex, offsetBy: -scale)
        return (negative ? "-" : "") + magnitude[..<point] + "." + magnitude[point...]
    }
}
