/// Why a byte scan found the input not to be well-formed JSON.
struct JSONScanError: Error, Equatable {
    /// Byte offset of the problem.
    var offset: Int
    /// What was wrong there.
    var reason: String
}

/// A validating cursor over JSON bytes that finds value boundaries without building values.
///
/// It checks RFC 8259 structure (strings, escapes, numbers, literals, balanced nesting), but not UTF-8 validity,
/// surrogate pairing or a nesting limit: the stream processor checks those per record, so a page is never refused for
/// one odd element. Nesting is tracked on the heap, so deep input cannot overflow the stack.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index: Int
    /// Set whenever ``skipWhitespace()`` skipped something (so a caller knows whether a value needs minifying).
    var skippedWhitespace = false

    init(_ bytes: UnsafeBufferPointer<UInt8>, index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    var isAtEnd: Bool { self.index >= self.bytes.count }

    /// The byte at the cursor, or nil at the end.
    @inline(__always)
    var peek: UInt8? { self.index < self.bytes.count ? self.bytes[self.index] : nil }

    @inline(__always)
    mutating func skipWhitespace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case 0x20, 0x09, 0x0A, 0x0D:
                self.index += 1
                self.skippedWhitespace = true
            default: return
            }
        }
    }

    func error(_ reason: String) -> JSONScanError {
        JSONScanError(offset: self.index, reason: reason)
    }

    /// Consumes `byte` (after white space) or throws.
    mutating func expect(_ byte: UInt8, _ what: String) throws(JSONScanError) {
        self.skipWhitespace()
        guard self.peek == byte else { throw self.error("expected \(what)") }
        self.index += 1
    }

    /// Skips one string starting at the cursor (which must be at `"`).
    ///
    /// - Returns: The range of the string's content, without the quotes, still escaped.
    /// - Throws: On an unterminated string, a control character or a bad escape.
    mutating func scanString() throws(JSONScanError) -> Range<Int> {
        guard self.peek == UInt8(ascii: "\"") else { throw self.error("expected a string") }
        self.index += 1
        let start = self.index
        let count = self.bytes.count
        while self.index < count {
            // Eight bytes at a time while none is a quote, a backslash or a control character.
            if let base = self.bytes.baseAddress {
                while self.index + 8 <= count {
                    let word = UnsafeRawPointer(base + self.index).loadUnaligned(as: UInt64.self)
                    if Self.hasSpecialByte(word) { break }
                    self.index += 8
                }
                guard self.index < count else { break }
            }
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                let range = start..<self.index
                self.index += 1
                return range
            } else if byte == UInt8(ascii: "\\") {
                self.index += 1
                guard self.index < count else { break }
                switch self.bytes[self.index] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    self.index += 1
                case UInt8(ascii: "u"):
                    guard self.index + 4 < count else { throw self.error("truncated \\u escape") }
                    for offset in 1...4 where Self.hexValue(self.bytes[self.index + offset]) == nil {
                        throw self.error("bad \\u escape")
                    }
                    self.index += 5
                default:
                    throw self.error("bad escape")
                }
            } else if byte < 0x20 {
                throw self.error("control character in a string")
            } else {
                self.index += 1
            }
        }
        throw JSONScanError(offset: start - 1, reason: "unterminated string")
    }

    /// Skips one number at the cursor, checking the JSON number grammar.
    mutating func scanNumber() throws(JSONScanError) {
        if self.peek == UInt8(ascii: "-") { self.index += 1 }
        guard let first = self.peek, Self.isDigit(first) else { throw self.error("bad number") }
        self.index += 1
        if first != UInt8(ascii: "0") {
            while let byte = self.peek, Self.isDigit(byte) { self.index += 1 }
        }
        if self.peek == UInt8(ascii: ".") {
            self.index += 1
            guard let byte = self.peek, Self.isDigit(byte) else { throw self.error("bad fraction") }
            while let byte = self.peek, Self.isDigit(byte) { self.index += 1 }
        }
        if self.peek == UInt8(ascii: "e") || self.peek == UInt8(ascii: "E") {
            self.index += 1
            if self.peek == UInt8(ascii: "+") || self.peek == UInt8(ascii: "-") { self.index += 1 }
            guard let byte = self.peek, Self.isDigit(byte) else { throw self.error("bad exponent") }
            while let byte = self.peek, Self.isDigit(byte) { self.index += 1 }
        }
    }

    private mutating func scanLiteral(_ literal: StaticString) throws(JSONScanError) {
        let length = literal.utf8CodeUnitCount
        guard self.index + length <= self.bytes.count else { throw self.error("bad literal") }
        for offset in 0..<length where self.bytes[self.index + offset] != literal.utf8Start[offset] {
            throw self.error("bad literal")
        }
        self.index += length
    }

    /// Skips a scalar (string, number, literal) at the cursor.
    private mutating func scanScalar() throws(JSONScanError) {
        guard let byte = self.peek else { throw self.error("expected a value") }
        switch byte {
        case UInt8(ascii: "\""): _ = try self.scanString()
        case UInt8(ascii: "t"): try self.scanLiteral("true")
        case UInt8(ascii: "f"): try self.scanLiteral("false")
        case UInt8(ascii: "n"): try self.scanLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try self.scanNumber()
        default: throw self.error("expected a value")
        }
    }

    /// Skips one whole value (after leading white space), validating its structure.
    ///
    /// - Returns: The range of the value's bytes (no surrounding white space).
    @discardableResult
    mutating func skipValue() throws(JSONScanError) -> Range<Int> {
        self.skipWhitespace()
        let start = self.index
        var stack: [Bool] = []  // true: object, false: array
        valueLoop: while true {
            self.skipWhitespace()
            switch self.peek {
            case UInt8(ascii: "{"):
                self.index += 1
                self.skipWhitespace()
                if self.peek == UInt8(ascii: "}") {
                    self.index += 1
                } else {
                    stack.append(true)
                    try self.scanMemberName()
                    continue valueLoop
                }
            case UInt8(ascii: "["):
                self.index += 1
                self.skipWhitespace()
                if self.peek == UInt8(ascii: "]") {
                    self.index += 1
                } else {
                    stack.append(false)
                    continue valueLoop
                }
            default:
                try self.scanScalar()
            }
            // After a complete value: close containers or move to the next element.
            while let isObject = stack.last {
                self.skipWhitespace()
                switch self.peek {
                case UInt8(ascii: ","):
                    self.index += 1
                    if isObject { try self.scanMemberName() }
                    continue valueLoop
                case UInt8(ascii: "}") where isObject, UInt8(ascii: "]") where !isObject:
                    self.index += 1
                    stack.removeLast()
                default:
                    throw self.error(isObject ? "expected , or }" : "expected , or ]")
                }
            }
            return start..<self.index
        }
    }

    /// Scans `"name" :` inside an object.
    private mutating func scanMemberName() throws(JSONScanError) {
        self.skipWhitespace()
        _ = try self.scanString()
        try self.expect(UInt8(ascii: ":"), "':'")
    }

    /// Enters the object at the cursor (after white space).
    ///
    /// - Returns: true when a member follows (read it with ``memberName()``), false for `{}` (consumed whole).
    mutating func beginObject() throws(JSONScanError) -> Bool {
        try self.expect(UInt8(ascii: "{"), "an object")
        self.skipWhitespace()
        if self.peek == UInt8(ascii: "}") {
            self.index += 1
            return false
        }
        return true
    }

    /// Reads a member's name and its colon, leaving the cursor at the value (white space skipped).
    ///
    /// - Returns: The raw (escaped) name range.
    mutating func memberName() throws(JSONScanError) -> Range<Int> {
        self.skipWhitespace()
        let name = try self.scanString()
        try self.expect(UInt8(ascii: ":"), "':'")
        self.skipWhitespace()
        return name
    }

    /// After a member's value: consumes `,` (another member follows: true) or `}` (the object ends: false).
    mutating func nextMember() throws(JSONScanError) -> Bool {
        self.skipWhitespace()
        switch self.peek {
        case UInt8(ascii: ","):
            self.index += 1
            return true
        case UInt8(ascii: "}"):
            self.index += 1
            return false
        default:
            throw self.error("expected , or }")
        }
    }

    /// Whether the raw (escaped) string content in `range` equals `literal` once unescaped.
    func stringEquals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        var hasEscape = false
        for i in range where self.bytes[i] == UInt8(ascii: "\\") {
            hasEscape = true
            break
        }
        if hasEscape {
            let decoded = self.decodeString(range)
            return decoded.count == length && decoded.indices.allSatisfy { decoded[$0] == literal.utf8Start[$0] }
        }
        guard range.count == length else { return false }
        for offset in 0..<length where self.bytes[range.lowerBound + offset] != literal.utf8Start[offset] {
            return false
        }
        return true
    }

    /// Unescapes the raw string content in `range` (already validated by ``scanString()``) to UTF-8.
    /// A lone surrogate escape becomes U+FFFD.
    func decodeString(_ range: Range<Int>) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            let byte = self.bytes[i]
            guard byte == UInt8(ascii: "\\"), i + 1 < range.upperBound else {
                out.append(byte)
                i += 1
                continue
            }
            let escaped = self.bytes[i + 1]
            i += 2
            switch escaped {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = self.hex4(at: i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar), i + 5 < range.upperBound,
                    self.bytes[i] == UInt8(ascii: "\\"), self.bytes[i + 1] == UInt8(ascii: "u")
                {
                    let low = self.hex4(at: i + 2)
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                let value = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                if let encoded = UTF8.encode(value) { out.append(contentsOf: encoded) }
            default: out.append(escaped)
            }
        }
        return out
    }

    private func hex4(at i: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            value = value << 4 | UInt32(Self.hexValue(self.bytes[i + offset]) ?? 0)
        }
        return value
    }

    /// Whether any byte of `word` is `"`, `\\` or below 0x20 (SWAR; may report false positives only for bytes
    /// ≥ 0x80 next to a match, which the byte loop then sorts out).
    @inline(__always)
    static func hasSpecialByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let hasQuote = (quotes &- ones) & ~quotes & highs
        let hasBackslash = (backslashes &- ones) & ~backslashes & highs
        let hasControl = (word &- ones &* 0x20) & ~word & highs
        return (hasQuote | hasBackslash | hasControl) != 0
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
