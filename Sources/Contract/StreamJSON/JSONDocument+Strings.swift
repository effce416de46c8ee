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
                if scalar >= 0xD800 && scalar <= 0xDFFF {
                    // A pair; a lone surrogate (only when the parser did not validate Unicode) becomes U+FFFD.
                    let low = scalar <= 0xDBFF && i + 6 <= end && base[i] == UInt8(ascii: "\\")
                        && base[i + 1] == UInt8(ascii: "u") ? Self.hex4Unchecked(base + i + 2) : 0
                    if low >= 0xDC00 && low <= 0xDFFF {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else {
                        scalar = 0xFFFD
                    }
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
