/// Removes insignificant white space (outside strings) from well-formed JSON, leaving every other byte as it is:
/// numbers keep their exact digits, strings keep their escapes and their raw UTF-8.
public enum JSONMinifier {
    /// Returns the compact form of `json`.
    ///
    /// The input must already be well-formed (the function does not validate; on malformed input it still only
    /// drops white space outside what it takes for strings).
    ///
    /// - Parameter json: UTF-8 JSON text.
    /// - Returns: The same JSON without white space between tokens.
    public static func minify(_ json: some Collection<UInt8>) -> [UInt8] {
        if let result = json.withContiguousStorageIfAvailable({ self.minify(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        let copy = Array(json)
        return copy.withUnsafeBytes { self.minify($0) }
    }

    /// Returns the compact form of the JSON in `bytes`.
    ///
    /// - Parameter bytes: UTF-8 JSON text.
    /// - Returns: The same JSON without white space between tokens.
    public static func minify(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        self.append(bytes, to: &out)
        return out
    }

    /// Appends the compact form of `bytes` to `out`, copying runs between white space in bulk.
    static func append(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        var inString = false
        var runStart = 0
        var i = 0
        let count = bytes.count
        while i < count {
            let byte = bytes[i]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    i += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") { inString = false }
            } else {
                switch byte {
                case UInt8(ascii: "\""):
                    inString = true
                case 0x20, 0x09, 0x0A, 0x0D:
                    if runStart < i { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<i])) }
                    runStart = i + 1
                default:
                    break
                }
            }
            i += 1
        }
        if runStart < count { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<count])) }
    }
}
