/// A JSON number with its text kept exactly as in the input.
///
/// - ``int64`` is exact for an integer literal (no fraction, no exponent) in Int64's range;
/// - ``double`` is the nearest `Double` (±infinity when the magnitude is too large);
/// - ``isIntegerLiteral`` and ``isIntegralFloat`` tell `54` from `54.0` / `5.4e1`;
/// - ``text`` keeps big integers and every other number exactly.
public struct JSONNumber: Hashable, Sendable, CustomStringConvertible {
    /// The number's text, exactly as in the input (ASCII).
    public let text: String
    /// Whether the text has no fraction and no exponent (`-12`, `123456789012345678901234567890`).
    public let isIntegerLiteral: Bool

    /// Creates a number from its JSON text; nil when `text` does not follow RFC 8259's number grammar.
    public init?(_ text: String) {
        var parser = JSONParser()
        let bytes = Array(text.utf8)
        let parsed: JSONNumber? = bytes.withUnsafeBytes { buffer in
            guard let document = try? parser.parse(buffer) else { return nil }
            return document.root.number
        }
        guard let parsed else { return nil }
        self = parsed
    }

    @usableFromInline
    init(text: String, isIntegerLiteral: Bool) {
        self.text = text
        self.isIntegerLiteral = isIntegerLiteral
    }

    /// The exact value of an integer literal in Int64's range, else nil (also nil for `5.0`).
    public var int64: Int64? {
        guard isIntegerLiteral else { return nil }
        var copy = text
        return copy.withUTF8 { JSONNumber.parseInt64(UnsafeRawBufferPointer($0)) }
    }

    /// The nearest `Double`; ±infinity when out of range.
    public var double: Double {
        var copy = text
        return copy.withUTF8 { JSONNumber.parseDouble(UnsafeRawBufferPointer($0)) }
    }

    /// Whether the number has a fraction or exponent but an integral, finite value (`54.0`, `5.4e1`).
    public var isIntegralFloat: Bool {
        guard !isIntegerLiteral else { return false }
        let d = double
        return JSONNumber.isIntegral(d)
    }

    /// The number's text.
    public var description: String { text }

    /// Whether a Double is finite and has no fraction (no libm call).
    @inlinable
    public static func isIntegral(_ d: Double) -> Bool {
        guard d.isFinite else { return false }
        if d.magnitude >= 4_503_599_627_370_496 { return true }  // 2^52: every such Double is an integer
        return Double(Int64(d)) == d
    }

    /// Parses `[+-]?[0-9]+` exactly; nil on overflow, an empty text or any other byte.
    public static func parseInt64(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        var i = 0
        let n = bytes.count
        var negative = false
        if n > 0 && bytes[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
        } else if n > 0 && bytes[0] == UInt8(ascii: "+") {
            i = 1
        }
        guard i < n else { return nil }
        var magnitude: UInt64 = 0
        while i < n {
            let d = bytes[i] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            guard !o1 && !o2 else { return nil }
            magnitude = s
            i += 1
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses a decimal number (`[+-]?digits[.digits][e[+-]digits]`, or `.5`, `12.`) to the nearest
    /// Double. Uses the exact fast path when the digits fit 2^53 and the power of ten is at most 22,
    /// else the standard library's correctly rounded conversion. NaN for text that is not such a number.
    public static func parseDouble(_ bytes: UnsafeRawBufferPointer) -> Double {
        parseDecimal(bytes) ?? .nan
    }

    /// Like ``parseDouble(_:)`` but nil when the text is not a decimal number.
    public static func parseDecimal(_ bytes: UnsafeRawBufferPointer) -> Double? {
        let n = bytes.count
        var i = 0
        var negative = false
        if i < n && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var significant = 0
        var exponent = 0
        var sawDigit = false
        var exact = true
        while i < n, bytes[i] &- UInt8(ascii: "0") < 10 {
            let d = UInt64(bytes[i] &- UInt8(ascii: "0"))
            sawDigit = true
            if mantissa != 0 || d != 0 { significant += 1 }
            if significant <= 19 { mantissa = mantissa &* 10 &+ d } else { exponent += 1; if d != 0 { exact = false } }
            digits += 1
            i += 1
        }
        if i < n && bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, bytes[i] &- UInt8(ascii: "0") < 10 {
                let d = UInt64(bytes[i] &- UInt8(ascii: "0"))
                sawDigit = true
                if mantissa != 0 || d != 0 { significant += 1 }
                if significant <= 19 { mantissa = mantissa &* 10 &+ d; exponent -= 1 } else if d != 0 { exact = false }
                digits += 1
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < n && (bytes[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < n && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < n else { return nil }
            var e = 0
            while i < n, bytes[i] &- UInt8(ascii: "0") < 10 {
                if e < 100_000 { e = e * 10 + Int(bytes[i] &- UInt8(ascii: "0")) }
                i += 1
            }
            exponent += expNegative ? -e : e
        }
        guard i == n else { return nil }
        if exact && mantissa <= (1 << 53) && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            value = exponent < 0 ? value / powersOfTen[-exponent] : value * powersOfTen[exponent]
            return negative ? -value : value
        }
        // Slow path: the standard library's correctly rounded conversion.
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix(".") { text.append("0") }
        if text.hasPrefix(".") || text.hasPrefix("-.") || text.hasPrefix("+.") {
            text = text.replacingFirstDot()
        }
        if let eIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }), text[text.index(before: eIndex)] == "." {
            text.insert("0", at: eIndex)
        }
        return Double(text)
    }
}

extension String {
    fileprivate func replacingFirstDot() -> String {
        guard let dot = firstIndex(of: ".") else { return self }
        var copy = self
        copy.replaceSubrange(dot ..< index(after: dot), with: "0.")
        return copy
    }
}
