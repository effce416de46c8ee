import StreamJSON

/// Removal of the fields that never leave the processor (contract section 3): `login.password`,
/// `login.salt`, `login.md5`, `login.sha1`, `login.sha256` and `id.value`.
public enum Secrets {
    /// The members every `login` object loses.
    public static let loginFields: [String] = ["password", "salt", "md5", "sha1", "sha256"]
    /// The member every `id` object loses.
    public static let idField = "value"
    /// The most bytes of raw text kept in a dead letter: 64 KiB.
    public static let rawTextLimit = 64 * 1024

    /// Section 7 item 15: cuts text that is not JSON (or was not parsed) to 64 KiB at a character
    /// boundary, then deletes every `"password"`, `"salt"`, `"md5"`, `"sha1"`, `"sha256"` and
    /// `"value"` member — key and value, even an unterminated one.
    ///
    /// A key is recognised after unescaping (`"pass\u0077ord"` too), at any quote, whether or not the
    /// quotes around it pair up — also inside a value being deleted, so a broken value cannot hide the
    /// next secret. A value is a string (to its closing quote, or the end of the text),
    /// an object or array (to its matching bracket, or the end), or anything else up to the next `,`,
    /// `}`, `]` or line break. A following comma (and the white space after it) goes with the member. Ill-formed UTF-8 in what is left
    /// becomes U+FFFD.
    public static func scrubRawText(_ bytes: UnsafeRawBufferPointer) -> String {
        var n = min(bytes.count, rawTextLimit)
        if n < bytes.count {
            // Step back to the start of a scalar (at most three continuation bytes).
            var back = 0
            while n > 0 && back < 3 && bytes[n] & 0xC0 == 0x80 {
                n -= 1
                back += 1
            }
        }
        let b = UnsafeRawBufferPointer(rebasing: bytes[0..<n])
        var out: [UInt8] = []
        out.reserveCapacity(n)
        var copyFrom = 0
        var i = 0
        while i < n {
            guard b[i] == UInt8(ascii: "\""), let keyEnd = secretKeyEnd(b, i) else {
                i += 1
                continue
            }
            if i > copyFrom { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[copyFrom..<i])) }
            copyFrom = max(copyFrom, memberEnd(b, keyEnd))
            // Keep looking inside the deleted value: when quotes do not pair up, its closing quote may open
            // the next secret key (`"md5": "x, "sha1": "y"`). Deleting more is always safe.
            i = keyEnd
        }
        if n > copyFrom { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[copyFrom..<n])) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Scrubs a `String`; see ``scrubRawText(_:)-(UnsafeRawBufferPointer)``.
    public static func scrubRawText(_ text: String) -> String {
        var text = text
        return text.withUTF8 { scrubRawText(UnsafeRawBufferPointer($0)) }
    }

    /// If a quoted key at `start` unescapes to a secret name, the index after its closing quote.
    /// Allocation-free: the (at most 8-byte) name is packed into a UInt64 as it is read.
    static func secretKeyEnd(_ b: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        var packed: UInt64 = 0
        var length = 0
        var i = start + 1
        while i < b.count {
            var c = b[i]
            if c == UInt8(ascii: "\"") {
                return isSecretName(packed, length) ? i + 1 : nil
            }
            guard length < 8 else { return nil }
            if c == UInt8(ascii: "\\") {
                guard i + 1 < b.count else { return nil }
                let e = b[i + 1]
                if e == UInt8(ascii: "u") {
                    guard i + 6 <= b.count else { return nil }
                    var value: UInt32 = 0
                    for k in 2..<6 {
                        guard let h = hexValue(b[i + k]) else { return nil }
                        value = value << 4 | UInt32(h)
                    }
                    guard value < 0x80 else { return nil }
                    c = UInt8(value)
                    i += 6
                } else {
                    c = e
                    i += 2
                }
            } else {
                i += 1
            }
            packed |= UInt64(c) << (8 * UInt64(length))
            length += 1
        }
        return nil
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The secret names packed little-endian into a UInt64, with their lengths.
    private static let packedNames: [(UInt64, Int)] = ["password", "salt", "md5", "sha1", "sha256", "value"].map {
        name in
        var packed: UInt64 = 0
        for (k, c) in name.utf8.enumerated() { packed |= UInt64(c) << (8 * UInt64(k)) }
        return (packed, name.utf8.count)
    }

    static func isSecretName(_ packed: UInt64, _ length: Int) -> Bool {
        for (name, count) in packedNames where count == length && name == packed { return true }
        return false
    }

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    /// The end of a member's `: value` (and a following comma) after its key ends at `start`.
    static func memberEnd(_ b: UnsafeRawBufferPointer, _ start: Int) -> Int {
        let n = b.count
        var i = start
        while i < n && isSpace(b[i]) { i += 1 }
        guard i < n && b[i] == UInt8(ascii: ":") else { return start }
        i += 1
        while i < n && isSpace(b[i]) { i += 1 }
        guard i < n else { return n }
        switch b[i] {
        case UInt8(ascii: "\""):
            i = stringEnd(b, i)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while i < n {
                let c = b[i]
                if c == UInt8(ascii: "\"") {
                    i = stringEnd(b, i)
                    continue
                }
                if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
                if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 {
                        i += 1
                        break
                    }
                }
                i += 1
            }
        default:
            while i < n {
                let c = b[i]
                if c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == UInt8(ascii: "]") || c == 0x0A || c == 0x0D {
                    break
                }
                i += 1
            }
        }
        var j = i
        while j < n && isSpace(b[j]) { j += 1 }
        guard j < n && b[j] == UInt8(ascii: ",") else { return i }
        j += 1
        while j < n && isSpace(b[j]) { j += 1 }
        return j
    }

    /// The index after the closing quote of a string starting at `start`, or the end of the text.
    static func stringEnd(_ b: UnsafeRawBufferPointer, _ start: Int) -> Int {
        var i = start + 1
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\\") {
                i += 2
                continue
            }
            if c == UInt8(ascii: "\"") { return i + 1 }
            i += 1
        }
        return b.count
    }
}
