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
