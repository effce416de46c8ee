extension JSONParser {
    /// The bytes of an 8-byte word (little-endian) that need a closer look in a string — `"`, `\`, a
    /// control character or a non-ASCII byte — as a mask of their high bits. Borrows can only set bits
    /// above a true hit, so the lowest set bit is exact.
    @inline(__always)
    static func attentionMask(_ w: UInt64) -> UInt64 {
        (w & 0x8080_8080_8080_8080) | escapeMask(w)
    }

    /// The bytes of an 8-byte word that a JSON string cannot hold as they are — `"`, `\` or a control character
    /// (bytes ≥ 0x80 are not flagged) — as a mask of their high bits; the lowest set bit is exact.
    @inline(__always)
    static func escapeMask(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        let control = (w &- ones &* 0x20) & ~w
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        return (control | hasQuote | hasBackslash) & 0x8080_8080_8080_8080
    }

    /// Scans a string whose opening quote is at `start`; appends its entry and returns the index after
    /// the closing quote.
    mutating func scanString(_ base: UnsafePointer<UInt8>, _ start: Int, _ n: Int) throws(JSONParseError) -> Int {
        var i = start + 1
        var flags: UInt8 = 0
        let raw = UnsafeRawPointer(base)
        while true {
            // Skip plain ASCII eight bytes at a time, then jump straight to the first byte that matters.
            while i + 8 <= n {
                let mask = Self.attentionMask(
                    UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                if mask != 0 {
                    i += mask.trailingZeroBitCount >> 3
                    break
                }
                i += 8
            }
            guard i < n else { throw JSONParseError(code: .unexpectedEnd, offset: i) }
            let b = base[i]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                flags = TapeEntry.hasEscapes
                i = try Self.scanEscape(base, i, n, validatesUnicode: validatesUnicode)
            } else if b < 0x20 {
                throw JSONParseError(code: .controlCharacterInString, offset: i)
            } else if b < 0x80 || !validatesUnicode {
                i += 1
            } else {
                i = try Self.scanUTF8Sequence(base, i, n)
            }
        }
        tape.append(TapeEntry(start: start + 1, end: i, next: tape.count + 1, kind: .string, flags: flags))
        return i + 1
    }

    /// Checks the escape whose backslash is at `start`; returns the index after it (after both escapes of a
    /// surrogate pair). A lone surrogate is an error when `validatesUnicode`, else a one-unit escape.
    static func scanEscape(
        _ base: UnsafePointer<UInt8>, _ start: Int, _ n: Int, validatesUnicode: Bool
    ) throws(JSONParseError) -> Int {
        let i = start + 1
        guard i < n else { throw JSONParseError(code: .unexpectedEnd, offset: i) }
        switch base[i] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return i + 1
        case UInt8(ascii: "u"):
            let unit = try hex4(base, i + 1, n)
            let next = i + 5
            guard unit >= 0xD800 && unit <= 0xDFFF else { return next }
            if unit <= 0xDBFF, next + 1 < n, base[next] == UInt8(ascii: "\\"), base[next + 1] == UInt8(ascii: "u") {
                let low = validatesUnicode ? try hex4(base, next + 2, n) : (try? hex4(base, next + 2, n)) ?? 0
                if low >= 0xDC00 && low <= 0xDFFF { return next + 6 }
            }
            guard validatesUnicode else { return next }
            throw JSONParseError(code: .loneSurrogate, offset: start)
        default:
            throw JSONParseError(code: .invalidEscape, offset: i)
        }
    }

    /// Reads four hex digits at `start`.
    static func hex4(_ base: UnsafePointer<UInt8>, _ start: Int, _ n: Int) throws(JSONParseError) -> UInt32 {
        guard start + 4 <= n else { throw JSONParseError(code: .unexpectedEnd, offset: start) }
        var value: UInt32 = 0
        for k in 0..<4 {
            guard let digit = hexValue(base[start + k]) else {
                throw JSONParseError(code: .invalidEscape, offset: start + k)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Checks one well-formed UTF-8 sequence (Unicode table 3-7) whose lead byte (≥ 0x80) is at `start`;
    /// returns the index after it.
    @inline(__always)
    static func scanUTF8Sequence(_ base: UnsafePointer<UInt8>, _ start: Int, _ n: Int) throws(JSONParseError) -> Int {
        let lead = base[start]
        var length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw JSONParseError(code: .invalidUTF8, offset: start)
        }
        guard start + length <= n else { throw JSONParseError(code: .invalidUTF8, offset: start) }
        let second = base[start + 1]
        guard second >= low && second <= high else { throw JSONParseError(code: .invalidUTF8, offset: start + 1) }
        var k = 2
        while k < length {
            guard base[start + k] & 0xC0 == 0x80 else { throw JSONParseError(code: .invalidUTF8, offset: start + k) }
            k += 1
        }
        return start + length
    }
}
