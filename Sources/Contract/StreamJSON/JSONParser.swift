/// A validating, zero-copy JSON reader (RFC 8259).
///
/// `parse(_:)` checks the whole input — grammar, UTF-8, escapes, nesting depth, trailing data —
/// and builds a compact tape of offsets into it; nothing is copied and no value is allocated on the
/// heap. Keep one parser per thread and reuse it: the tape's storage is kept across calls.
///
/// ```swift
/// var parser = JSONParser()
/// let doc = try parser.parse(buffer)          // buffer: UnsafeRawBufferPointer
/// let uuid = doc.root["login"]?["uuid"]?.string
/// ```
///
/// What is rejected: anything outside RFC 8259 — a byte-order mark, `NaN`/`Infinity`, leading zeros,
/// single quotes, comments, trailing commas, control characters in strings, ill-formed UTF-8
/// (overlong forms, UTF-8-encoded surrogates, code points above U+10FFFF, truncated sequences),
/// lone surrogate `\u` escapes (these two unless ``validatesUnicode`` is off), more than ``maxDepth`` levels of
/// nesting, and anything but JSON white space (space, tab, LF, CR) around the value.
public struct JSONParser: Sendable {
    @usableFromInline var tape = Tape()
    var stack: [Int] = []

    /// The deepest nesting of arrays and objects accepted. Default: 1,024. The parser keeps its own stack on the
    /// heap, so any depth is safe to allow.
    public var maxDepth: Int = 1024

    /// Whether strings must hold well-formed UTF-8 and no lone surrogate escape (RFC 8259 sections 8.1 and 8.2).
    /// Default: true.
    ///
    /// Turn it off to check only the structure of a text whose values are judged later one by one (the RandomUser
    /// page splitter keeps an element with broken text for the processor to reject, rather than refusing the page):
    /// the grammar, escapes, nesting and trailing data are still checked. Strings of such a document read ill-formed
    /// UTF-8 as U+FFFD in ``JSONValue/string`` (raw bytes elsewhere) and a lone surrogate escape as U+FFFD.
    public var validatesUnicode: Bool = true

    /// Creates a parser with an empty tape.
    public init() {
        stack.reserveCapacity(16)
    }

    /// Parses one JSON text.
    ///
    /// - Parameter input: the bytes of the text. The returned document points into it: it is valid
    ///   only as long as `input` is. The tape is reused by the next call unless a document still holds
    ///   it (then that document keeps the old tape and the parser starts a new one).
    /// - Returns: the document; its ``JSONDocument/root`` is the top-level value.
    /// - Throws: ``JSONParseError`` when the input is not a JSON text.
    public mutating func parse(_ input: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONDocument {
        // A document from the previous call may still hold the tape: then start a new one.
        if !isKnownUniquelyReferenced(&tape) { tape = Tape(capacity: tape.capacity) }
        tape.count = 0
        stack.removeAll(keepingCapacity: true)
        let n = input.count
        guard n < Int(UInt32.max) else { throw JSONParseError(code: .inputTooLarge, offset: 0) }
        guard n > 0, let raw = input.baseAddress else { throw JSONParseError(code: .emptyInput, offset: 0) }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        var i = Self.skipWhiteSpace(base, 0, n)
        guard i < n else { throw JSONParseError(code: .emptyInput, offset: i) }

        valueLoop: while true {
            // A value is expected at `i` (white space already skipped).
            guard i < n else { throw JSONParseError(code: .unexpectedEnd, offset: i) }
            let c = base[i]
            switch c {
            case UInt8(ascii: "\""):
                i = try scanString(base, i, n)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard stack.count < maxDepth else { throw JSONParseError(code: .tooDeep, offset: i) }
                let isObject = c == UInt8(ascii: "{")
                let index = tape.count
                tape.append(TapeEntry(start: i, end: i, next: index + 1, kind: isObject ? .object : .array))
                stack.append(index)
                i = Self.skipWhiteSpace(base, i + 1, n)
                guard i < n else { throw JSONParseError(code: .unexpectedEnd, offset: i) }
                if base[i] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    i += 1
                    tape[index].end = UInt32(truncatingIfNeeded: i)
                    tape[index].next = UInt32(truncatingIfNeeded: tape.count)
                    stack.removeLast()
                } else {
                    if isObject { i = try scanKey(base, i, n) }
                    continue valueLoop
                }
            case UInt8(ascii: "t"):
                try scanLiteral(base, i, n, "true", .true)
                i += 4
            case UInt8(ascii: "f"):
                try scanLiteral(base, i, n, "false", .false)
                i += 5
            case UInt8(ascii: "n"):
                try scanLiteral(base, i, n, "null", .null)
                i += 4
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                i = try scanNumber(base, i, n)
            default:
                throw JSONParseError(code: c >= 0x41 ? .invalidLiteral : .unexpectedCharacter, offset: i)
            }

            // After a complete value: close containers until one expects another value.
            while true {
                i = Self.skipWhiteSpace(base, i, n)
                guard let top = stack.last else {
                    guard i == n else { throw JSONParseError(code: .trailingData, offset: i) }
                    return JSONDocument(input: input, tape: tape)
                }
                tape[top].count &+= 1
                guard i < n else { throw JSONParseError(code: .unexpectedEnd, offset: i) }
                let d = base[i]
                let isObject = tape[top].kind == .object
                if d == UInt8(ascii: ",") {
                    i = Self.skipWhiteSpace(base, i + 1, n)
                    if isObject { i = try scanKey(base, i, n) }
                    continue valueLoop
                }
                guard d == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    throw JSONParseError(code: .unexpectedCharacter, offset: i)
                }
                i += 1
                tape[top].end = UInt32(truncatingIfNeeded: i)
                tape[top].next = UInt32(truncatingIfNeeded: tape.count)
                stack.removeLast()
            }
        }
    }

    /// Parses a JSON text given as a byte array (a convenience for tests and tools).
    ///
    /// - Returns: whether `bytes` is a JSON text.
    public mutating func validate(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            do {
                _ = try parse(buffer)
                return true
            } catch {
                return false
            }
        }
    }

    @inline(__always)
    static func skipWhiteSpace(_ base: UnsafePointer<UInt8>, _ start: Int, _ n: Int) -> Int {
        var i = start
        while i < n {
            let c = base[i]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { break }
            i += 1
        }
        return i
    }

    /// Scans `"key"` then `:` and white space; returns the index of the member's value.
    @inline(__always)
    mutating func scanKey(_ base: UnsafePointer<UInt8>, _ start: Int, _ n: Int) throws(JSONParseError) -> Int {
        guard start < n else { throw JSONParseError(code: .unexpectedEnd, offset: start) }
        guard base[start] == UInt8(ascii: "\"") else {
            throw JSONParseError(code: .unexpectedCharacter, offset: start)
        }
        var i = try scanString(base, start, n)
        i = Self.skipWhiteSpace(base, i, n)
        guard i < n else { throw JSONParseError(code: .unexpectedEnd, offset: i) }
        guard base[i] == UInt8(ascii: ":") else { throw JSONParseError(code: .unexpectedCharacter, offset: i) }
        return Self.skipWhiteSpace(base, i + 1, n)
    }

    @inline(__always)
    mutating func scanLiteral(
        _ base: UnsafePointer<UInt8>, _ i: Int, _ n: Int, _ word: StaticString, _ kind: JSONKind
    ) throws(JSONParseError) {
        let length = word.utf8CodeUnitCount
        guard i + length <= n else { throw JSONParseError(code: .invalidLiteral, offset: i) }
        let w = word.utf8Start
        for k in 0..<length where base[i + k] != w[k] {
            throw JSONParseError(code: .invalidLiteral, offset: i + k)
        }
        tape.append(TapeEntry(start: i, end: i + length, next: tape.count + 1, kind: kind))
    }

    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }

    mutating func scanNumber(_ base: UnsafePointer<UInt8>, _ start: Int, _ n: Int) throws(JSONParseError) -> Int {
        var i = start
        var flags: UInt8 = 0
        if base[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n else { throw JSONParseError(code: .invalidNumber, offset: i) }
        if base[i] == UInt8(ascii: "0") {
            i += 1
        } else if Self.isDigit(base[i]) {
            i += 1
            while i < n && Self.isDigit(base[i]) { i += 1 }
        } else {
            throw JSONParseError(code: .invalidNumber, offset: i)
        }
        if i < n && base[i] == UInt8(ascii: ".") {
            i += 1
            guard i < n && Self.isDigit(base[i]) else { throw JSONParseError(code: .invalidNumber, offset: i) }
            while i < n && Self.isDigit(base[i]) { i += 1 }
            flags |= TapeEntry.hasFraction
        }
        if i < n && (base[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            if i < n && (base[i] == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-")) { i += 1 }
            guard i < n && Self.isDigit(base[i]) else { throw JSONParseError(code: .invalidNumber, offset: i) }
            while i < n && Self.isDigit(base[i]) { i += 1 }
            flags |= TapeEntry.hasExponent
        }
        tape.append(TapeEntry(start: start, end: i, next: tape.count + 1, kind: .number, flags: flags))
        return i
    }
}
