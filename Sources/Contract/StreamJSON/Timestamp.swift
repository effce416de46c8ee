/// UTC millisecond timestamps and their RFC 3339 text, on the proleptic Gregorian calendar by days-from-civil
/// arithmetic (no Foundation): the one owner of the civil-date algorithm, the users contract's date parser
/// (section 7 item 9) and the RFC 3339 writer of every timestamp the package prints
/// (`1958-06-23T03:40:17.665Z`: rows, dead letters, the `fetched_at` header, logs, synthetic users).
public enum Timestamp {
    /// Milliseconds in a day.
    public static let millisecondsPerDay: Int64 = 86_400_000
    /// The first millisecond of year 0000 (UTC).
    public static let minimum: Int64 = daysFromCivil(year: 0, month: 1, day: 1) * millisecondsPerDay
    /// The last millisecond of year 9999 (UTC).
    public static let maximum: Int64 = daysFromCivil(year: 10_000, month: 1, day: 1) * millisecondsPerDay - 1
    /// The most bytes ``writeRFC3339(_:to:)`` writes: 32 (24 for years 0000–9999).
    public static let maxRFC3339Count = 32

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    @inlinable
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    @inlinable
    public static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Splits UTC milliseconds into the day since 1970-01-01 (rounded down, so negative before it) and the
    /// millisecond of that day (`0..<86_400_000`).
    @inlinable
    public static func dayAndTime(_ millis: Int64) -> (day: Int64, millisecond: Int64) {
        let day = millis / millisecondsPerDay
        let rest = millis % millisecondsPerDay
        return rest < 0 ? (day - 1, rest + millisecondsPerDay) : (day, rest)
    }

    /// UTC milliseconds of a calendar date and time of day. Fields are not checked: out-of-range values carry
    /// over (second 60 is the next minute).
    @inlinable
    public static func milliseconds(
        year: Int64, month: Int64, day: Int64, hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0,
        millisecond: Int64 = 0
    ) -> Int64 {
        daysFromCivil(year: year, month: month, day: day) * millisecondsPerDay
            + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond
    }

    static func isLeap(_ year: Int64) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm)` (already trimmed) into UTC milliseconds.
    ///
    /// Upper-case `T` and `Z` only; calendar-checked (no Feb 30, no second 60); any number of fraction
    /// digits, truncated to milliseconds; the UTC result must lie in years 0000–9999. Nil otherwise.
    public static func parse(_ b: UnsafeRawBufferPointer) -> Int64? {
        let n = b.count
        guard n >= 20 else { return nil }
        @inline(__always) func digits(_ at: Int, _ count: Int) -> Int64? {
            var value: Int64 = 0
            for k in at ..< at + count {
                let d = b[k] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                value = value * 10 + Int64(d)
            }
            return value
        }
        guard let year = digits(0, 4), b[4] == UInt8(ascii: "-"),
            let month = digits(5, 2), b[7] == UInt8(ascii: "-"),
            let day = digits(8, 2), b[10] == UInt8(ascii: "T"),
            let hour = digits(11, 2), b[13] == UInt8(ascii: ":"),
            let minute = digits(14, 2), b[16] == UInt8(ascii: ":"),
            let second = digits(17, 2)
        else { return nil }
        guard month >= 1 && month <= 12, day >= 1, day <= daysIn(month: month, year: year),
            hour <= 23, minute <= 59, second <= 59
        else { return nil }
        var i = 19
        var millis: Int64 = 0
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < n, b[i] &- UInt8(ascii: "0") < 10 {
                if i - fractionStart < 3 { millis = millis * 10 + Int64(b[i] &- UInt8(ascii: "0")) }
                i += 1
            }
            let fractionDigits = i - fractionStart
            guard fractionDigits > 0 else { return nil }
            if fractionDigits == 1 { millis *= 100 } else if fractionDigits == 2 { millis *= 10 }
        }
        guard i < n else { return nil }
        var offsetMinutes: Int64 = 0
        if b[i] == UInt8(ascii: "Z") {
            guard i + 1 == n else { return nil }
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard i + 6 == n, let oh = digits(i + 1, 2), b[i + 3] == UInt8(ascii: ":"), let om = digits(i + 4, 2),
                oh <= 23, om <= 59
            else { return nil }
            offsetMinutes = (oh * 60 + om) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        let result = milliseconds(
            year: year, month: month, day: day, hour: hour, minute: minute - offsetMinutes, second: second,
            millisecond: millis)
        guard result >= minimum && result <= maximum else { return nil }
        return result
    }

    /// Parses a `String`; see ``parse(_:)-(UnsafeRawBufferPointer)``.
    public static func parse(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// Writes `YYYY-MM-DDTHH:MM:SS.mmmZ` (RFC 3339, UTC, milliseconds) at `destination`, which must have room for
    /// ``maxRFC3339Count`` bytes. The year is written with four digits (0000–9999) when in range, else with as many
    /// as it needs and a sign when negative.
    ///
    /// - Returns: How many bytes were written (24 for years 0000–9999).
    @inlinable
    public static func writeRFC3339(_ millis: Int64, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        let (days, time) = dayAndTime(millis)
        let (year, month, day) = civilFromDays(days)
        var p = destination
        if year >= 0 && year <= 9999 {
            DecimalDigits.write(UInt64(year), width: 4, to: p)
            p += 4
        } else {
            p += DecimalDigits.write(year, to: p)
        }
        p[0] = UInt8(ascii: "-")
        DecimalDigits.write(UInt64(month), width: 2, to: p + 1)
        p[3] = UInt8(ascii: "-")
        DecimalDigits.write(UInt64(day), width: 2, to: p + 4)
        p[6] = UInt8(ascii: "T")
        DecimalDigits.write(UInt64(time / 3_600_000), width: 2, to: p + 7)
        p[9] = UInt8(ascii: ":")
        DecimalDigits.write(UInt64(time / 60_000 % 60), width: 2, to: p + 10)
        p[12] = UInt8(ascii: ":")
        DecimalDigits.write(UInt64(time / 1000 % 60), width: 2, to: p + 13)
        p[15] = UInt8(ascii: ".")
        DecimalDigits.write(UInt64(time % 1000), width: 3, to: p + 16)
        p[19] = UInt8(ascii: "Z")
        return p + 20 - destination
    }

    /// Appends `YYYY-MM-DDTHH:MM:SS.mmmZ` to `out`; see ``writeRFC3339(_:to:)``.
    public static func writeRFC3339(_ millis: Int64, into out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxRFC3339Count) { scratch in
            let count = writeRFC3339(millis, to: scratch.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<count]))
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` as a String; see ``writeRFC3339(_:to:)``.
    public static func rfc3339(_ millis: Int64) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        writeRFC3339(millis, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
