extension JSONDocument {
    /// Whether the string at tape index `i` equals `utf8` after unescaping.
    @usableFromInline
    func stringEquals(at i: Int, _ utf8: UnsafeRawBufferPointer) -> Bool {
        let e = tape[i]
        if e.flags & TapeEntry.hasEscapes == 0 {
            let length = Int(e.end - e.start)
            guard length == utf8.count else { return false }
            guard length > 0 else { return true }
            return memEqual(input.baseAddress! + Int(e.start), utf8.baseAddress!, length)
        }
        var scratch: [UInt8] = []
        appendUnescaped(e, into: &scratch)
        return scratch.elementsEqual(utf8)
    }

    @inline(__always)
    func memEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
        var k = 0
        while k + 8 <= n {
            if a.loadUnaligned(fromByteOffset: k, as: UInt64.self) != b.loadUnaligned(fromByteOffset: k, as: UInt64.self) {
                return false
            }
            k += 8
        }
        while k < n {
            if a.load(fromByteOffset: k, as: UInt8.self) != b.load(fromByteOffset: k, as: UInt8.self) { return false }
            k += 1
        }
        return true
    }

    /// Appends the unescaped UTF-8 of a string entry (validated by the parser) to `out`.
    @usableFromInline
    func appendUnescaped(_ e: TapeEntry, into out: inout [UInt8]) {
        let base = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var i = Int(e.start)
        let end = Int(e.end)
        var runStart = i
        while i < end {
            guard base[i] == UInt8(ascii: "\\") else {
                i += 1
                continue
            }
            out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: i - runStart))
            let c = base[i + 1]
            switch c {
            case UInt8(ascii: "b"): out.append(0x08); i += 2
            case UInt8(ascii: "f"): out.append(0x0C); i += 2
            case UInt8(ascii: "n"): out.append(0x0A); i += 2
            case UInt8(ascii: "r"): out.append(0x0D); i += 2
            case UInt8(ascii: "t"): out.append(0x09); i += 2
            case UInt8(ascii: "u"):
                var scalar = Self.hex4Unchecked(base + i + 2)
                i += 6
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    let low = Self.hex4Unchecked(base + i + 2)
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                Self.appendUTF8(scalar, into: &out)
            default: out.append(c); i += 2
            }
            runStart = i
        }
        out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: end - runStart))
    }

    static func hex4Unchecked(_ p: UnsafePointer<UInt8>) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 { value = value << 4 | UInt32(JSONParser.hexValue(p[k]) ?? 0) }
        return value
    }

    static func appendUTF8(_ scalar: UInt32, into out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}

extension JSONValue {
    /// Whether the value is a string that holds backslash escapes.
    public var hasEscapes: Bool { entry.flags & TapeEntry.hasEscapes != 0 }

    /// The unescaped value of a string, else nil. Without escapes the `String` is built straight from
    /// the input bytes.
    public var string: String? {
        let e = entry
        guard e.kind == .string else { return nil }
        if e.flags & TapeEntry.hasEscapes == 0 {
            return String(
                decoding: UnsafeRawBufferPointer(rebasing: document.input[Int(e.start) ..< Int(e.end)]),
                as: UTF8.self)
        }
        var bytes: [UInt8] = []
        document.appendUnescaped(e, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Calls `body` with the unescaped UTF-8 bytes of a string (no copy when it has no escapes;
    /// otherwise unescaped into `scratch`, which is cleared first). Returns nil when not a string.
    @inlinable
    public func withUnescapedUTF8<R>(
        scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R? {
        let e = document.tape[index]
        guard e.kind == .string else { return nil }
        if e.flags & TapeEntry.hasEscapes == 0 {
            return try body(UnsafeRawBufferPointer(rebasing: document.input[Int(e.start) ..< Int(e.end)]))
        }
        scratch.removeAll(keepingCapacity: true)
        appendUnescapedString(into: &scratch)
        return try scratch.withUnsafeBytes(body)
    }

    /// Appends the unescaped UTF-8 bytes of a string to `out` (nothing for other kinds).
    @usableFromInline
    func appendUnescapedString(into out: inout [UInt8]) {
        let e = entry
        guard e.kind == .string else { return }
        document.appendUnescaped(e, into: &out)
    }
}

extension JSONValue {
    /// Calls `body` with the unescaped UTF-8 bytes of a string: no copy when it has no escapes, else a
    /// temporary buffer. Returns nil when the value is not a string.
    @inlinable
    public func withStringUTF8<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        let e = document.tape[index]
        guard e.kind == .string else { return nil }
        if e.flags & TapeEntry.hasEscapes == 0 {
            return try body(UnsafeRawBufferPointer(rebasing: document.input[Int(e.start) ..< Int(e.end)]))
        }
        var bytes: [UInt8] = []
        appendUnescapedString(into: &bytes)
        return try bytes.withUnsafeBytes(body)
    }

    /// Whether the value is a string equal to `text` after unescaping.
    @inlinable
    public func isString(equalTo text: StaticString) -> Bool {
        guard kind == .string else { return false }
        return document.stringEquals(
            at: index, UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
