import StreamJSON

/// Section 7 item 7: numbers as text (postcode, street number).
enum NumberText {
    /// An integer gives its digits (big integers exactly; `-0` → `0`); an integral float below 2^53
    /// its integer digits (`12345.0` → `12345`); other floats their shortest round-trip form; a float
    /// too large for a Double keeps its JSON text.
    static func decimal(_ value: JSONValue) -> String? {
        guard value.kind == .number else { return nil }
        if value.isIntegerLiteral {
            let text = UTF8Text.string(value.rawBytes)
            return text == "-0" ? "0" : text
        }
        guard let d = value.double, d.isFinite else { return UTF8Text.string(value.rawBytes) }
        if JSONNumber.isIntegral(d) && abs(d) < 9_007_199_254_740_992 {
            return String(Int64(d))
        }
        return d.description
    }
}
