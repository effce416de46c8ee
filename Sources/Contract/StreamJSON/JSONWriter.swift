/// Fast JSON output into a byte buffer: strings escaped per RFC 8259, integers, doubles, and parsed values made
/// compact.
///
/// Strings are written with the minimal escapes: `"`, `\` and the control characters below U+0020
/// (`\b \f \n \r \t`, else `\u00XX`). Everything else, non-ASCII included, is copied as UTF-8.
public enum JSONWriter {
    /// Appends `value` as a JSON string (with quotes).
    @inlinable
    public static func writeString(_ value: String, into out: inout [UInt8]) {
        var value = value
        value.withUTF8 { writeString(utf8: UnsafeRawBufferPointer($0), into: &out) }
    }

    /// Appends the UTF-8 bytes as a JSON string (with quotes). The bytes must be valid UTF-8
    /// (use ``writeString(_:into:)`` with `String(decoding:as:)` for bytes that may not be).
    public static func writeString(utf8 bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        writeEscaped(utf8: bytes, into: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Appends the UTF-8 bytes escaped for the inside of a JSON string, without quotes.
    public static func writeEscaped(utf8 bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        // Through ``escape(utf8:to:)``, a chunk at a time, with room for the worst case on the stack.
        let chunk = 256
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxEscapedCount(chunk)) { scratch in
            var start = 0
            while start < bytes.count {
                let end = min(start + chunk, bytes.count)
                let count = escape(utf8: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), to: scratch.baseAddress!)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<count]))
                start = end
            }
        }
    }

    /// Appends the decimal digits of `value` (see ``DecimalDigits/write(_:to:)``).
    public static func writeInt(_ value: Int64, into out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: DecimalDigits.maxCount) { scratch in
            let count = DecimalDigits.write(value, to: scratch.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<count]))
        }
    }

    /// Appends a finite Double in its shortest round-trip form (Swift's `description`, e.g. `41.4658`,
    /// `12.0`, `1e-05`), which is valid JSON. Non-finite values are written as `null`.
    public static func writeDouble(_ value: Double, into out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        out.append(contentsOf: value.description.utf8)
    }

    /// Appends `"key":` (the key is escaped).
    @inlinable
    public static func writeKey(_ key: StaticString, into out: inout [UInt8]) {
        writeString(utf8: UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount), into: &out)
        out.append(UInt8(ascii: ":"))
    }
}

extension JSONWriter {
    /// The most bytes ``escape(utf8:to:)`` writes for `count` input bytes (every byte as `\u00XX`).
    @inlinable
    public static func maxEscapedCount(_ count: Int) -> Int { count * 6 }

    /// Writes the UTF-8 bytes escaped for the inside of a JSON string (no quotes) at `destination`, which
    /// must have room for ``maxEscapedCount(_:)`` bytes. Returns how many bytes were written.
    ///
    /// The one JSON string escaper: ``writeEscaped(utf8:into:)`` runs through it, and encoders that size their
    /// output once call it directly.
    public static func escape(utf8 bytes: UnsafeRawBufferPointer, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        let n = bytes.count
        guard n > 0, let base = bytes.baseAddress else { return 0 }
        var out = destination
        var i = 0
        var runStart = 0
        while i < n {
            if i + 8 <= n {
                if JSONParser.escapeMask(base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) == 0 {
                    i += 8
                    continue
                }
            }
            let c = base.load(fromByteOffset: i, as: UInt8.self)
            if c >= 0x20 && c != UInt8(ascii: "\"") && c != UInt8(ascii: "\\") {
                i += 1
                continue
            }
            if i > runStart {
                UnsafeMutableRawPointer(out).copyMemory(from: base + runStart, byteCount: i - runStart)
                out += i - runStart
            }
            out[0] = UInt8(ascii: "\\")
            switch c {
            case UInt8(ascii: "\""): out[1] = UInt8(ascii: "\""); out += 2
            case UInt8(ascii: "\\"): out[1] = UInt8(ascii: "\\"); out += 2
            case 0x08: out[1] = UInt8(ascii: "b"); out += 2
            case 0x0C: out[1] = UInt8(ascii: "f"); out += 2
            case 0x0A: out[1] = UInt8(ascii: "n"); out += 2
            case 0x0D: out[1] = UInt8(ascii: "r"); out += 2
            case 0x09: out[1] = UInt8(ascii: "t"); out += 2
            default:
                let hex: StaticString = "0123456789abcdef"
                out[1] = UInt8(ascii: "u")
                out[2] = UInt8(ascii: "0")
                out[3] = UInt8(ascii: "0")
                out[4] = hex.utf8Start[Int(c >> 4)]
                out[5] = hex.utf8Start[Int(c & 0xF)]
                out += 6
            }
            i += 1
            runStart = i
        }
        if n > runStart {
            UnsafeMutableRawPointer(out).copyMemory(from: base + runStart, byteCount: n - runStart)
            out += n - runStart
        }
        return out - destination
    }
}
