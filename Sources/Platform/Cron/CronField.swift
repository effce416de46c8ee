/// The values one cron field allows, as a bitset over 0...63.
struct CronField: Sendable, Equatable {
    /// Bit `v` is set when value `v` is allowed.
    var bits: UInt64
    /// Whether the field's text starts with `*` (`*`, `*/5`): the field is not "restricted" for the day rule.
    var isStar: Bool

    /// Whether `value` is allowed.
    func contains(_ value: Int) -> Bool {
        (0..<64).contains(value) && bits & (1 << UInt64(value)) != 0
    }

    /// The smallest allowed value at or above `value`, or nil.
    func next(atOrAfter value: Int) -> Int? {
        guard value < 64 else { return nil }
        let rest = bits & (UInt64.max << UInt64(max(value, 0)))
        return rest == 0 ? nil : rest.trailingZeroBitCount
    }

    /// The allowed values, ascending.
    var values: [Int] { (0..<64).filter(contains) }
}

/// One of the five fields: its name, its range and its names (`JAN`, `SUN`).
struct CronFieldKind: Sendable {
    /// The name used in errors: `minute`, `day-of-week`.
    var name: String
    /// The values the field accepts (day-of-week accepts 7, read as 0).
    var range: ClosedRange<Int>
    /// Names for consecutive values from `range.lowerBound`, upper case; empty when the field has none.
    var names: [String] = []

    static let minute = CronFieldKind(name: "minute", range: 0...59)
    static let hour = CronFieldKind(name: "hour", range: 0...23)
    static let dayOfMonth = CronFieldKind(name: "day-of-month", range: 1...31)
    static let month = CronFieldKind(
        name: "month", range: 1...12,
        names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"])
    static let dayOfWeek = CronFieldKind(
        name: "day-of-week", range: 0...7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"])

    /// Parses one field: a comma-separated list of `*`, `a`, `a-b`, each with an optional `/step`.
    /// The error is the reason only; the caller adds the expression.
    func parse(_ text: String) throws(FieldError) -> CronField {
        var bits: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2, let base = parts.first, !base.isEmpty else {
                throw FieldError("\(name) \"\(text)\" has an empty or malformed item \"\(item)\"")
            }
            var step = 1
            if parts.count == 2 {
                guard parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(parts[1]) else {
                    throw FieldError("\(name) step \"\(parts[1])\" is not a number")
                }
                guard value >= 1 else { throw FieldError("\(name) step \(value) must be at least 1") }
                step = value
            }
            let bounds: ClosedRange<Int>
            if base == "*" {
                bounds = range
            } else {
                let ends = base.split(separator: "-", omittingEmptySubsequences: false)
                guard ends.count <= 2 else { throw FieldError("\(name) range \"\(base)\" has more than two ends") }
                guard !ends.contains(where: \.isEmpty) else {
                    throw FieldError("\(name) range \"\(base)\" is missing an end")
                }
                let low = try value(ends[0])
                let high = ends.count == 2 ? try value(ends[1]) : (parts.count == 2 ? range.upperBound : low)
                guard low <= high else { throw FieldError("\(name) range \(base) is reversed (start above end)") }
                bounds = low...high
            }
            for value in stride(from: bounds.lowerBound, through: bounds.upperBound, by: step) {
                bits |= 1 << UInt64(value)
            }
        }
        if self.range.upperBound == 7, bits & (1 << 7) != 0 {  // 7 is Sunday too
            bits = bits & ~(1 << 7) | 1
        }
        return CronField(bits: bits, isStar: text.hasPrefix("*"))
    }

    /// A number in range, or a name.
    private func value(_ text: Substring) throws(FieldError) -> Int {
        if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let number = Int(text), range.contains(number) else {
                throw FieldError("\(name) \(text) is out of range \(range.lowerBound)-\(range.upperBound)")
            }
            return number
        }
        guard !names.isEmpty else { throw FieldError("\(name) \"\(text)\" is not a number") }
        guard let index = names.firstIndex(of: text.uppercased()) else {
            let span = "\(names[0])-\(names[names.count - 1])"
            throw FieldError("\(name) name \"\(text)\" is not known (use \(span) or numbers)")
        }
        return range.lowerBound + index
    }
}

/// A field's parse failure, before the expression is known.
struct FieldError: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
