/// Text rules of contract section 7 item 2, on valid UTF-8 bytes: trimming and folding Unicode
/// White_Space, default case mapping with an ASCII fast path.
enum UTF8Text {
    /// Whether a scalar has the Unicode White_Space property.
    @inline(__always)
    static func isWhiteSpace(_ s: UInt32) -> Bool {
        switch s {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Decodes the scalar starting at `i` of valid UTF-8; returns it and its length.
    @inline(__always)
    static func decode(_ b: UnsafeRawBufferPointer, _ i: Int) -> (scalar: UInt32, length: Int) {
        let c0 = UInt32(b[i])
        if c0 < 0x80 { return (c0, 1) }
        if c0 < 0xE0 { return ((c0 & 0x1F) << 6 | UInt32(b[i + 1]) & 0x3F, 2) }
        if c0 < 0xF0 {
            return ((c0 & 0x0F) << 12 | (UInt32(b[i + 1]) & 0x3F) << 6 | UInt32(b[i + 2]) & 0x3F, 3)
        }
        return (
            (c0 & 0x07) << 18 | (UInt32(b[i + 1]) & 0x3F) << 12 | (UInt32(b[i + 2]) & 0x3F) << 6
                | UInt32(b[i + 3]) & 0x3F, 4
        )
    }

    /// The bytes without leading and trailing White_Space.
    static func trim(_ b: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = b.count
        while start < end {
            let c = b[start]
            if c < 0x80 {
                guard c == 0x20 || (c >= 0x09 && c <= 0x0D) else { break }
                start += 1
            } else {
                let (s, length) = decode(b, start)
                guard isWhiteSpace(s) else { break }
                start += length
            }
        }
        while end > start {
            let c = b[end - 1]
            if c < 0x80 {
                guard c == 0x20 || (c >= 0x09 && c <= 0x0D) else { break }
                end -= 1
            } else {
                var lead = end - 1
                while lead > start && b[lead] & 0xC0 == 0x80 { lead -= 1 }
                let (s, _) = decode(b, lead)
                guard isWhiteSpace(s) else { break }
                end = lead
            }
        }
        return UnsafeRawBufferPointer(rebasing: b[start..<end])
    }

    /// Whether every byte is ASCII.
    @inline(__always)
    static func isASCII(_ b: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = b.count
        guard let base = b.baseAddress else { return true }
        while i + 8 <= n {
            if base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < n {
            if b[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }

    /// Whether the bytes hold a White_Space scalar anywhere.
    static func containsWhiteSpace(_ b: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i < b.count {
            let c = b[i]
            if c < 0x80 {
                if c == 0x20 || (c >= 0x09 && c <= 0x0D) { return true }
                i += 1
            } else {
                let (s, length) = decode(b, i)
                if isWhiteSpace(s) { return true }
                i += length
            }
        }
        return false
    }

    /// A String from valid UTF-8 bytes.
    @inline(__always)
    static func string(_ b: UnsafeRawBufferPointer) -> String {
        String(decoding: b, as: UTF8.self)
    }

    /// The bytes, lower-cased (Unicode default case mapping). Fast paths: all ASCII; or ASCII letters plus
    /// non-ASCII scalars that lower-casing leaves alone (`ø`, `ş`, `é`: typical e-mail addresses). Anything
    /// else goes through `String.lowercased()`.
    static func lowercased(_ b: UnsafeRawBufferPointer) -> String {
        guard isASCII(b) else {
            var unchanged = true
            let fast = String(unsafeUninitializedCapacity: b.count) { out -> Int in
                var i = 0
                while i < b.count {
                    let c = b[i]
                    if c < 0x80 {
                        out[i] = c &- UInt8(ascii: "A") < 26 ? c | 0x20 : c
                        i += 1
                        continue
                    }
                    let (s, length) = decode(b, i)
                    guard let scalar = Unicode.Scalar(s), !scalar.properties.changesWhenLowercased else {
                        unchanged = false
                        return 0
                    }
                    for k in i ..< i + length { out[k] = b[k] }
                    i += length
                }
                return b.count
            }
            return unchanged ? fast : string(b).lowercased()
        }
        return String(unsafeUninitializedCapacity: b.count) { out in
            for k in 0..<b.count {
                let c = b[k]
                out[k] = c &- UInt8(ascii: "A") < 26 ? c | 0x20 : c
            }
            return b.count
        }
    }

    /// The bytes, upper-cased (Unicode default case mapping; ASCII fast path).
    static func uppercased(_ b: UnsafeRawBufferPointer) -> String {
        guard isASCII(b) else { return string(b).uppercased() }
        return String(unsafeUninitializedCapacity: b.count) { out in
            for k in 0..<b.count {
                let c = b[k]
                out[k] = c &- UInt8(ascii: "a") < 26 ? c & ~0x20 : c
            }
            return b.count
        }
    }

    /// Trimmed bytes with every inner run of White_Space replaced by one space.
    static func folded(_ b: UnsafeRawBufferPointer) -> String {
        let t = trim(b)
        // Fast path: no run to fold (the common case) — build the String straight from the bytes.
        var needsFolding = false
        var i = 0
        var previousWasSpace = false
        while i < t.count {
            let c = t[i]
            if c < 0x80 {
                let space = c == 0x20 || (c >= 0x09 && c <= 0x0D)
                if space && (c != 0x20 || previousWasSpace) { needsFolding = true; break }
                previousWasSpace = space
                i += 1
            } else {
                let (s, length) = decode(t, i)
                if isWhiteSpace(s) { needsFolding = true; break }
                previousWasSpace = false
                i += length
            }
        }
        guard needsFolding else { return string(t) }
        var out: [UInt8] = []
        out.reserveCapacity(t.count)
        i = 0
        var inRun = false
        while i < t.count {
            let (s, length) = decode(t, i)
            if isWhiteSpace(s) {
                if !inRun { out.append(0x20) }
                inRun = true
            } else {
                inRun = false
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: t[i ..< i + length]))
            }
            i += length
        }
        return String(decoding: out, as: UTF8.self)
    }
}
