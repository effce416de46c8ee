extension JSONValue {
    /// The number, else nil.
    public var number: JSONNumber? {
        let e = entry
        guard e.kind == .number else { return nil }
        let bytes = UnsafeRawBufferPointer(rebasing: document.input[Int(e.start) ..< Int(e.end)])
        return JSONNumber(
            text: String(decoding: bytes, as: UTF8.self),
            isIntegerLiteral: e.flags & (TapeEntry.hasFraction | TapeEntry.hasExponent) == 0)
    }

    /// Whether a number has no fraction and no exponent (false for other kinds).
    public var isIntegerLiteral: Bool {
        let e = entry
        return e.kind == .number && e.flags & (TapeEntry.hasFraction | TapeEntry.hasExponent) == 0
    }

    /// The exact value of an integer literal in Int64's range, else nil (no `String` is built).
    public var int64: Int64? {
        let e = entry
        guard e.kind == .number, e.flags & (TapeEntry.hasFraction | TapeEntry.hasExponent) == 0 else { return nil }
        return JSONNumber.parseInt64(UnsafeRawBufferPointer(rebasing: document.input[Int(e.start) ..< Int(e.end)]))
    }

    /// The nearest `Double` of a number (±infinity when out of range), else nil (no `String` is built
    /// on the fast path).
    public var double: Double? {
        let e = entry
        guard e.kind == .number else { return nil }
        return JSONNumber.parseDouble(UnsafeRawBufferPointer(rebasing: document.input[Int(e.start) ..< Int(e.end)]))
    }
}
